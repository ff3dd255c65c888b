/// Splits text into the pieces tiktoken feeds to BPE, reproducing its split regexes exactly.
///
/// A hand-written scanner over Unicode scalars instead of a regex engine: each pattern
/// alternative is decided in the order, and with the backtracking outcome, of the
/// `fancy-regex` match tiktoken runs. See `docs/validate.md` for the two patterns.
public struct PreTokenizer: Sendable {
    /// Which tiktoken split regex to reproduce.
    public enum Pattern: Sendable, Hashable {
        /// `o200k_base`: case-aware letter runs, `\p{N}{1,3}`, ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
        case o200k
        /// `cl100k_base`: `'(?i:[sdmt]|ll|ve|re)`, `[^\r\n\p{L}\p{N}]?+\p{L}++`, `\p{N}{1,3}+`, ` ?[^\s\p{L}\p{N}]++[\r\n]*+`, `\s++$`, `\s*[\r\n]`, `\s+(?!\S)`, `\s`.
        case cl100k
    }

    /// The split rules in use.
    public let pattern: Pattern

    /// A pre-tokenizer for `pattern`.
    public init(pattern: Pattern) {
        self.pattern = pattern
    }

    /// Calls `body` with the byte range of every piece of `bytes` (valid UTF-8), in order.
    @inline(__always)
    public func forEachPiece(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        ScalarClass.firstTwoPlanes.withUnsafeBufferPointer { classes in
        let scanner = SplitScanner(base: base, count: bytes.count, classes: classes.baseAddress!)
        var start = 0
        switch pattern {
        case .o200k:
            while start < bytes.count {
                let end = scanner.o200kPieceEnd(start)
                body(start, end)
                start = end
            }
        case .cl100k:
            while start < bytes.count {
                let end = scanner.cl100kPieceEnd(start)
                body(start, end)
                start = end
            }
        }
        }
    }

    /// The pieces of `text` as strings (for tests and diagnostics).
    public func pieces(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            var result: [String] = []
            forEachPiece(in: buffer) { start, end in
                result.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start ..< end]), as: UTF8.self))
            }
            return result
        }
    }
}

/// The scanning primitives over one UTF-8 buffer.
struct SplitScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// `ScalarClass.firstTwoPlanes`, held as a pointer so the hot loop skips the global's lazy-init check.
    let classes: UnsafePointer<ScalarClass>

    /// Class and encoded length of the scalar starting at byte `p`.
    /// Malformed bytes (never produced by `String`) count as one-byte punctuation.
    @inline(__always)
    func scalar(at p: Int) -> (ScalarClass, Int) {
        let b0 = base[p]
        if b0 < 0x80 { return (classes[Int(b0)], 1) }
        if b0 >= 0xC2 && b0 < 0xE0, p + 1 < count {
            let v = (UInt32(b0 & 0x1F) << 6) | UInt32(base[p + 1] & 0x3F)
            return (classes[Int(v)], 2)
        }
        if b0 >= 0xE0 && b0 < 0xF0, p + 2 < count {
            let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(base[p + 1] & 0x3F) << 6) | UInt32(base[p + 2] & 0x3F)
            return (classes[Int(v)], 3)
        }
        if b0 >= 0xF0 && b0 < 0xF5, p + 3 < count {
            let v = (UInt32(b0 & 0x07) << 18) | (UInt32(base[p + 1] & 0x3F) << 12)
                | (UInt32(base[p + 2] & 0x3F) << 6) | UInt32(base[p + 3] & 0x3F)
            return (v < 0x20000 ? classes[Int(v)] : ScalarClass.of(v), 4)
        }
        return ([], 1)
    }

    // MARK: o200k_base

    /// End of the o200k piece starting at `i`.
    func o200kPieceEnd(_ i: Int) -> Int {
        let (c0, l0) = scalar(at: i)
        // Alternative 1, `[^\r\n\p{L}\p{N}]?[Upper]*[Lower]+(?i:'s|…)?`: with the prefix, then without.
        if c0.isLetterPrefix, i + l0 < count, let end = lowerLedRun(from: i + l0) { return contractionEnd(end) }
        if let end = lowerLedRun(from: i) { return contractionEnd(end) }
        // Alternative 2, `[^\r\n\p{L}\p{N}]?[Upper]+[Lower]*(?i:'s|…)?`.
        if c0.isLetterPrefix, i + l0 < count, let end = upperLedRun(from: i + l0) { return contractionEnd(end) }
        if let end = upperLedRun(from: i) { return contractionEnd(end) }
        // Alternative 3, `\p{N}{1,3}`.
        if c0.isNumber { return numberEnd(i) }
        // Alternative 4, ` ?[^\s\p{L}\p{N}]+[\r\n/]*`.
        if let end = punctuationEnd(i, c0: c0, alsoSlash: true) { return end }
        // Alternatives 5-7 (the scalar is white space here).
        return o200kWhitespaceEnd(i)
    }

    /// `[Upper]*[Lower]+` from `j` with the backtracking outcome of the greedy star, or `nil`.
    @inline(__always)
    func lowerLedRun(from j: Int) -> Int? {
        var p = j
        var lastLower = -1, lastLowerLength = 0
        while p < count {
            let (c, l) = scalar(at: p)
            if !c.inUpperSet { break }
            if c.inLowerSet { lastLower = p; lastLowerLength = l }
            p += l
        }
        if p < count {
            let (c, l) = scalar(at: p)
            if c.inLowerSet { return lowerRunEnd(p + l) }
        }
        // The greedy `[Upper]*` gives back scalars until one that is also in `[Lower]`.
        if lastLower >= 0 { return lastLower + lastLowerLength }
        return nil
    }

    /// `[Upper]+[Lower]*` from `j`, or `nil`.
    @inline(__always)
    func upperLedRun(from j: Int) -> Int? {
        var p = j
        while p < count {
            let (c, l) = scalar(at: p)
            if !c.inUpperSet { break }
            p += l
        }
        if p == j { return nil }
        return lowerRunEnd(p)
    }

    /// End of the maximal `[Lower]*` run from `p`.
    @inline(__always)
    func lowerRunEnd(_ start: Int) -> Int {
        var p = start
        while p < count {
            let (c, l) = scalar(at: p)
            if !c.inLowerSet { break }
            p += l
        }
        return p
    }

    /// `end` extended by an optional `(?i:'s|'t|'re|'ve|'m|'ll|'d)` (case folding includes U+017F ſ for s).
    @inline(__always)
    func contractionEnd(_ end: Int) -> Int {
        guard end + 1 < count, base[end] == 0x27 else { return end }
        let b1 = base[end + 1] | 0x20
        switch base[end + 1] {
        case 0xC5:
            if end + 2 < count, base[end + 2] == 0xBF { return end + 3 }
            return end
        default:
            break
        }
        switch b1 {
        case 0x73, 0x74, 0x6D, 0x64: // s t m d
            return end + 2
        case 0x72, 0x76: // r v -> 're 've
            if end + 2 < count, base[end + 2] | 0x20 == 0x65 { return end + 3 }
        case 0x6C: // l -> 'll
            if end + 2 < count, base[end + 2] | 0x20 == 0x6C { return end + 3 }
        default:
            break
        }
        return end
    }

    /// `\p{N}{1,3}` from `i` (the first scalar is a number).
    @inline(__always)
    func numberEnd(_ i: Int) -> Int {
        var p = i, taken = 0
        while p < count, taken < 3 {
            let (c, l) = scalar(at: p)
            if !c.isNumber { break }
            p += l
            taken += 1
        }
        return p
    }

    /// ` ?[^\s\p{L}\p{N}]+[\r\n]*` (or `[\r\n/]*`), or `nil`.
    @inline(__always)
    func punctuationEnd(_ i: Int, c0: ScalarClass, alsoSlash: Bool) -> Int? {
        var p: Int
        if base[i] == 0x20, i + 1 < count, scalar(at: i + 1).0.isPunctuation {
            p = i + 1
        } else if c0.isPunctuation {
            p = i
        } else {
            return nil
        }
        while p < count {
            let (c, l) = scalar(at: p)
            if !c.isPunctuation { break }
            p += l
        }
        while p < count {
            let b = base[p]
            if b == 0x0D || b == 0x0A || (alsoSlash && b == 0x2F) { p += 1 } else { break }
        }
        return p
    }

    /// Facts about the maximal white-space run from `i`.
    @inline(__always)
    func whitespaceRun(_ i: Int) -> (end: Int, lastNewline: Int, lastStart: Int, scalars: Int) {
        var p = i, lastNewline = -1, lastStart = i, scalars = 0
        while p < count {
            let (c, l) = scalar(at: p)
            if !c.isWhitespace { break }
            if c.isNewline { lastNewline = p }
            lastStart = p
            scalars += 1
            p += l
        }
        return (p, lastNewline, lastStart, scalars)
    }

    /// `\s*[\r\n]+`, then `\s+(?!\S)`, then `\s+`.
    func o200kWhitespaceEnd(_ i: Int) -> Int {
        let run = whitespaceRun(i)
        if run.scalars == 0 { return i + scalar(at: i).1 } // unreachable for well-formed input
        if run.lastNewline >= 0 { return run.lastNewline + 1 }
        if run.end == count { return run.end }
        if run.scalars >= 2 { return run.lastStart }
        return run.end
    }

    // MARK: cl100k_base

    /// End of the cl100k piece starting at `i`.
    func cl100kPieceEnd(_ i: Int) -> Int {
        // `'(?i:[sdmt]|ll|ve|re)`
        if base[i] == 0x27 {
            let end = contractionEnd(i)
            if end != i { return end }
        }
        let (c0, l0) = scalar(at: i)
        // `[^\r\n\p{L}\p{N}]?+\p{L}++` (possessive prefix: no retry without it).
        if c0.isLetterPrefix {
            if i + l0 < count, scalar(at: i + l0).0.isLetter { return letterRunEnd(i + l0) }
        } else if c0.isLetter {
            return letterRunEnd(i)
        }
        // `\p{N}{1,3}+`
        if c0.isNumber { return numberEnd(i) }
        // ` ?[^\s\p{L}\p{N}]++[\r\n]*+`
        if let end = punctuationEnd(i, c0: c0, alsoSlash: false) { return end }
        // `\s++$|\s*[\r\n]|\s+(?!\S)|\s`
        let run = whitespaceRun(i)
        if run.scalars == 0 { return i + l0 } // unreachable for well-formed input
        if run.end == count { return run.end }
        if run.lastNewline >= 0 { return run.lastNewline + 1 }
        if run.scalars >= 2 { return run.lastStart }
        return run.end
    }

    /// End of the maximal `\p{L}` run from `start`.
    @inline(__always)
    func letterRunEnd(_ start: Int) -> Int {
        var p = start
        while p < count {
            let (c, l) = scalar(at: p)
            if !c.isLetter { break }
            p += l
        }
        return p
    }
}
