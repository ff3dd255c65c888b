/// The notebook's statistics for one file (tokens counted the notebook's way: 3 per message,
/// the tokens of every string value, 1 more per `name`, 3 for priming the reply).
public struct ValidationStatistics: Sendable, Hashable, Codable {
    /// Non-blank lines (what an upload counts as examples).
    public var examples = 0
    /// Examples whose structure could be read, so their tokens were counted.
    public var countedExamples = 0
    /// Examples with at least one error.
    public var examplesWithErrors = 0
    public var messagesPerExample: Distribution?
    public var totalTokensPerExample: Distribution?
    public var assistantTokensPerExample: Distribution?
    /// Σ tokens over counted examples.
    public var totalTokens = 0
    /// Σ assistant-content tokens (all assistant messages, as the notebook counts).
    public var assistantTokens = 0
    /// Σ assistant-content tokens of messages with weight 1 (what training learns from).
    public var trainedAssistantTokens = 0
    public var examplesMissingSystem = 0
    public var examplesMissingUser = 0
    /// Examples longer than the model's training context (truncated in training).
    public var examplesOverLimit = 0
    public var contextLimit = 0
    /// Default epochs by the notebook's rule.
    public var epochs = 0
    /// Σ min(limit, tokens): tokens charged per epoch.
    public var billingTokensPerEpoch = 0
    /// epochs × billing tokens per epoch.
    public var billedTokens = 0
    /// The vocabulary counted with.
    public var encoding = TokenizerEncoding.o200kBase
    /// True when the counts are an estimate (model is not an OpenAI model).
    public var tokenCountIsEstimate = false
    /// Input bytes read.
    public var bytes = 0

    /// Empty statistics.
    public init() {}
}
