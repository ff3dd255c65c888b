/// A retry the backend is about to make: which one, after how long, and why.
public struct RetryNotice: Sendable, Hashable {
    /// 1 for the first retry.
    public var attempt: Int
    /// Retries allowed in total.
    public var maxRetries: Int
    /// Seconds until the request is sent again.
    public var delay: Double
    /// The failure being retried (secrets masked).
    public var message: String

    public init(attempt: Int, maxRetries: Int, delay: Double, message: String) {
        self.attempt = attempt
        self.maxRetries = maxRetries
        self.delay = delay
        self.message = message
    }

    /// The status-line text, e.g. "retrying in 3 s (2/4)".
    public var statusText: String {
        let seconds = delay < 1 ? "<1" : String(Int(delay.rounded(.up)))
        return "retrying in \(seconds) s (\(attempt)/\(maxRetries))"
    }
}
