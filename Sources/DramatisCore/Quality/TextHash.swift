/// Hashes of message text that ignore formatting: whitespace-insensitive (for "identical" checks) and
/// word-level, ignoring case, whitespace and punctuation (for near-duplicates). One pass over the bytes.
enum TextHash {
    private static let offset: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// (whitespace-collapsed, word-normalised) FNV-1a hashes of UTF-8 `bytes`. Only ASCII is case-folded;
    /// other bytes count as letters.
    static func hashes(_ bytes: UnsafeBufferPointer<UInt8>) -> (whitespace: UInt64, words: UInt64) {
        var whitespace = offset, words = offset
        var pendingSpace = false, pendingSeparator = false
        var anyText = false, anyWord = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = anyText
                pendingSeparator = anyWord
                continue
            }
            if pendingSpace { whitespace = (whitespace ^ 0x20) &* prime; pendingSpace = false }
            whitespace = (whitespace ^ UInt64(byte)) &* prime
            anyText = true
            var folded = byte
            if byte >= 0x41 && byte <= 0x5A { folded = byte | 0x20 }
            let isWord = byte >= 0x80 || (folded >= 0x61 && folded <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            if isWord {
                if pendingSeparator { words = (words ^ 0x20) &* prime; pendingSeparator = false }
                words = (words ^ UInt64(folded)) &* prime
                anyWord = true
            } else {
                pendingSeparator = anyWord
            }
        }
        return (whitespace, words)
    }

    /// Both hashes of a Swift string.
    static func hashes(_ text: String) -> (whitespace: UInt64, words: UInt64) {
        var copy = text
        return copy.withUTF8 { hashes($0) }
    }

    /// Folds `value` into a running hash (order-sensitive).
    static func combine(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        var z = (hash &* 0x9FB2_1C65_1E98_DF25) ^ value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
