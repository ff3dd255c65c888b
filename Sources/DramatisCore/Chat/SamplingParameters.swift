/// Sampling settings sent with a chat request; nil means "the backend's default".
public struct SamplingParameters: Codable, Sendable, Hashable {
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var stop: [String]?
    public var seed: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?

    public init(temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil, stop: [String]? = nil,
                seed: Int? = nil, presencePenalty: Double? = nil, frequencyPenalty: Double? = nil) {
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
    }

    /// Values of `overrides` win where they are set; the rest come from `self`.
    public func overridden(by overrides: SamplingParameters) -> SamplingParameters {
        SamplingParameters(
            temperature: overrides.temperature ?? temperature,
            topP: overrides.topP ?? topP,
            maxTokens: overrides.maxTokens ?? maxTokens,
            stop: overrides.stop ?? stop,
            seed: overrides.seed ?? seed,
            presencePenalty: overrides.presencePenalty ?? presencePenalty,
            frequencyPenalty: overrides.frequencyPenalty ?? frequencyPenalty)
    }

    enum CodingKeys: String, CodingKey {
        case temperature
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case stop
        case seed
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
    }
}

extension SamplingParameters {
    /// The settings that are set, as one line: `temperature 0.3 · max_tokens 40 · stop "\n"`; `backend defaults` when none is.
    public var summary: String {
        let parts = SamplingField.allCases.filter { $0.isSet(in: self) }.map { "\($0.key) \($0.text(in: self))" }
        return parts.isEmpty ? "backend defaults" : parts.joined(separator: " · ")
    }
}
