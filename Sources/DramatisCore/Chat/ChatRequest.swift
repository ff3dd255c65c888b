/// A complete chat-completions request: the messages (system first) and sampling.
public struct ChatRequest: Sendable, Hashable {
    /// Model name; nil lets the backend use its configured default.
    public var model: String?
    public var messages: [ChatMessage]
    public var sampling: SamplingParameters
    /// Local engine only: the scale of each LoRA adapter the engine loaded, by index (1 applies it, 0 leaves
    /// it out; all 0 is exactly the base model). Nil sends no choice (other backends never send one).
    public var adapterScales: [Double]?
    /// How many replies to the same messages `ChatBackend.streamChoices` asks for (as `n` where the backend takes it,
    /// else one request per choice): choice k samples with `sampling.seed + k`. `ChatBackend.stream` asks for one.
    public var choices: Int

    public init(model: String? = nil, messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters(),
                adapterScales: [Double]? = nil, choices: Int = 1) {
        self.model = model
        self.messages = messages
        self.sampling = sampling
        self.adapterScales = adapterScales
        self.choices = choices
    }

    /// The request for choice `index` alone: one reply, sampled with the seed that choice has in a several-choice request.
    public func single(choice index: Int) -> ChatRequest {
        var request = self
        request.choices = 1
        request.sampling.seed = sampling.seed.map { $0 + index }
        return request
    }
}
