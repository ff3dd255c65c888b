#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes JSON string escapes into UTF-8 bytes (lone surrogates become U+FFFD, as tiktoken's
/// Python wrapper does before encoding).
package enum JSONStringDecoder {
    /// The value of one hexadecimal digit, or `nil`.
    @inline(__always)
    package static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30 ... 0x39: return UInt32(b - 0x30)
        case 0x41 ... 0x46: return UInt32(b - 0x41 + 10)
        case 0x61 ... 0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    /// Appends the decoded content of `raw` (the bytes between the quotes, already validated) to `output`.
    package static func decode(_ raw: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: raw.count))
        let written = output.withUnsafeMutableBufferPointer { decode(raw, to: $0.baseAddress! + start) }
        output.removeLast(raw.count - written)
    }

    /// Writes the decoded content of `raw` (already validated) to `output`, which must have room for
    /// `raw.count` bytes (decoding never lengthens: an escape is at least as long as its UTF-8).
    /// Returns the number of bytes written. Runs without escapes are copied with `memcpy`.
    package static func decode(_ raw: UnsafeBufferPointer<UInt8>, to output: UnsafeMutablePointer<UInt8>) -> Int {
        guard let base = raw.baseAddress else { return 0 }
        var i = 0, o = 0
        let n = raw.count
        while i < n {
            // Copy up to the next backslash in one go.
            let run: Int
            if let found = memchr(base + i, 0x5C, n - i) {
                run = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) - i
            } else {
                run = n - i
            }
            if run > 0 {
                (output + o).update(from: base + i, count: run)
                i += run
                o += run
                if i >= n { break }
            }
            let e = base[i + 1]
            switch e {
            case 0x62: output[o] = 0x08; o += 1; i += 2
            case 0x66: output[o] = 0x0C; o += 1; i += 2
            case 0x6E: output[o] = 0x0A; o += 1; i += 2
            case 0x72: output[o] = 0x0D; o += 1; i += 2
            case 0x74: output[o] = 0x09; o += 1; i += 2
            case 0x75:
                var scalar = hex4(raw, i + 2)
                i += 6
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    if i + 5 < n, base[i] == 0x5C, base[i + 1] == 0x75 {
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
                o += writeUTF8(scalar, to: output + o)
            default: output[o] = e; o += 1; i += 2 // \" \\ \/
            }
        }
        return o
    }

    /// Whether `raw` (string content, already validated) has a `\u` escape of a UTF-16 surrogate that is not
    /// half of a high-low pair: `decode` turns those into U+FFFD, where Foundation's `JSONDecoder` refuses the string.
    package static func hasLoneSurrogate(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = raw.baseAddress else { return false }
        let n = raw.count
        var i = 0
        while i < n {
            guard let found = memchr(base + i, 0x5C, n - i) else { return false }
            i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard base[i + 1] == 0x75 else { i += 2; continue }
            let scalar = hex4(raw, i + 2)
            i += 6
            if scalar >= 0xDC00 && scalar < 0xE000 { return true }
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard i + 5 < n, base[i] == 0x5C, base[i + 1] == 0x75 else { return true }
                let low = hex4(raw, i + 2)
                guard low >= 0xDC00 && low < 0xE000 else { return true }
                i += 6
            }
        }
        return false
    }

    /// Writes the UTF-8 of `scalar` at `output`; returns its length.
    @inline(__always)
    package static func writeUTF8(_ scalar: UInt32, to output: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0 ..< 0x80:
            output[0] = UInt8(scalar)
            return 1
        case 0x80 ..< 0x800:
            output[0] = UInt8(0xC0 | (scalar >> 6))
            output[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        case 0x800 ..< 0x10000:
            output[0] = UInt8(0xE0 | (scalar >> 12))
            output[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            output[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        default:
            output[0] = UInt8(0xF0 | (scalar >> 18))
            output[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            output[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            output[3] = UInt8(0x80 | (scalar & 0x3F))
            return 4
        }
    }

    @inline(__always)
    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        (hexValue(raw[at])! << 12) | (hexValue(raw[at + 1])! << 8) | (hexValue(raw[at + 2])! << 4) | hexValue(raw[at + 3])!
    }
}
