/// Token counts the backend reported for one reply.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    /// All generated tokens, reasoning included (as providers count them).
    public var completionTokens: Int
    /// Of `completionTokens`, the ones spent on reasoning (`completion_tokens_details.reasoning_tokens`), when reported.
    public var reasoningTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, reasoningTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reasoningTokens = reasoningTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case reasoningTokens = "reasoning_tokens"
    }
}
