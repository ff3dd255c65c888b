/// One `data:` payload of a streaming chat-completions response, as OpenAI, Azure, llama.cpp,
/// Ollama and vLLM send it. Every field is optional because providers omit different ones.
struct ChatCompletionChunk: Decodable, Sendable {
    /// One entry of `choices`.
    struct Choice: Decodable, Sendable {
        /// The incremental message: `role` on the first chunk, then `content` pieces.
        struct Delta: Decodable, Sendable {
            var role: String?
            var content: String?
        }
        var index: Int?
        var delta: Delta?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    /// Token counts (`stream_options.include_usage`, or llama.cpp's final chunk).
    struct Usage: Decodable, Sendable {
        var promptTokens: Int?
        var completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }

    /// llama.cpp's own timing block.
    struct Timings: Decodable, Sendable {
        var promptN: Int?
        var predictedN: Int?

        enum CodingKeys: String, CodingKey {
            case promptN = "prompt_n"
            case predictedN = "predicted_n"
        }
    }

    var choices: [Choice]?
    var usage: Usage?
    var timings: Timings?
    var error: ProviderErrorPayload?
}
