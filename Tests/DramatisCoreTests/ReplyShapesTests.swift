import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// Refusals, reasoning and tool calls in the conversation, the transcript and the datasets; the turn service.
@Suite struct ReplyShapesTests {
    /// A question answered twice: a refusal (marked bad) and an answer with reasoning (marked good); then an
    /// empty reply marked good.
    /// Turns: 0 question, 1 refusal, 2 answer, 3 question, 4 tool call.
    static func conversation() -> Conversation {
        var persona = TranscriptFixtures.clippy
        persona.greeting = nil
        var conversation = Conversation(id: "20261129-220000-clippy-5a5e", createdAt: TranscriptFixtures.start,
                                        persona: persona, backend: TranscriptFixtures.backend,
                                        sampling: TranscriptFixtures.clippy.sampling)
        let question = conversation.appendUserMessage("Pick a lock?", at: TranscriptFixtures.at(1))
        let refusal = conversation.startReply(after: question, backend: "openai", model: "gpt", at: TranscriptFixtures.at(2))
        for event: ChatEvent in [.refusal("I'm sorry, "), .refusal("no."), .finished(.stop)] { conversation.apply(event, toReply: refusal) }
        conversation.finishReply(refusal, outcome: TurnOutcome(reported: .stop))
        conversation.setMark(.bad, on: refusal, at: TranscriptFixtures.at(3))
        let answer = conversation.startReply(after: question, backend: "deepseek", model: "r1", at: TranscriptFixtures.at(4))
        for event: ChatEvent in [.reasoning("Locksmithing is legal."), .delta("Use a tension wrench.")] { conversation.apply(event, toReply: answer) }
        conversation.finishReply(answer, outcome: TurnOutcome(reported: .stop, usage: TokenUsage(promptTokens: 5, completionTokens: 20, reasoningTokens: 14)))
        conversation.setMark(.good, on: answer, at: TranscriptFixtures.at(5))
        let next = conversation.appendUserMessage("And the weather?", at: TranscriptFixtures.at(6))
        let tool = conversation.startReply(after: next, backend: "openai", model: "gpt", at: TranscriptFixtures.at(7))
        conversation.apply(.toolCall(ToolCallRecord(name: "get_weather", arguments: "{}")), toReply: tool)
        conversation.finishReply(tool, outcome: TurnOutcome(reported: .other("tool_calls")))
        conversation.setMark(.good, on: tool, at: TranscriptFixtures.at(8))
        return conversation
    }

    @Test func finishPolicyIsOneRule() {
        #expect(TurnOutcome(reported: .length).reason == .length)
        #expect(TurnOutcome().reason == .incomplete)
        #expect(TurnOutcome(reported: .stop, error: BackendError(kind: .disconnected, message: "x")).reason == .incomplete)
        #expect(TurnOutcome(reported: .stop, cancelled: true).reason == .cancelled)
        #expect(TurnService.model(chosen: "explicit", persona: TranscriptFixtures.clippy) == "explicit")
        var persona = TranscriptFixtures.clippy
        persona.model = "persona-model"
        #expect(TurnService.model(chosen: nil, persona: persona) == "persona-model")
        #expect(TurnService.model(chosen: "explicit", persona: persona) == "explicit")
    }

    @Test func eachReplyRecordsTheSamplingItWasRequestedWith() throws {
        var conversation = Self.conversation()
        let question = conversation.appendUserMessage("Again?", at: TranscriptFixtures.at(9))
        let sampling = SamplingParameters(temperature: 0.3, topP: 0.8, maxTokens: 64, stop: ["END"], seed: 7)
        let (reply, request) = TurnService.startReply(in: &conversation, after: question, backend: "local", model: nil,
                                                      answeringModel: "smol", sampling: sampling, at: TranscriptFixtures.at(10))
        #expect(request.sampling == sampling)
        #expect(conversation[reply].reply?.sampling == sampling)
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        try store.save(conversation)
        let loaded = try store.load(store.url(for: conversation.id))
        #expect(loaded[reply].reply?.sampling == sampling)
        #expect(loaded[1].reply?.sampling == nil)
        let text = try String(contentsOf: store.url(for: conversation.id), encoding: .utf8)
        #expect(text.contains("\"top_p\" : 0.8"))
    }

    @Test func transcriptKeepsRefusalReasoningToolCallsAndReasoningTokens() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.url)
        let original = Self.conversation()
        try store.save(original)
        let loaded = try store.load(store.url(for: original.id))
        #expect(loaded == original)
        #expect(loaded[1].reply?.refusal == "I'm sorry, no.")
        #expect(loaded[1].text == "")
        #expect(loaded[2].reply?.reasoning == "Locksmithing is legal.")
        #expect(loaded[2].reply?.usage?.reasoningTokens == 14)
        #expect(loaded[4].reply?.toolCalls == [ToolCallRecord(name: "get_weather", arguments: "{}")])
        let text = try String(contentsOf: store.url(for: original.id), encoding: .utf8)
        #expect(text.contains("\"version\" : 2"))
        #expect(text.contains("\"refusal\" : \"I'm sorry, no.\""))
        #expect(text.contains("\"reasoning_tokens\" : 14"))
        #expect(text.contains("\"tool_calls\""))
    }

    @Test func datasetsTrainAnswersNotReasoningAndNeverAnEmptyGoodReply() {
        let conversation = Self.conversation()
        let sft = DatasetExamples.sft(from: conversation)
        #expect(sft.count == 1, "the empty tool-call reply never ends an example")
        #expect(sft.first?.messages.last?.content == "Use a tension wrench.")
        #expect(sft.first?.messages.last?.weight == 1)
        #expect(sft.flatMap(\.messages).allSatisfy { $0.role != .assistant || !$0.content.isEmpty || $0.weight == 0 })
        let thinking = DatasetExamples.sft(from: conversation, selection: ExampleSelection(includeReasoning: true))
        #expect(thinking.first?.messages.last?.content == "<think>\nLocksmithing is legal.\n</think>\n\nUse a tension wrench.")

        // The refusal marked bad is the rejected side of a preference pair, as its text.
        let pairs = DatasetExamples.preferencePairs(from: conversation)
        #expect(pairs.map(\.rejected) == ["I'm sorry, no."])
        #expect(pairs.map(\.chosen) == ["Use a tension wrench."])
        let kto = DatasetExamples.labeledCompletions(from: conversation)
        #expect(kto.map(\.completion) == ["I'm sorry, no.", "Use a tension wrench."])
        #expect(kto.map(\.label) == [false, true])
        for format in ExportFormat.allCases {
            for line in format.lines(for: conversation) { #expect(!line.contains(#""content":"""#), "\(format): \(line)") }
        }

        #expect(DatasetExamples.warnings(for: conversation) == [
            "20261129-220000-clippy-5a5e: reply 4 is marked good but has no text; left out of the dataset"])
        var refusedGood = conversation
        refusedGood.setMark(.good, on: 1, at: TranscriptFixtures.at(9))
        #expect(DatasetExamples.warnings(for: refusedGood).first == "20261129-220000-clippy-5a5e: reply 1 is a refusal marked good; it is written as a good example")
        let result = DatasetExporter(options: ExportOptions(format: .openai)).export([refusedGood])
        #expect(result.warnings.count == 2)
    }
}

