/// How alike two replies are: 1 − word-level edit distance / longer length, in [0, 1], rounded to 3 decimals.
///
/// Case-insensitive; punctuation is split from words. 1.0 for identical texts (and for two empty ones).
public enum TextSimilarity {
    /// The similarity score of `old` and `new`.
    public static func score(_ old: String, _ new: String) -> Double {
        let a = words(old), b = words(new)
        let longest = max(a.count, b.count)
        guard longest > 0 else { return 1 }
        let distance = editDistance(a, b)
        return ((1 - Double(distance) / Double(longest)) * 1000).rounded() / 1000
    }

    /// Lowercased words and single punctuation marks.
    static func words(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let lower = text.lowercased()
        var start: String.Index?
        var index = lower.startIndex
        while index < lower.endIndex {
            let character = lower[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
            } else {
                if let begin = start { result.append(lower[begin..<index]); start = nil }
                if !character.isWhitespace { result.append(lower[index...index]) }
            }
            index = lower.index(after: index)
        }
        if let begin = start { result.append(lower[begin...]) }
        return result
    }

    /// Levenshtein distance over tokens.
    static func editDistance(_ a: [Substring], _ b: [Substring]) -> Int {
        EditDistance.levenshtein(a, b)
    }
}
