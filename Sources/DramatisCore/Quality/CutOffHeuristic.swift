/// Guesses, from its text alone, whether a reply was cut off (a dataset line has no finish reason).
public enum CutOffHeuristic {
    /// The reply's last words when it looks cut off: an unclosed code fence, or a long reply (12+ words) that
    /// ends in a letter, digit, comma, colon, semicolon or hyphen instead of closing punctuation. Nil otherwise.
    public static func cutOffEnding(_ text: String) -> String? {
        let trimmed = text.trimmingTrailingWhitespace()
        guard let last = trimmed.last else { return nil }
        let openEnding = last.isLetter || last.isNumber || ",:;-–".contains(last)
        let unclosedFence = fenceCount(trimmed) % 2 == 1
        // Most replies end closed and have no stray fence: they are decided without splitting into words.
        guard unclosedFence || openEnding else { return nil }
        let words = lastWords(trimmed, upTo: 12)
        guard unclosedFence || words.count >= 12 else { return nil }
        return words.suffix(4).joined(separator: " ")
    }

    /// The last `limit` words of `text` (runs of non-whitespace characters, as `split(whereSeparator:)` makes them),
    /// in order, found walking back from the end: a long reply is not split whole to learn that it has 12 words.
    static func lastWords(_ text: Substring, upTo limit: Int) -> [Substring] {
        var reversed: [Substring] = []
        var wordEnd: Substring.Index?
        var index = text.endIndex
        while index > text.startIndex, reversed.count < limit {
            let before = text.index(before: index)
            if text[before].isWhitespace {
                if let end = wordEnd { reversed.append(text[index..<end]) }
                wordEnd = nil
            } else if wordEnd == nil {
                wordEnd = index
            }
            index = before
        }
        if reversed.count < limit, let end = wordEnd { reversed.append(text[text.startIndex..<end]) }
        return reversed.reversed()
    }

    /// How many times "```" occurs in `text`, left to right without overlaps (as `components(separatedBy:)` splits),
    /// counted on its UTF-8 bytes.
    static func fenceCount(_ text: Substring) -> Int {
        var count = 0
        var run = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "`") {
                run += 1
                if run == 3 { count += 1; run = 0 }
            } else {
                run = 0
            }
        }
        return count
    }
}

extension String {
    /// The string without trailing whitespace and newlines.
    func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[..<end]
    }
}
