/// What the backend said about one assistant reply.
public struct ReplyMetadata: Codable, Sendable, Hashable {
    public var backend: String
    public var model: String
    /// The training run whose adapter answered (local model); nil: the base model.
    public var adapter: String?
    public var finishReason: FinishReason?
    public var usage: TokenUsage?
    public var timing: ReplyTiming?
    /// The user-facing error that ended the reply, if any (secrets masked).
    public var error: String?

    public init(backend: String, model: String, finishReason: FinishReason? = nil, usage: TokenUsage? = nil,
                timing: ReplyTiming? = nil, error: String? = nil, adapter: String? = nil) {
        self.backend = backend
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
        self.timing = timing
        self.error = error
        self.adapter = adapter
    }

    enum CodingKeys: String, CodingKey {
        case backend, model, usage, timing, error, adapter
        case finishReason = "finish_reason"
    }
}
