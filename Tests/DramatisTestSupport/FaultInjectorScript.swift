import Foundation

/// One scripted HTTP answer of the `FaultInjector`: a sequence of steps run in order.
public struct FaultResponse: Sendable {
    /// One thing the server does.
    public enum Step: Sendable {
        /// Sends the status line and headers. The body is chunked unless a `Content-Length` is given.
        case head(status: Int, headers: [(String, String)])
        /// Sends these bytes as one body part (flushed at once).
        case bytes([UInt8])
        /// Waits before the next step.
        case wait(seconds: Double)
        /// Closes the TCP connection abruptly (no terminating chunk).
        case close
        /// Keeps the connection open and silent until the client goes away or the server stops.
        case stall

        /// Sends `text` (UTF-8) as one body part.
        public static func text(_ text: String) -> Step { .bytes(Array(text.utf8)) }
    }

    /// The steps, in order.
    public var steps: [Step]

    /// A response made of `steps`.
    public init(_ steps: [Step]) { self.steps = steps }

    /// A `200 text/event-stream` head.
    public static let sseHead = Step.head(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])

    /// A complete SSE reply: head, one body part per event (`data: …\n\n`), then the end of the body.
    public static func sse(_ events: [String]) -> FaultResponse {
        FaultResponse([sseHead] + events.map { .text("data: \($0)\n\n") })
    }

    /// A whole non-streaming answer with `Content-Length`.
    public static func plain(status: Int, contentType: String, body: String, headers: [(String, String)] = []) -> FaultResponse {
        let bytes = Array(body.utf8)
        return FaultResponse([.head(status: status, headers: [("Content-Type", contentType), ("Content-Length", "\(bytes.count)")] + headers),
                              .bytes(bytes)])
    }

    /// JSON for one streaming chunk carrying `content` (and optionally a finish reason).
    public static func chunk(_ content: String?, finish: String? = nil, role: String? = nil, index: Int = 0) -> String {
        var delta: [String: Any] = [:]
        if let role { delta["role"] = role }
        delta["content"] = content.map { $0 as Any } ?? NSNull()
        let choice: [String: Any] = ["index": index, "delta": delta, "finish_reason": finish.map { $0 as Any } ?? NSNull()]
        let object: [String: Any] = ["id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0,
                                     "model": "scripted", "choices": [choice]]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// A stream answering `n` = `texts.count` choices as llama-server does: every choice's role chunk, then the
    /// choices' pieces interleaved (choice 0's first piece, choice 1's, …; each text in pieces of `pieceLength`
    /// characters), each choice's finish followed by its own usage chunk with `timings`, then `[DONE]`.
    public static func choices(_ texts: [String], pieceLength: Int = 4, prompt: Int = 20) -> FaultResponse {
        let pieces = texts.map { text in
            stride(from: 0, to: text.count, by: pieceLength).map { start -> String in
                let from = text.index(text.startIndex, offsetBy: start)
                return String(text[from..<(text.index(from, offsetBy: pieceLength, limitedBy: text.endIndex) ?? text.endIndex)])
            }
        }
        var events = texts.indices.reversed().map { chunk(nil, role: "assistant", index: $0) }
        for step in 0..<(pieces.map(\.count).max() ?? 0) {
            for (index, choice) in pieces.enumerated() {
                if step < choice.count { events.append(chunk(choice[step], index: index)) }
                if step == choice.count - 1 {
                    events.append(chunk(nil, finish: "stop", index: index))
                    events.append(llamaUsageChunk(prompt: prompt, completion: choice.count))
                }
            }
        }
        return sse(events + ["[DONE]"])
    }

    /// JSON for llama-server's usage chunk after one choice's finish: empty `choices`, `usage` and `timings`.
    public static func llamaUsageChunk(prompt: Int, completion: Int) -> String {
        "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":\(prompt),\"completion_tokens\":\(completion),\"total_tokens\":\(prompt + completion)},\"timings\":{\"prompt_n\":\(prompt),\"predicted_n\":\(completion)}}"
    }

    /// JSON for the final usage chunk (empty `choices`).
    public static func usageChunk(prompt: Int, completion: Int) -> String {
        "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":\(prompt),\"completion_tokens\":\(completion),\"total_tokens\":\(prompt + completion)}}"
    }
}

/// A request the `FaultInjector` received.
public struct RecordedRequest: Sendable {
    /// HTTP method, e.g. "POST".
    public var method: String
    /// Request target, e.g. "/v1/chat/completions".
    public var uri: String
    /// Header names lower-cased.
    public var headers: [String: String]
    /// The request body.
    public var body: Data

    /// The body parsed as a JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
