/// Finds API keys, private keys, e-mail addresses and phone numbers in UTF-8 text; reports each one masked.
public enum SensitiveDataScanner {
    /// What was found.
    public enum Kind: String, Sendable, Hashable {
        case apiKey = "an API key"
        case privateKey = "a private key"
        case email = "an e-mail address"
        case phone = "a phone number"

        /// Secrets (keys) as opposed to personal data (addresses, numbers).
        public var isSecret: Bool { self == .apiKey || self == .privateKey }
    }

    /// One match, with a masked form that never shows the value in full ("sk-…Q2x9", "jan….com").
    public struct Finding: Sendable, Hashable {
        public var kind: Kind
        public var masked: String
    }

    /// Key shapes: prefix, characters allowed after it, minimum length after it (a new prefix's first byte must be
    /// added to the gate at the top of `keyEnd`).
    private static let keyShapes: [(prefix: [UInt8], body: @Sendable (UInt8) -> Bool, minimum: Int)] = [
        (Array("sk-".utf8), isKeyCharacter, 20),          // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-)
        (Array("AKIA".utf8), isUpperOrDigit, 16),         // AWS access key id
        (Array("ASIA".utf8), isUpperOrDigit, 16),
        (Array("ghp_".utf8), isAlphanumeric, 30),         // GitHub tokens
        (Array("gho_".utf8), isAlphanumeric, 30),
        (Array("ghs_".utf8), isAlphanumeric, 30),
        (Array("ghu_".utf8), isAlphanumeric, 30),
        (Array("github_pat_".utf8), isKeyCharacter, 20),
        (Array("glpat-".utf8), isKeyCharacter, 20),       // GitLab
        (Array("xoxb-".utf8), isKeyCharacter, 10),        // Slack
        (Array("xoxp-".utf8), isKeyCharacter, 10),
        (Array("AIza".utf8), isKeyCharacter, 30),         // Google API key
        (Array("hf_".utf8), isAlphanumeric, 30),          // Hugging Face
    ]
    private static let privateKeyMarker = Array("-----BEGIN ".utf8)
    private static let privateKeyEnd = Array("PRIVATE KEY-----".utf8)

    /// Every finding in `text`, in order.
    public static func scan(_ text: String) -> [Finding] {
        var copy = text
        return copy.withUTF8 { scan($0) }
    }

    /// Every finding in UTF-8 `bytes`, in order.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Finding] {
        var findings: [Finding] = []
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            let atWordStart = i == 0 || !isKeyCharacter(bytes[i - 1])
            if atWordStart, let end = keyEnd(bytes, at: i) {
                findings.append(Finding(kind: .apiKey, masked: mask(bytes, i, end)))
                i = end
                continue
            }
            if byte == 0x2D, matches(bytes, at: i, privateKeyMarker), let end = privateKeyHeaderEnd(bytes, at: i) {
                findings.append(Finding(kind: .privateKey, masked: "-----BEGIN …PRIVATE KEY-----"))
                i = end
                continue
            }
            if byte == 0x40, let (start, end) = emailRange(bytes, at: i) {
                // The local part was already walked over byte by byte; the address is reported once.
                findings.append(Finding(kind: .email, masked: mask(bytes, start, end)))
                i = end
                continue
            }
            if (byte == 0x2B || byte == 0x28 || isDigit(byte)), i == 0 || !(isAlphanumeric(bytes[i - 1]) || bytes[i - 1] == 0x2E || bytes[i - 1] == 0x2D || bytes[i - 1] == 0x2B),
               let end = phoneEnd(bytes, at: i) {
                findings.append(Finding(kind: .phone, masked: mask(bytes, i, end)))
                i = end
                continue
            }
            i += 1
        }
        return findings
    }

    // MARK: Shapes

    private static func keyEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        // Every shape's prefix starts with one of these: most words are ruled out by their first byte.
        switch bytes[start] {
        case UInt8(ascii: "s"), UInt8(ascii: "A"), UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "h"): break
        default: return nil
        }
        for shape in keyShapes where matches(bytes, at: start, shape.prefix) {
            var end = start + shape.prefix.count
            while end < bytes.count, shape.body(bytes[end]) { end += 1 }
            // The whole token must be key-shaped (no letters glued on after an AWS id, for instance).
            if end - start - shape.prefix.count >= shape.minimum, end == bytes.count || !isKeyCharacter(bytes[end]) { return end }
        }
        return nil
    }

    private static func privateKeyHeaderEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var end = start + privateKeyMarker.count
        let limit = min(bytes.count, end + 40)
        while end < limit {
            if matches(bytes, at: end, privateKeyEnd) { return end + privateKeyEnd.count }
            if bytes[end] == 0x0A { return nil }
            end += 1
        }
        return nil
    }

    /// The address around the `@` at `at`: a local part of [A-Za-z0-9._%+-] and a dotted domain ending in 2+ letters.
    private static func emailRange(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) -> (Int, Int)? {
        var start = at
        while start > 0, isLocalPartCharacter(bytes[start - 1]) { start -= 1 }
        guard start < at else { return nil }
        var end = at + 1
        var lastDot = -1
        while end < bytes.count, isAlphanumeric(bytes[end]) || bytes[end] == 0x2D || bytes[end] == 0x2E {
            if bytes[end] == 0x2E { lastDot = end }
            end += 1
        }
        // A sentence's full stop is not part of the domain.
        while end > at + 1, bytes[end - 1] == 0x2E { end -= 1; lastDot = -1; for j in (at + 1) ..< end where bytes[j] == 0x2E { lastDot = j } }
        guard lastDot > at + 1, end - lastDot - 1 >= 2 else { return nil }
        for j in (lastDot + 1) ..< end where !isLetter(bytes[j]) { return nil }
        return (start, end)
    }

    /// A phone number starting at `start`: "+" and 8–15 digits, or 10–11 digits in 3–4 groups with the last of 4
    /// ("(555) 123-4567", "555-123-4567", "1 555 123 4567").
    private static func phoneEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let international = bytes[start] == 0x2B
        var i = international ? start + 1 : start
        var digits = 0, groups: [Int] = [], current = 0
        var lastDigitEnd = i
        var separatorRun = 0
        while i < bytes.count {
            let byte = bytes[i]
            if isDigit(byte) {
                digits += 1
                current += 1
                separatorRun = 0
                lastDigitEnd = i + 1
            } else if byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x28 || byte == 0x29 {
                if current > 0 { groups.append(current); current = 0 }
                separatorRun += 1
                if separatorRun > 2 { break }
            } else {
                break
            }
            i += 1
        }
        if current > 0 { groups.append(current) }
        // Glued to letters or more digits ("v1.2.3a", a long id): not a phone number.
        if lastDigitEnd < bytes.count, isAlphanumeric(bytes[lastDigitEnd]) { return nil }
        if international {
            guard (8 ... 15).contains(digits), isDigit(bytes[start + 1]) else { return nil }
            return lastDigitEnd
        }
        guard (10 ... 11).contains(digits), (3 ... 4).contains(groups.count), groups.last == 4, groups.allSatisfy({ $0 <= 4 }) else { return nil }
        return lastDigitEnd
    }

    // MARK: Bytes

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ prefix: [UInt8]) -> Bool {
        guard start + prefix.count <= bytes.count else { return false }
        for (offset, byte) in prefix.enumerated() where bytes[start + offset] != byte { return false }
        return true
    }

    /// The first 3 and last 4 characters around "…", fewer for short values: never the whole value.
    private static func mask(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let length = end - start
        let keep = max(1, min(4, length / 4))
        let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< start + min(3, keep)]), as: UTF8.self)
        let tail = String(decoding: UnsafeBufferPointer(rebasing: bytes[end - keep ..< end]), as: UTF8.self)
        return head + "…" + tail
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    private static func isUpperOrDigit(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x41 && b <= 0x5A) }
    private static func isKeyCharacter(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == 0x2D || b == 0x5F }
    private static func isLocalPartCharacter(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D
    }
}
