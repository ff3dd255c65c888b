import DramatisCore
import Foundation

/// How failures before the first token are retried (429, 5xx, connections closed before answering): a
/// bounded number of times, waiting `Retry-After` / `retry-after-ms` when the server gives one, else an
/// exponential backoff with jitter. Nothing is retried once reply text has streamed.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first failure (so `maxRetries + 1` attempts at most).
    public var maxRetries: Int
    /// First backoff in seconds when no `Retry-After` is given; doubles each retry.
    public var initialBackoff: Double
    /// Longest single wait: backoff stops growing there, and a `Retry-After` beyond it fails at once instead of hanging.
    public var maxWait: Double
    /// Fraction of each backoff that is random (0: exact doubling; 0.5: between half and all of it), so many
    /// clients that failed together do not come back together.
    public var jitter: Double

    /// A policy; defaults: 3 retries, 1 s first backoff, 30 s longest wait, half jitter.
    public init(maxRetries: Int = 3, initialBackoff: Double = 1, maxWait: Double = 30, jitter: Double = 0.5) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxWait = maxWait
        self.jitter = min(max(jitter, 0), 1)
    }

    /// Seconds to wait before retry number `attempt` (0-based), or nil to give up. `random` is in 0..<1.
    public func delay(forAttempt attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0..<1)) -> Double? {
        guard attempt < maxRetries else { return nil }
        if let retryAfter { return retryAfter <= maxWait ? max(0, retryAfter) : nil }
        let backoff = min(initialBackoff * pow(2, Double(attempt)), maxWait)
        return max(0, backoff * (1 - jitter * random))
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

    /// Whether a failure that happened before any reply text may be retried: rate limits, server errors and
    /// connections closed before answering (not refused connections, timeouts or bad keys).
    public static func isRetryable(_ error: BackendError) -> Bool {
        switch error.kind {
        case .rateLimited, .serverError, .disconnected: error.partialText.isEmpty
        default: false
        }
    }
}
