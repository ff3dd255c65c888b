/// A persona playing the user (`role: user-simulator`, or any persona chosen for the user's seat).
///
/// It sees the conversation from the user's seat: its own system prompt and examples, then the conversation with
/// the roles flipped (the assistant's replies arrive as "user" messages, its earlier user turns are its own
/// "assistant" messages). Its answer becomes the next user turn (origin `simulated`).
public struct UserSimulator: Sendable {
    public var persona: Persona
    public var backend: any ChatBackend
    /// Model to request; nil uses the simulator persona's model, then the backend's default.
    public var model: String?
    /// Sampling sent; the simulator persona's when nil.
    public var sampling: SamplingParameters?

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil) {
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling
    }

    /// Sent (as a "user" message) when the simulator speaks first: chat templates expect a user message before an assistant one.
    public static let openingCue = "(The conversation starts now. Write your first message.)"

    /// The simulator's view of `conversation`'s active branch: its preamble, then the turns with roles flipped.
    public static func requestMessages(simulator: Persona, conversation: Conversation) -> [ChatMessage] {
        var messages = simulator.preambleMessages
        let flipped = conversation.activePath.map { id -> ChatMessage in
            let turn = conversation[id]
            return ChatMessage(role: turn.role == .assistant ? .user : .assistant, content: turn.historyText)
        }
        if flipped.first?.role != .user { messages.append(.user(openingCue)) }
        messages += flipped
        return messages
    }

    /// The request for the next user turn of `conversation`.
    public func request(for conversation: Conversation) -> ChatRequest {
        ChatRequest(model: TurnService.model(chosen: model, persona: persona),
                    messages: Self.requestMessages(simulator: persona, conversation: conversation),
                    sampling: sampling ?? persona.sampling)
    }
}
