/// Finds the first byte that is not part of well-formed UTF-8, before any decoding.
public enum UTF8Validation {
    /// Position of the first ill-formed byte: byte offset, 1-based line and 1-based column (in scalars).
    public struct Failure: Sendable, Hashable {
        public var offset: Int
        public var line: Int
        public var column: Int
        public var byte: UInt8
    }

    /// Nil when `bytes` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
    public static func firstInvalidByte(in bytes: [UInt8]) -> Failure? {
        var index = 0
        var line = 1
        var column = 1
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var lowerSecond: UInt8 = 0x80, upperSecond: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowerSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upperSecond = 0x9F
            case 0xF0: length = 4; lowerSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upperSecond = 0x8F
            default: return Failure(offset: index, line: line, column: column, byte: lead)
            }
            for continuation in 1..<length {
                let position = index + continuation
                guard position < bytes.count else {
                    return Failure(offset: index, line: line, column: column, byte: lead)
                }
                let byte = bytes[position]
                let lower = continuation == 1 ? lowerSecond : 0x80
                let upper = continuation == 1 ? upperSecond : 0xBF
                if byte < lower || byte > upper {
                    return Failure(offset: index, line: line, column: column, byte: lead)
                }
            }
            if lead == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return nil
    }
}
