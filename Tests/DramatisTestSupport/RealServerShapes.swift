import Foundation

/// Streams as real servers send them (recorded shapes, see issue #13), for the fault injector.
public enum RealServerShapes {
    /// OpenAI refusal: a role chunk with `refusal: ""`, refusal pieces with `content: null`, finish `stop`, usage.
    public static let refusal = FaultResponse.sse([
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""},"finish_reason":null}]}"#,
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":null,"refusal":"I'm sorry, "},"finish_reason":null}]}"#,
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":null,"refusal":"I can't help with that."},"finish_reason":null}]}"#,
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        #"{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":9,"total_tokens":20}}"#,
        "[DONE]"])

    /// DeepSeek reasoning: `reasoning_content` pieces with `content: null`, then the answer; usage (with
    /// `completion_tokens_details.reasoning_tokens`) inside the finish chunk.
    public static let deepSeekReasoning = FaultResponse.sse([
        #"{"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"finish_reason":null}]}"#,
        #"{"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"The user wants "},"finish_reason":null}]}"#,
        #"{"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"a number."},"finish_reason":null}]}"#,
        #"{"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Forty","reasoning_content":null},"finish_reason":null}]}"#,
        #"{"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"-two."},"finish_reason":null}]}"#,
        #"{"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,"completion_tokens_details":{"reasoning_tokens":26}}}"#,
        "[DONE]"])

    /// Ollama reasoning: `delta.reasoning`, role repeated in every chunk, `content: ""` meanwhile.
    public static let ollamaReasoning = FaultResponse.sse([
        #"{"id":"o1","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Hmm, "},"finish_reason":null}]}"#,
        #"{"id":"o1","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"easy."},"finish_reason":null}]}"#,
        #"{"id":"o1","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":"Yes."},"finish_reason":null}]}"#,
        #"{"id":"o1","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}"#,
        "[DONE]"])

    /// A finish with `tool_calls`: the call's name first, its arguments in pieces.
    public static let toolCall = FaultResponse.sse([
        #"{"id":"t1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}"#,
        #"{"id":"t1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}"#,
        #"{"id":"t1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}"#,
        #"{"id":"t1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        "[DONE]"])

    /// Text, then one of the error shapes servers send after the 200 status.
    public static func errorAfterText(_ shape: ErrorShape) -> FaultResponse {
        let text = FaultResponse.Step.text("data: \(FaultResponse.chunk("Once upon"))\n\n")
        switch shape {
        case .llamaCppDataError:
            // llama.cpp: a `data:` error object, then the stream ends without [DONE].
            return FaultResponse([FaultResponse.sseHead, text,
                                  .text(#"data: {"error":{"code":500,"message":"context shift is disabled","type":"server_error"}}"# + "\n\n")])
        case .vllmUnwrapped:
            return FaultResponse([FaultResponse.sseHead, text,
                                  .text(#"data: {"object":"error","message":"The engine died unexpectedly.","type":"InternalServerError","param":null,"code":500}"# + "\n\n")])
        case .errorField:
            // Older llama.cpp: an `error:` field instead of `data:`.
            return FaultResponse([FaultResponse.sseHead, text,
                                  .text(#"error: {"code":500,"message":"slot unavailable","type":"server_error"}"# + "\n\n")])
        case .openRouterFinishError:
            return FaultResponse([FaultResponse.sseHead, .text(": OPENROUTER PROCESSING\n\n"), text,
                                  .text(#"data: {"id":"gen-1","object":"chat.completion.chunk","error":{"code":502,"message":"Provider disconnected"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"# + "\n\n"),
                                  .text("data: [DONE]\n\n")])
        }
    }

    /// The four error shapes after the 200 status.
    public enum ErrorShape: String, CaseIterable, Sendable {
        case llamaCppDataError, vllmUnwrapped, errorField, openRouterFinishError

        /// What the server said, as the message quotes it.
        public var said: String {
            switch self {
            case .llamaCppDataError: "context shift is disabled (500)"
            case .vllmUnwrapped: "The engine died unexpectedly. (500)"
            case .errorField: "slot unavailable (500)"
            case .openRouterFinishError: "Provider disconnected (502)"
            }
        }
    }

    /// A stream whose last line is `data: [DONE]\n` with no blank line after it before the body ends.
    public static let doneWithoutBlankLine = FaultResponse([
        FaultResponse.sseHead,
        .text("data: \(FaultResponse.chunk("All good."))\n\n"),
        .text("data: \(FaultResponse.chunk(nil, finish: "stop"))\n\n"),
        .text("data: [DONE]\n")])

    /// `n` = 3: chunks of indexes 0, 1, 2 interleaved, each with its own role chunk and finish.
    public static let threeChoices: FaultResponse = {
        func chunk(_ index: Int, _ delta: String, finish: String? = nil) -> String {
            #"{"id":"n3","object":"chat.completion.chunk","choices":[{"index":\#(index),"delta":\#(delta),"finish_reason":\#(finish.map { "\"\($0)\"" } ?? "null")}]}"#
        }
        var events: [String] = []
        for index in 0..<3 { events.append(chunk(index, #"{"role":"assistant","content":""}"#)) }
        let words = [["Red", " apple"], ["Green", " pear"], ["Blue", " plum"]]
        for position in 0..<2 {
            for index in [2, 0, 1] { events.append(chunk(index, #"{"content":"\#(words[index][position])"}"#)) }
        }
        for index in [1, 2, 0] { events.append(chunk(index, "{}", finish: "stop")) }
        events.append("[DONE]")
        return FaultResponse.sse(events)
    }()
}
