import Foundation
import Testing
import DramatisCore
import DramatisTestSupport

/// A small conversation with an edit, a regeneration and marks, for CLI tests.
enum CLIFixture {
    static let persona = Persona(id: "clippy", name: "Clippy", systemPrompt: "Clippy is a factual chatbot that is also sarcastic.",
                                 greeting: "Hi, I'm Clippy.")

    static func conversation(id: String, question: String, at seconds: Double) -> Conversation {
        let date = Date(timeIntervalSince1970: 1_795_000_000 + seconds)
        var conversation = Conversation(id: id, createdAt: date, persona: persona,
                                        backend: BackendDescriptor(name: "local", kind: "local", model: "smollm2"),
                                        sampling: SamplingParameters(temperature: 0, seed: 7))
        let user = conversation.appendUserMessage(question, at: date)
        let reply = conversation.startReply(after: user, backend: "local", model: "smollm2", at: date)
        conversation.appendReplyText("Paris. \u{1B}[31mRED\u{1B}[0m obviously.", to: reply)
        conversation.finishReply(reply, reason: .stop, usage: TokenUsage(promptTokens: 20, completionTokens: 6))
        conversation.editReply(reply, to: "Paris, as any atlas would tell you.", at: date)
        return conversation
    }

    /// Writes two good transcripts and one corrupt file; returns the folder.
    static func folder(in directory: TemporaryDirectory) throws -> URL {
        let folder = directory.path("Transcripts")
        let store = TranscriptStore(directory: folder)
        try store.save(conversation(id: "20261118-110640-clippy-aaaa", question: "What is the capital of France?", at: 0))
        try store.save(conversation(id: "20261119-110640-clippy-bbbb", question: "Capital of France, again?", at: 86_400))
        try Data("{\"format\": \"dramatis-transcript\", \"version\": 1, \"id\": 5}\n".utf8)
            .write(to: folder.appendingPathComponent("20261120-000000-clippy-cccc.json"))
        return folder
    }
}

@Suite struct TranscriptsCommandTests {
    @Test func listShowsGoodOnesAndTheCorruptOneWithItsError() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        let result = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "list", "--transcripts", folder.path])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("INVALID") && lines[0].contains("20261120-000000-clippy-cccc.json"))
        #expect(lines[1].contains("20261119-110640-clippy-bbbb") && lines[1].contains("Clippy") && lines[1].contains("4 turns")
                && lines[1].contains("2 marks") && lines[1].contains("Capital of France, again?"))
        #expect(result.stderr.contains("1 transcript(s) could not be read"))
    }

    @Test func showIsSanitizedAndJSONIsTheFile() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        let shown = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "show", "20261118-110640-clippy-aaaa", "--transcripts", folder.path, "--all"])
        #expect(shown.status == 0)
        #expect(!shown.stdout.contains("\u{1B}"))
        #expect(shown.stdout.contains("Paris. RED obviously."))
        #expect(shown.stdout.contains("Paris, as any atlas would tell you."))
        #expect(shown.stdout.contains("BAD") && shown.stdout.contains("GOOD"))
        let json = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "show", "20261118-110640-clippy-aaaa", "--json", "--transcripts", folder.path])
        #expect(json.stdout == (try String(contentsOf: folder.appendingPathComponent("20261118-110640-clippy-aaaa.json"), encoding: .utf8)))
        let bad = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "show", "20261120-000000-clippy-cccc", "--transcripts", folder.path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("20261120-000000-clippy-cccc.json"))
        #expect(bad.stderr.contains("id"))
    }

    @Test func searchFindsTurns() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        let found = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "search", "ATLAS", "--transcripts", folder.path])
        #expect(found.status == 0)
        #expect(found.stdout.split(separator: "\n").count == 2)
        let missing = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "search", "zebra", "--transcripts", folder.path])
        #expect(missing.status == 1)
    }
}
