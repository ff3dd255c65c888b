/// A complete chat-completions request: the messages (system first) and sampling.
public struct ChatRequest: Sendable, Hashable {
    /// Model name; nil lets the backend use its configured default.
    public var model: String?
    public var messages: [ChatMessage]
    public var sampling: SamplingParameters

    public init(model: String? = nil, messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters()) {
        self.model = model
        self.messages = messages
        self.sampling = sampling
    }
}
