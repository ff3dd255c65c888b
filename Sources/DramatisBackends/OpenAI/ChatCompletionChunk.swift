/// One `data:` payload of a streaming chat-completions response, as OpenAI, Azure, DeepSeek, llama.cpp,
/// Ollama, vLLM and OpenRouter send it. Every field is optional because providers omit different ones.
struct ChatCompletionChunk: Decodable, Sendable, Hashable {
    /// One entry of `choices`.
    struct Choice: Decodable, Sendable, Hashable {
        /// The incremental message: `role` on the first chunk, then `content` (or `refusal`, reasoning, tool-call) pieces.
        struct Delta: Decodable, Sendable, Hashable {
            var role: String?
            var content: String?
            /// OpenAI: the model declines; `content` is null meanwhile.
            var refusal: String?
            /// DeepSeek and llama.cpp.
            var reasoningContent: String?
            /// Ollama.
            var reasoning: String?
            var toolCalls: [ToolCallDelta]?

            enum CodingKeys: String, CodingKey {
                case role, content, refusal, reasoning
                case reasoningContent = "reasoning_content"
                case toolCalls = "tool_calls"
            }
        }

        /// A piece of a tool call: the first piece of each `index` names the function, later ones extend `arguments`.
        struct ToolCallDelta: Decodable, Sendable, Hashable {
            struct Function: Decodable, Sendable, Hashable {
                var name: String?
                var arguments: String?
            }
            var index: Int?
            var function: Function?
        }

        var index: Int?
        var delta: Delta?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    /// Token counts (`stream_options.include_usage`, or inside the finish chunk at DeepSeek).
    struct Usage: Decodable, Sendable, Hashable {
        struct CompletionDetails: Decodable, Sendable, Hashable {
            var reasoningTokens: Int?
            enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
        }
        var promptTokens: Int?
        var completionTokens: Int?
        var completionTokensDetails: CompletionDetails?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case completionTokensDetails = "completion_tokens_details"
        }
    }

    /// llama.cpp's own timing block.
    struct Timings: Decodable, Sendable, Hashable {
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
    /// "error" in an unwrapped vLLM error (`{"object":"error","message":…}`).
    var object: String?
}
