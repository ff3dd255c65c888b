import Foundation

/// How 429 answers are retried: only before the first token, a bounded number of times,
/// waiting `Retry-After` when the server gives one, else exponential backoff.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first 429 (so `maxRetries + 1` attempts at most).
    public var maxRetries: Int
    /// First backoff in seconds when no `Retry-After` is given; doubles each retry.
    public var initialBackoff: Double
    /// Longest single wait; a `Retry-After` beyond it fails at once instead of hanging.
    public var maxWait: Double

    public init(maxRetries: Int = 3, initialBackoff: Double = 1, maxWait: Double = 30) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxWait = maxWait
    }

    /// Seconds to wait before retry number `attempt` (0-based), or nil to give up.
    public func delay(forAttempt attempt: Int, retryAfter: Double?) -> Double? {
        guard attempt < maxRetries else { return nil }
        let wait = retryAfter ?? initialBackoff * pow(2, Double(attempt))
        return wait <= maxWait ? max(0, wait) : nil
    }

    /// Parses a `Retry-After` header: delta-seconds or an HTTP date (also `retry-after-ms`).
    public static func parseRetryAfter(_ value: String?, milliseconds: String? = nil, now: Date = Date()) -> Double? {
        if let milliseconds, let ms = Double(milliseconds.trimmingCharacters(in: .whitespaces)), ms >= 0 {
            return ms / 1000
        }
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}
