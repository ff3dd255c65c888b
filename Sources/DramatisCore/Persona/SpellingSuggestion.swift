/// Finds the closest known word to a misspelt one, for "did you mean …?" hints.
public enum SpellingSuggestion {
    /// The candidate closest to `word` (after normalising case, `-` and camelCase), or nil when none is close.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let normalised = normalise(word)
        if let exact = candidates.first(where: { normalise($0) == normalised }) { return exact }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(normalised, normalise(candidate))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = max(1, min(3, normalised.count / 3))
        if best.distance <= limit { return best.candidate }
        // A prefix or containment (`temp` for `temperature`, `maxtokens` for `max_tokens`).
        let squashed = normalised.replacingOccurrences(of: "_", with: "")
        if squashed.count >= 3, let hit = candidates.first(where: {
            let other = normalise($0).replacingOccurrences(of: "_", with: "")
            return other.hasPrefix(squashed) || squashed.hasPrefix(other) || other == squashed
        }) { return hit }
        return nil
    }

    /// Lower-case snake_case form: `topP` and `top-p` become `top_p`.
    static func normalise(_ word: String) -> String {
        var result = ""
        var previousWasLower = false
        for character in word {
            if character.isUppercase, previousWasLower { result.append("_") }
            previousWasLower = character.isLowercase || character.isNumber
            result.append(character == "-" || character == " " ? "_" : Character(character.lowercased()))
        }
        return result
    }

    /// Levenshtein distance counted in characters.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        EditDistance.levenshtein(Array(lhs), Array(rhs))
    }
}
