/// Decodes JSON string escapes into UTF-8 bytes (lone surrogates become U+FFFD, as tiktoken's
/// Python wrapper does before encoding).
enum JSONStringDecoder {
    /// The value of one hexadecimal digit, or `nil`.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30 ... 0x39: return UInt32(b - 0x30)
        case 0x41 ... 0x46: return UInt32(b - 0x41 + 10)
        case 0x61 ... 0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    /// Appends the decoded content of `raw` (the bytes between the quotes, already validated) to `output`.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var i = 0
        let n = raw.count
        while i < n {
            let b = raw[i]
            if b != 0x5C { output.append(b); i += 1; continue }
            let e = raw[i + 1]
            switch e {
            case 0x62: output.append(0x08); i += 2
            case 0x66: output.append(0x0C); i += 2
            case 0x6E: output.append(0x0A); i += 2
            case 0x72: output.append(0x0D); i += 2
            case 0x74: output.append(0x09); i += 2
            case 0x75:
                var scalar = hex4(raw, i + 2)
                i += 6
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    if i + 5 < n, raw[i] == 0x5C, raw[i + 1] == 0x75 {
                        let low = hex4(raw, i + 2)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &output)
            default: output.append(e); i += 2 // \" \\ \/
            }
        }
    }

    @inline(__always)
    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        (hexValue(raw[at])! << 12) | (hexValue(raw[at + 1])! << 8) | (hexValue(raw[at + 2])! << 4) | hexValue(raw[at + 3])!
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0 ..< 0x80:
            output.append(UInt8(scalar))
        case 0x80 ..< 0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800 ..< 0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
