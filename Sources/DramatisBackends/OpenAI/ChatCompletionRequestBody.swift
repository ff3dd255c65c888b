import DramatisCore

/// The JSON body of `POST …/chat/completions` with streaming on.
struct ChatCompletionRequestBody: Encodable, Sendable {
    /// `stream_options`: asks for a final usage chunk.
    struct StreamOptions: Encodable, Sendable {
        var includeUsage: Bool
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var model: String
    var messages: [ChatMessage]
    var stream = true
    var streamOptions: StreamOptions?
    var temperature: Double?
    var topP: Double?
    var maxTokens: Int?
    var stop: [String]?
    var seed: Int?
    var presencePenalty: Double?
    var frequencyPenalty: Double?
    /// How many choices to sample (`n`); nil for one.
    var n: Int?
    /// llama-server's per-request LoRA choice, `[{"id": i, "scale": s}]`; only sent to the local engine.
    var lora: [LoRAScale]?

    /// One adapter's scale in `lora`.
    struct LoRAScale: Encodable, Sendable {
        var id: Int
        var scale: Double
    }

    init(model: String, messages: [ChatMessage], sampling: SamplingParameters, includeUsage: Bool,
         adapterScales: [Double]? = nil, choices: Int = 1) {
        self.n = choices > 1 ? choices : nil
        self.lora = adapterScales?.enumerated().map { LoRAScale(id: $0.offset, scale: $0.element) }
        self.model = model
        self.messages = messages
        self.streamOptions = includeUsage ? StreamOptions(includeUsage: true) : nil
        self.temperature = sampling.temperature
        self.topP = sampling.topP
        self.maxTokens = sampling.maxTokens
        self.stop = sampling.stop
        self.seed = sampling.seed
        self.presencePenalty = sampling.presencePenalty
        self.frequencyPenalty = sampling.frequencyPenalty
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature, stop, seed, lora, n
        case streamOptions = "stream_options"
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
    }
}
