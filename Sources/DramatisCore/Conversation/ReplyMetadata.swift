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
    /// The model's refusal (`delta.refusal`), kept apart from the reply text; nil when it did not refuse.
    public var refusal: String?
    /// The model's reasoning (`reasoning_content` / `reasoning`), kept out of the reply text.
    public var reasoning: String?
    /// Tool calls the reply ended with (shown as a notice; a persona chat sends no tools).
    public var toolCalls: [ToolCallRecord]?
    /// The exact sampling parameters the reply was requested with (nil in transcripts older than this field).
    public var sampling: SamplingParameters?

    public init(backend: String, model: String, finishReason: FinishReason? = nil, usage: TokenUsage? = nil,
                timing: ReplyTiming? = nil, error: String? = nil, adapter: String? = nil, refusal: String? = nil,
                reasoning: String? = nil, toolCalls: [ToolCallRecord]? = nil, sampling: SamplingParameters? = nil) {
        self.backend = backend
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
        self.timing = timing
        self.error = error
        self.adapter = adapter
        self.refusal = refusal
        self.reasoning = reasoning
        self.toolCalls = toolCalls
        self.sampling = sampling
    }

    /// Whether the model refused (some refusal text arrived).
    public var isRefusal: Bool { !(refusal ?? "").isEmpty }

    enum CodingKeys: String, CodingKey {
        case backend, model, usage, timing, error, adapter, refusal, reasoning, sampling
        case toolCalls = "tool_calls"
        case finishReason = "finish_reason"
    }
}
