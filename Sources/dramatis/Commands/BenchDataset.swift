import DramatisCore
import Foundation

/// The recorder benchmarks' dataset: conversations of one question with many good-marked replies, so that
/// `conversations × marksPerConversation` SFT examples exist before the timed marks.
enum BenchDataset {
    /// The persona every bench conversation uses (the same id as `SyntheticConversation`'s).
    static let persona = Persona(id: "bench", name: "Bench", systemPrompt: "Clippy is a factual chatbot that is also sarcastic.",
                                 examples: [.init(user: "2+2?", assistant: "4, obviously.")])
    static let backend = BackendDescriptor(name: "debug", kind: "debug", model: "none")
    /// The time every bench turn is stamped with.
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    /// Conversation `index`: one question with `turns` regenerated replies, all marked good (`turns` SFT examples).
    static func conversation(_ index: Int, turns: Int) -> Conversation {
        let date = date.addingTimeInterval(Double(index))
        var conversation = Conversation(id: String(format: "20261101-%06d-bench-0000", index), createdAt: date,
                                        persona: persona, backend: backend, sampling: SamplingParameters())
        let user = conversation.appendUserMessage("Question of conversation \(index): what is \(index) + 1?", at: date)
        for turn in 0..<turns {
            let reply = conversation.startReply(after: user, backend: "debug", model: "none", at: date)
            conversation.appendReplyText("It is \(index + 1), which you could have worked out yourself, frankly (take \(turn)).", to: reply)
            conversation.finishReply(reply, reason: .stop, usage: TokenUsage(promptTokens: 30, completionTokens: 15))
            conversation.setMark(.good, on: reply, at: date)
        }
        return conversation
    }

    /// Saves `conversations` bench conversations to `store`.
    static func write(conversations: Int, marksPerConversation: Int, to store: TranscriptStore) throws {
        for index in 0..<conversations { try store.save(conversation(index, turns: marksPerConversation)) }
    }
}
