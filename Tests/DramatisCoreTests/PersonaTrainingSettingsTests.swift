import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// A persona's `train_*` settings choose what of its conversations becomes training data, for the recorder,
/// `stats` and `export` alike; transcripts keep them with the persona snapshot.
@Suite struct PersonaTrainingSettingsTests {
    static let text = """
        ---
        name: Clippy
        greeting: Hi, I'm Clippy.
        train_few_shot: false
        train_greeting: no
        train_on: last
        examples:
          - user: 2+2?
            assistant: 4, obviously.
        ---
        Clippy is a factual chatbot that is also sarcastic.
        """

    static func persona() throws -> Persona {
        try PersonaFileTests.parse(text).get()
    }

    /// Greeting, question, a good reply, a follow-up and a second good reply.
    static func conversation(_ persona: Persona) -> Conversation {
        var conversation = Conversation(id: "20261130-000000-clippy-0001", createdAt: TranscriptFixtures.start, persona: persona,
                                        backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        // The greeting is the first turn (the persona has one).
        for (question, answer) in [("Capital of France?", "Paris. Obviously."), ("And Spain?", "Madrid.")] {
            let user = conversation.appendUserMessage(question, at: TranscriptFixtures.at(1))
            let reply = conversation.startReply(after: user, backend: "local", model: "m", at: TranscriptFixtures.at(2))
            conversation.appendReplyText(answer, to: reply)
            conversation.finishReply(reply, reason: .stop)
            conversation.setMark(.good, on: reply, at: TranscriptFixtures.at(3))
        }
        return conversation
    }

    @Test func theSettingsParseAndShapeEveryExample() throws {
        let persona = try Self.persona()
        #expect(persona.training == ExampleSelection(fewShot: false, greeting: false, trainedReplies: .last))
        let examples = DatasetExamples.sft(from: Self.conversation(persona))
        let last = try #require(examples.last)
        // No few-shot pair, no greeting; only the last good reply is trained, the earlier one is context.
        #expect(last.messages.map(\.role) == [.system, .user, .assistant, .user, .assistant])
        #expect(last.messages.map(\.weight) == [nil, nil, 0, nil, 1])
        // The recorder's live file follows the persona.
        let line = try #require(ExportFormat.openai.lines(for: Self.conversation(persona)).last)
        #expect(!line.contains("4, obviously.") && !line.contains("Hi, I'm Clippy."))

        // Defaults: few-shot pair and greeting in, both good replies trained.
        var plain = persona
        plain.training = ExampleSelection()
        let full = try #require(DatasetExamples.sft(from: Self.conversation(plain)).last)
        #expect(full.messages.contains { $0.content == "4, obviously." } && full.messages.contains { $0.content == "Hi, I'm Clippy." })
        #expect(full.messages.filter { $0.weight == 1 }.count == 2)
    }

    @Test func transcriptsKeepTheSettingsAndOmitTheDefaults() throws {
        let persona = try Self.persona()
        let data = try TranscriptStore.fileData(for: Self.conversation(persona))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"training\"") && text.contains("\"trained_replies\" : \"last\""))
        #expect(try TranscriptStore.conversation(fromFileData: data, path: "t.json").persona.training == persona.training)
        let golden = String(decoding: try TranscriptStore.fileData(for: TranscriptFixtures.golden()), as: UTF8.self)
        #expect(!golden.contains("\"training\""))
    }

    @Test func badValuesNameTheLineAndField() {
        let problems = PersonaFileTests.problems("""
            ---
            name: Clippy
            train_greeting: maybe
            train_on: first
            ---
            Prompt.
            """)
        #expect(problems.contains { $0.contains("Personas/t.md:3") && $0.contains("train_greeting") && $0.contains("expected true or false") })
        #expect(problems.contains { $0.contains("Personas/t.md:4") && $0.contains("train_on") && $0.contains("expected all or last, got \"first\"") })
    }
}
