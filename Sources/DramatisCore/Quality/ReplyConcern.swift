/// Why a reply marked good may hurt training: it was cut off, it is empty, or it refuses.
///
/// A good mark on such a reply reaches the datasets only once the person confirmed it (`MarkRecord.confirmed`).
public enum ReplyConcern: Sendable, Hashable {
    /// The reply did not finish: `length` ([cut: length]), `cancelled` ([stopped]), `incomplete` (a broken
    /// stream, [incomplete]) or `content_filter`.
    case cutOff(FinishReason)
    /// Nothing but whitespace.
    case empty
    /// The reply declines to answer ("I'm sorry, but I can't help with that").
    case refusal

    /// The concerns of an assistant turn (none for user turns, greetings and replies the person wrote).
    ///
    /// This is the one place that decides; a backend that reports refusals explicitly should feed them in here.
    public static func concerns(of turn: Turn) -> [ReplyConcern] {
        guard turn.role == .assistant, turn.origin != .greeting else { return [] }
        var concerns: [ReplyConcern] = []
        // An edited reply is the person's own text: the finish reason it inherited from the original does not apply.
        if turn.origin != .edited {
            if !turn.isComplete || turn.reply?.error != nil {
                concerns.append(.cutOff(.incomplete))
            } else if let reason = turn.reply?.finishReason {
                switch reason {
                case .length, .cancelled, .incomplete, .contentFilter: concerns.append(.cutOff(reason))
                case .stop, .other: break
                }
            }
        }
        if turn.reply?.isRefusal == true {
            // The backend reported a refusal (`delta.refusal`).
            concerns.append(.refusal)
        } else if turn.text.allSatisfy(\.isWhitespace) {
            concerns.append(.empty)
        } else if RefusalDetector.isRefusal(turn.text) {
            concerns.append(.refusal)
        }
        return concerns
    }

    /// "was cut off (max tokens reached)", "is empty", "looks like a refusal".
    public var description: String {
        switch self {
        case .cutOff(.length): "was cut off (max tokens reached)"
        case .cutOff(.cancelled): "was stopped before it finished"
        case .cutOff(.contentFilter): "was cut by the provider's content filter"
        case .cutOff: "is incomplete (the stream broke)"
        case .empty: "is empty"
        case .refusal: "looks like a refusal"
        }
    }

    /// Several concerns in one phrase: "was cut off (max tokens reached) and is empty".
    public static func describe(_ concerns: [ReplyConcern]) -> String {
        concerns.map(\.description).joined(separator: " and ")
    }
}

/// Recognises replies that decline to answer, from their opening words (English).
public enum RefusalDetector {
    private static let apologies = ["i'm sorry", "i am sorry", "sorry", "i apologize", "i apologise", "apologies", "unfortunately"]
    private static let subjects = ["i can't ", "i cannot ", "i can not ", "i'm unable to ", "i am unable to ", "i'm not able to ",
                                   "i am not able to ", "i won't ", "i will not ", "i'm not going to ", "i am not going to "]
    private static let verbs = ["help", "assist", "provide", "comply", "fulfill", "fulfil", "do that", "do this", "answer",
                                "share", "write", "create", "generate", "continue", "support", "engage", "give"]

    /// True when the text opens with a refusal ("Sorry, but I can't help with that", "As an AI language model, …").
    public static func isRefusal(_ text: String) -> Bool {
        var opening = String(text.prefix(200)).lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        opening = NormalizedText.collapsingWhitespace(opening)
        if opening.hasPrefix("as an ai") { return true }
        for apology in apologies where opening.hasPrefix(apology) {
            opening = String(opening.dropFirst(apology.count))
            opening = String(opening.drop { $0 == "," || $0 == "." || $0 == "!" || $0 == " " })
            if opening.hasPrefix("but ") { opening = String(opening.dropFirst(4)) }
            break
        }
        if opening.hasPrefix("i must decline") { return true }
        for subject in subjects where opening.hasPrefix(subject) {
            let rest = opening.dropFirst(subject.count)
            let stripped = rest.hasPrefix("be able to ") ? rest.dropFirst("be able to ".count) : rest
            return verbs.contains { stripped.hasPrefix($0) }
        }
        return false
    }
}
