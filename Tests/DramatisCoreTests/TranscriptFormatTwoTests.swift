import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// Transcript format 2: one key convention, a stored summary the listing reads without the turns, format 1 migrated.
@Suite struct TranscriptFormatTwoTests {
    /// The committed format-1 file (the golden conversation, written before format 2).
    static var formatOneFile: URL {
        get throws { try #require(Bundle.module.url(forResource: "Fixtures/transcripts/format-1", withExtension: "json")) }
    }

    /// Every object key in a JSON value, with its path.
    static func keys(_ value: Any, path: String = "") -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child in ["\(path).\(key)"] + keys(child, path: "\(path).\(key)") }
        }
        if let list = value as? [Any] { return list.flatMap { keys($0, path: path + "[]") } }
        return []
    }

    @Test func everyKeyIsSnakeCase() throws {
        var generator = SplitMix64(seed: 7)
        var conversations = [TranscriptFixtures.golden()]
        conversations += (0 ..< 20).map { ExportValidatePropertyTests.randomConversation(&generator, index: $0, persona: TranscriptFixtures.clippy) }
        for conversation in conversations {
            let data = try TranscriptStore.fileData(for: conversation)
            let keys = Self.keys(try JSONSerialization.jsonObject(with: data))
            let wrong = keys.filter { path in
                let key = path.split(separator: ".").last.map(String.init) ?? path
                return key.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil
            }
            #expect(wrong.isEmpty, "keys not in snake_case: \(wrong)")
            #expect(keys.contains(".persona.system_prompt") && keys.contains(".persona.user_name") && keys.contains(".summary.turn_count"))
        }
    }

    @Test func formatOneLoadsAndIsWrittenAsFormatTwoOnItsNextSave() throws {
        let original = try Data(contentsOf: try Self.formatOneFile)
        #expect(String(decoding: original, as: UTF8.self).contains("\"systemPrompt\""))
        #expect(try TranscriptStore.conversation(fromFileData: original, path: "format-1.json") == TranscriptFixtures.golden())

        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        let url = store.url(for: TranscriptFixtures.golden().id)
        try original.write(to: url)
        // Listed by a full decode (format 1 has no stored summary), with the same summary as before.
        #expect(store.list() == [.valid(TranscriptSummary(TranscriptFixtures.golden(), url: url))])
        #expect(TranscriptHeaderReader.summary(of: url) == nil)

        let loaded = try store.load(url)
        try store.save(loaded)
        let migrated = try String(contentsOf: url, encoding: .utf8)
        #expect(migrated.contains("\"version\" : 2"))
        #expect(migrated.contains("\"system_prompt\" : \"Clippy is a factual chatbot that is also sarcastic.\""))
        #expect(migrated.contains("\"alternate_greetings\"") && migrated.contains("\"user_name\" : \"Sam\""))
        #expect(!migrated.contains("systemPrompt") && !migrated.contains("alternateGreetings") && !migrated.contains("userName"))
        #expect(try TranscriptStore(directory: directory.url).load(url) == TranscriptFixtures.golden())
    }

    @Test func listingReadsTheStoredSummaryAndMatchesAFullDecode() throws {
        var generator = SplitMix64(seed: 11)
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        var conversations = [TranscriptFixtures.golden()]
        conversations += (0 ..< 30).map { ExportValidatePropertyTests.randomConversation(&generator, index: $0, persona: TranscriptFixtures.clippy) }
        for conversation in conversations { try store.save(conversation) }
        for conversation in conversations {
            let url = store.url(for: conversation.id)
            let fromHeader = try #require(TranscriptHeaderReader.summary(of: url), "\(conversation.id) was not listed from its header")
            #expect(fromHeader == TranscriptSummary(conversation, url: url))
        }
        #expect(store.list() == store.list(verifying: true))
    }

    @Test func aHeadLongerThanOneReadIsStillListedFromItsSummary() throws {
        // A 200 KB system prompt puts the "turns" key past the first 64 KiB piece the reader takes.
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        var persona = TranscriptFixtures.clippy
        persona.systemPrompt = String(repeating: "Clippy is a factual chatbot that is also sarcastic. ", count: 4_000)
        var conversation = Conversation(id: "20261130-000000-clippy-long", createdAt: TranscriptFixtures.start, persona: persona,
                                        backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        conversation.appendUserMessage("Hello?", at: TranscriptFixtures.at(1))
        try store.save(conversation)
        let url = store.url(for: conversation.id)
        #expect(TranscriptHeaderReader.summary(of: url) == TranscriptSummary(conversation, url: url))
    }

    @Test func aDamagedTurnShowsWhenVerifyingOrOpeningNotInTheQuickListing() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        let conversation = TranscriptFixtures.golden()
        try store.save(conversation)
        let url = store.url(for: conversation.id)
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"role\" : \"user\"", with: "\"role\" : \"narrator\"")
        try Data(text.utf8).write(to: url)
        let fresh = TranscriptStore(directory: directory.url)
        guard case .valid = fresh.list().first else { Issue.record("the quick listing should read the header"); return }
        guard case .invalid(_, let problem) = fresh.list(verifying: true).first else { Issue.record("verifying should fail"); return }
        #expect(problem.contains("turns[1].role"))
        #expect(throws: TranscriptError.self) { try fresh.load(url) }
    }

    @Test func aNewerVersionIsNotListedFromItsHeader() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        try store.save(TranscriptFixtures.golden())
        let url = store.url(for: TranscriptFixtures.golden().id)
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 3")
        try Data(text.utf8).write(to: url)
        #expect(TranscriptHeaderReader.summary(of: url) == nil)
        guard case .invalid(_, let problem) = TranscriptStore(directory: directory.url).list().first else {
            Issue.record("a newer version must be listed as unreadable"); return
        }
        #expect(problem.contains("newer than this Dramatis reads"))
    }
}
