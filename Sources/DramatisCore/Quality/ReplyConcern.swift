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
        mayOpenARefusal(text) && opensWithRefusal(text)
    }

    /// The full test behind `isRefusal`, on the lowercased, whitespace-collapsed opening (no quick gate).
    static func opensWithRefusal(_ text: String) -> Bool {
        var opening = String(String(text.prefix(200)).lowercased().map { $0 == "\u{2019}" ? "'" : $0 })
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

    /// A quick test on the first bytes, true for every text `isRefusal` accepts. Each opening it knows starts, after
    /// whitespace, with the word "as" or "i" (then a space, an apostrophe or ’) or with a word beginning "sorry",
    /// "apologies" or "unfortunately"; the first run of ASCII letters, lowercased, is checked for that. Any other run
    /// rules the text out without lowercasing and normalising its opening; a non-ASCII start is left to the full test.
    static func mayOpenARefusal(_ text: String) -> Bool {
        var word: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                if word.isEmpty { continue }
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                if word.count < 16 { word.append(byte); continue }
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if word.count < 16 { word.append(byte | 0x20); continue }
            default:
                if word.isEmpty { return byte >= 0x80 }
            }
            break
        }
        let first = String(decoding: word, as: UTF8.self)
        return first == "as" || first == "i" || first.hasPrefix("sorry") || first.hasPrefix("apologies")
            || first.hasPrefix("unfortunately")
    }
}
