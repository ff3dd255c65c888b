/// A complete chat-completions request: the messages (system first) and sampling.
public struct ChatRequest: Sendable, Hashable {
    /// Model name; nil lets the backend use its configured default.
    public var model: String?
    public var messages: [ChatMessage]
    public var sampling: SamplingParameters
    /// Local engine only: the scale of each LoRA adapter the engine loaded, by index (1 applies it, 0 leaves
    /// it out; all 0 is exactly the base model). Nil sends no choice (other backends never send one).
    public var adapterScales: [Double]?

    public init(model: String? = nil, messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters(),
                adapterScales: [Double]? = nil) {
        self.model = model
        self.messages = messages
        self.sampling = sampling
        self.adapterScales = adapterScales
    }
}
