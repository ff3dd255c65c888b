import Foundation
import Testing
@testable import DramatisBackends

@Suite struct RetryPolicyTests {
    @Test func retryAfterSecondsMillisecondsAndHTTPDate() {
        #expect(RetryPolicy.parseRetryAfter("7") == 7)
        #expect(RetryPolicy.parseRetryAfter(" 0 ") == 0)
        #expect(RetryPolicy.parseRetryAfter("20", milliseconds: "1500") == 1.5)
        let now = Date(timeIntervalSince1970: 1_700_000_000)          // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:50 GMT", now: now) == 30)
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter(nil) == nil)
    }

    @Test func backoffDoublesIsBoundedAndRespectsMaxWait() {
        let policy = RetryPolicy(maxRetries: 3, initialBackoff: 1, maxWait: 30, jitter: 0)
        #expect(policy.delay(forAttempt: 0, retryAfter: nil) == 1)
        #expect(policy.delay(forAttempt: 1, retryAfter: nil) == 2)
        #expect(policy.delay(forAttempt: 2, retryAfter: nil) == 4)
        #expect(policy.delay(forAttempt: 3, retryAfter: nil) == nil)      // retries used up
        #expect(policy.delay(forAttempt: 0, retryAfter: 12) == 12)        // Retry-After wins
        #expect(policy.delay(forAttempt: 0, retryAfter: 31) == nil)       // too long: fail now
    }
}
