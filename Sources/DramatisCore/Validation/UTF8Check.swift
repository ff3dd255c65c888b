/// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
enum UTF8Check {
    /// The byte offset of the first invalid sequence in `bytes`, or `nil` when all of it is valid.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < n {
            // Fast path: eight ASCII bytes at a time.
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            func continuation(_ k: Int) -> Bool { i + k < n && base[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2 ... 0xDF:
                guard continuation(1) else { return i }
                i += 2
            case 0xE0 ... 0xEF:
                guard continuation(1), continuation(2) else { return i }
                let b1 = base[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return i }   // overlong
                if b0 == 0xED && b1 >= 0xA0 { return i }   // surrogate
                i += 3
            case 0xF0 ... 0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return i }
                let b1 = base[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return i }    // overlong
                if b0 == 0xF4 && b1 >= 0x90 { return i }   // above U+10FFFF
                i += 4
            default:
                return i
            }
        }
        return nil
    }
}
