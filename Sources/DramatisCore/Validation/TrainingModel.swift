/// What `dramatis validate --model` implies: which tokenizer counts, and the per-example training context.
public struct TrainingModel: Sendable, Hashable {
    /// The model name as given.
    public var name: String
    /// The tiktoken vocabulary used to count.
    public var encoding: TokenizerEncoding
    /// True when `encoding` is not the model's own tokenizer (counts are an estimate).
    public var isEstimate: Bool
    /// Tokens per training example; longer examples are truncated.
    public var contextLimit: Int

    /// Creates a model description.
    public init(name: String, encoding: TokenizerEncoding, isEstimate: Bool, contextLimit: Int) {
        self.name = name
        self.encoding = encoding
        self.isEstimate = isEstimate
        self.contextLimit = contextLimit
    }

    /// The training facts for a model name. OpenAI models count exactly with their own encoding;
    /// anything else (the local SmolLM2, other open models) is a labelled `o200k_base` estimate.
    public static func named(_ name: String) -> TrainingModel {
        let lower = name.lowercased()
        if let encoding = TokenizerEncoding.forModel(lower) {
            return TrainingModel(name: name, encoding: encoding, isEstimate: false, contextLimit: openAIContextLimit(lower))
        }
        // SmolLM2 was trained with an 8,192-token context.
        let limit = lower.contains("smollm2") ? 8_192 : 65_536
        return TrainingModel(name: name, encoding: .o200kBase, isEstimate: true, contextLimit: limit)
    }

    /// Per-example training context of OpenAI fine-tunable models.
    private static func openAIContextLimit(_ model: String) -> Int {
        let name = model.hasPrefix("ft:") ? String(model.dropFirst(3)) : model
        if name.hasPrefix("gpt-4o") || name.hasPrefix("gpt-4.1") || name.hasPrefix("o4") || name.hasPrefix("o3") { return 65_536 }
        if name.hasPrefix("gpt-3.5-turbo-0613") || name.hasPrefix("gpt-35-turbo-0613") { return 4_096 }
        if name.hasPrefix("gpt-3.5") || name.hasPrefix("gpt-35") { return 16_385 }
        if name.hasPrefix("gpt-4") { return 8_192 }
        if name.hasPrefix("babbage-002") || name.hasPrefix("davinci-002") { return 16_384 }
        return 65_536
    }
}
