/// Guesses, from its text alone, whether a reply was cut off (a dataset line has no finish reason).
public enum CutOffHeuristic {
    /// The reply's last words when it looks cut off: an unclosed code fence, or a long reply (12+ words) that
    /// ends in a letter, digit, comma, colon, semicolon or hyphen instead of closing punctuation. Nil otherwise.
    public static func cutOffEnding(_ text: String) -> String? {
        let trimmed = text.trimmingTrailingWhitespace()
        guard let last = trimmed.last else { return nil }
        let fences = trimmed.components(separatedBy: "```").count - 1
        let words = trimmed.split(whereSeparator: \.isWhitespace)
        let openEnding = last.isLetter || last.isNumber || ",:;-–".contains(last)
        guard fences % 2 == 1 || (openEnding && words.count >= 12) else { return nil }
        return words.suffix(4).joined(separator: " ")
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
