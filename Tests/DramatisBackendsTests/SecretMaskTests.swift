import Testing
@testable import DramatisBackends

@Suite struct SecretMaskTests {
    @Test func masksKeepOnlyPrefixAndSuffix() {
        #expect(SecretMask.mask("sk-proj-ABCDEFGHIJKLMNOP1234") == "sk-…1234")
        #expect(SecretMask.mask("short") == "****")
    }

    @Test func redactReplacesEveryOccurrence() {
        let key = "sk-test-SECRETSECRET9876"
        let text = "bad key \(key) (was \(key))"
        let redacted = SecretMask.redact(text, secrets: [key])
        #expect(!redacted.contains(key))
        #expect(redacted == "bad key sk-…9876 (was sk-…9876)")
    }
}
