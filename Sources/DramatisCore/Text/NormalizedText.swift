/// Text normalisations used to compare examples: whitespace-insensitive and word-level.
public enum NormalizedText {
    /// Runs of whitespace collapsed to one space, leading and trailing whitespace removed.
    public static func collapsingWhitespace(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// Lowercased words (letters and digits) separated by one space: case, whitespace and punctuation ignored.
    public static func words(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            } else {
                pendingSpace = !result.isEmpty
            }
        }
        return result
    }

    /// Whether two texts differ only in whitespace.
    public static func equalIgnoringWhitespace(_ a: String, _ b: String) -> Bool {
        a == b || collapsingWhitespace(a) == collapsingWhitespace(b)
    }
}
