/// A backend failure, with a message fit to show a user (secrets already masked).
public struct BackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a category that code can switch on.
    public enum Kind: String, Sendable, Hashable, Codable {
        case unauthorized        // 401/403: bad or missing key
        case notFound            // 404: unknown model / deployment / URL
        case rateLimited         // 429 after bounded retries
        case serverError         // 5xx
        case connectionRefused
        case dnsFailure
        case timeout             // connect or first-byte timeout
        case stalled             // no bytes for the idle timeout mid-stream
        case disconnected        // connection closed mid-stream
        case malformedResponse   // bad JSON in a chunk, HTML error page, non-SSE body
        case providerError       // `data: {"error": …}` mid-stream, or another 4xx
        case configuration       // missing key variable, bad URL, unknown backend name
        case localEngine         // the embedded llama-server could not start
    }

    public var kind: Kind
    /// One line for the status bar or stderr, e.g. "401 Unauthorized from openai: check OPENAI_API_KEY (sk-…abcd)".
    public var message: String
    /// Whether sending the same request again may succeed (everything but configuration errors).
    public var isRetryable: Bool
    /// Text already streamed before the failure (kept in the conversation, marked incomplete).
    public var partialText: String

    public init(kind: Kind, message: String, isRetryable: Bool? = nil, partialText: String = "") {
        self.kind = kind
        self.message = message
        self.isRetryable = isRetryable ?? (kind != .configuration)
        self.partialText = partialText
    }

    public var description: String { message }
}
