import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

@Suite struct TranscriptStoreTests {
    @Test func roundTripIsByteIdenticalAndKeepsEveryField() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        let conversation = TranscriptFixtures.golden()
        try store.save(conversation)
        let url = store.url(for: conversation.id)
        let first = try Data(contentsOf: url)
        let loaded = try store.load(url)
        #expect(loaded == conversation)
        try store.save(loaded)
        let second = try Data(contentsOf: url)
        #expect(first == second)
        // A fresh store (another process) reads the same thing back.
        #expect(try TranscriptStore(directory: directory.url).load(url) == conversation)
    }

    @Test func fileIsVersionedReadableAndHoldsNoSecret() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        try store.save(TranscriptFixtures.golden())
        let text = try String(contentsOf: store.url(for: TranscriptFixtures.golden().id), encoding: .utf8)
        #expect(text.contains("\"format\" : \"dramatis-transcript\""))
        #expect(text.contains("\"version\" : 2"))
        #expect(text.contains("\"created_at\" : \"2026-11-18T11:06:40.250Z\""))
        #expect(text.contains("\"finish_reason\" : \"length\""))
        #expect(text.contains("\"selected_child\""))
        #expect(!text.lowercased().contains("api_key"))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func filesAndFoldersArePrivate() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.appendingPathComponent("Transcripts")
        let store = TranscriptStore(directory: folder)
        try store.save(TranscriptFixtures.golden())
        let fileMode = try FileManager.default.attributesOfItem(atPath: store.url(for: TranscriptFixtures.golden().id).path)[.posixPermissions] as? Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(folderMode == 0o700)
    }

    @Test func malformedFileIsRejectedWithFieldAndNeverOverwritten() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        var conversation = TranscriptFixtures.golden()
        try store.save(conversation)
        let url = store.url(for: conversation.id)
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"role\" : \"user\"", with: "\"role\" : \"narrator\"")
        try Data(text.utf8).write(to: url)
        let error = #expect(throws: TranscriptError.self) { try TranscriptStore(directory: directory.url).load(url) }
        #expect(error?.path == url.path)
        #expect(error?.problem.contains("turns[1].role") == true)

        // Another process (fresh store) must not overwrite the bad file.
        conversation.appendUserMessage("more", at: TranscriptFixtures.at(20))
        #expect(throws: TranscriptError.self) { try TranscriptStore(directory: directory.url).save(conversation) }
        #expect(try String(contentsOf: url, encoding: .utf8) == text)
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("broken.json")
        try Data("{\n  \"format\" : \"dramatis-transcript\",\n  \"version\" : 1,\n  oops\n}\n".utf8).write(to: url)
        let error = #expect(throws: TranscriptError.self) { try TranscriptStore(directory: directory.url).load(url) }
        #expect(error?.problem.contains("not valid JSON") == true)
        #expect(error?.problem.contains("line 4") == true, "\(error?.problem ?? "")")
    }

    @Test func futureVersionIsRejectedClearly() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        let conversation = TranscriptFixtures.golden()
        try store.save(conversation)
        let url = store.url(for: conversation.id)
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 7")
        try Data(text.utf8).write(to: url)
        let error = #expect(throws: TranscriptError.self) { try TranscriptStore(directory: directory.url).load(url) }
        #expect(error?.problem.contains("version") == true)
        #expect(error?.problem.contains("7") == true)
        #expect(throws: TranscriptError.self) { try TranscriptStore(directory: directory.url).save(conversation) }
        #expect(try String(contentsOf: url, encoding: .utf8) == text)
    }

    @Test func listShowsSummariesAndCorruptFilesWithoutAffectingOthers() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        try store.save(TranscriptFixtures.golden(id: "20261118-000000-clippy-0001"))
        try store.save(TranscriptFixtures.golden(id: "20261119-000000-clippy-0002"))
        try Data("not json".utf8).write(to: directory.path("20261120-000000-clippy-0003.json"))
        try Data("{}".utf8).write(to: directory.path(".hidden.json"))
        let listing = store.list()
        #expect(listing.count == 3)
        guard case .invalid(let badURL, let message) = listing[0] else { Issue.record("expected the corrupt file first"); return }
        #expect(badURL.lastPathComponent == "20261120-000000-clippy-0003.json")
        #expect(message.contains("not valid JSON"))
        guard case .valid(let summary) = listing[1] else { Issue.record("expected a summary"); return }
        #expect(summary.id == "20261119-000000-clippy-0002")
        #expect(summary.personaName == "Clippy")
        #expect(summary.model == "smollm2-135m")
        #expect(summary.turnCount == 9)
        #expect(summary.markCount == 4)
        #expect(summary.title == "What is the capital of France?")
    }

    @Test func newIDsSortByTimeAndNameThePersona() {
        let early = TranscriptStore.newConversationID(personaID: "Clippy Bot", date: Date(timeIntervalSince1970: 1_795_000_000))
        let late = TranscriptStore.newConversationID(personaID: "clippy", date: Date(timeIntervalSince1970: 1_795_000_100))
        #expect(early.hasPrefix("20261118-110640-clippy-bot-"))
        #expect(early < late)
        #expect(early.count == "20261118-110640-clippy-bot-".count + 4)
    }

    @Test func unsafeIDsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.path("T"))
        let conversation = TranscriptFixtures.golden(id: "../escape")
        #expect(throws: TranscriptError.self) { try store.save(conversation) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("escape.json").path))
        #expect(TranscriptStore.isValidID(TranscriptStore.newConversationID(personaID: "Ünï cödé/../x", date: Date())))
    }

    @Test func dateFormatRoundTrips() {
        let date = Date(timeIntervalSince1970: 1_795_000_000.125)
        #expect(TranscriptDate.string(from: date) == "2026-11-18T11:06:40.125Z")
        #expect(TranscriptDate.date(from: "2026-11-18T11:06:40.125Z") == date)
        #expect(TranscriptDate.date(from: "2026-11-19") == Date(timeIntervalSince1970: 1_795_046_400))
        #expect(TranscriptDate.date(from: "2026-13-01") == nil)
    }
}
