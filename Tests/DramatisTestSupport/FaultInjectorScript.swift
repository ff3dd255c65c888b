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

    public var steps: [Step]

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
    public static func chunk(_ content: String?, finish: String? = nil, role: String? = nil) -> String {
        var delta: [String: Any] = [:]
        if let role { delta["role"] = role }
        delta["content"] = content.map { $0 as Any } ?? NSNull()
        let choice: [String: Any] = ["index": 0, "delta": delta, "finish_reason": finish.map { $0 as Any } ?? NSNull()]
        let object: [String: Any] = ["id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0,
                                     "model": "scripted", "choices": [choice]]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON for the final usage chunk (empty `choices`).
    public static func usageChunk(prompt: Int, completion: Int) -> String {
        "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":\(prompt),\"completion_tokens\":\(completion),\"total_tokens\":\(prompt + completion)}}"
    }
}

/// A request the `FaultInjector` received.
public struct RecordedRequest: Sendable {
    public var method: String
    public var uri: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    /// The body parsed as a JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
