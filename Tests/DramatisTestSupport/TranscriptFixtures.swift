import Foundation
import DramatisCore

/// Conversations used by the transcript, recorder and export tests.
public enum TranscriptFixtures {
    public static let start = Date(timeIntervalSince1970: 1_795_000_000.25)
    public static let backend = BackendDescriptor(name: "local", kind: "local", model: "smollm2-135m")

    public static let clippy = Persona(
        id: "clippy", name: "Clippy", description: "Factual and sarcastic", backend: "local", model: nil,
        sampling: SamplingParameters(temperature: 0.7, topP: 0.95, maxTokens: 200, stop: ["</s>"], seed: 42,
                                     presencePenalty: 0.1, frequencyPenalty: 0.2),
        systemPrompt: "Clippy is a factual chatbot that is also sarcastic.",
        greeting: "Hi, I'm Clippy.", alternateGreetings: ["Oh. It's you."],
        examples: [.init(user: "2+2?", assistant: "4, obviously.")], tags: ["demo"], userName: "Sam")

    public static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    /// Greeting, a question, an edited reply, a follow-up with a regeneration, and a second branch.
    ///
    /// Turns: 0 greeting; 1 user; 2 reply (bad, edited); 3 edit of 2 (good); 4 user; 5 reply (good);
    /// 6 regeneration of 5 (bad); 7 edited first question (new branch); 8 reply (unmarked, incomplete).
    public static func golden(id: String = "20261118-000000-clippy-0001",
                       question questionText: String = "What is the capital of France?\nBe brief.") -> Conversation {
        var conversation = Conversation(id: id, createdAt: start, persona: clippy, backend: backend,
                                        sampling: clippy.sampling)
        let question = conversation.appendUserMessage(questionText, at: at(1))
        let reply = conversation.startReply(after: question, backend: "local", model: "smollm2-135m", at: at(2))
        conversation.appendReplyText("Paris. Obviously.", to: reply)
        conversation.finishReply(reply, reason: .stop, usage: TokenUsage(promptTokens: 40, completionTokens: 5),
                                 timing: ReplyTiming(timeToFirstToken: 0.125, total: 0.5, tokensPerSecond: 12.5))
        let edited = conversation.editReply(reply, to: "Paris, as any atlas would tell you.", at: at(3))
        let followUp = conversation.appendUserMessage("And of Spain? \"Quote\" \\ tab\t ünïcödé 🎭", at: at(4))
        let good = conversation.startReply(after: followUp, backend: "local", model: "smollm2-135m", at: at(5))
        conversation.appendReplyText("Madrid.", to: good)
        conversation.finishReply(good, reason: .stop)
        conversation.setMark(.good, on: good, at: at(6))
        let regenerated = conversation.startReply(after: followUp, backend: "local", model: "smollm2-135m", at: at(7))
        conversation.appendReplyText("Barcelona?", to: regenerated)
        conversation.finishReply(regenerated, reason: .length)
        conversation.setMark(.bad, on: regenerated, at: at(8))
        conversation.select(good)
        _ = edited
        let branch = conversation.editUserMessage(question, to: "What's 2+2?", at: at(9))
        let partial = conversation.startReply(after: branch, backend: "local", model: "smollm2-135m", at: at(10))
        conversation.appendReplyText("Fo", to: partial)
        return conversation
    }
}
