import Foundation

/// A judge persona's pairwise verdict on a compare round: which candidate is better (or a tie) with a one-line
/// reason, stored on the round (`judgement`). Kept exactly as parsed, like `JudgeVerdict`: a malformed answer is
/// stored raw with what was wrong, never guessed into a preference.
public struct PairwiseVerdict: Codable, Sendable, Hashable {
    /// The judge persona's id.
    public var judge: String
    /// The model that judged.
    public var model: String
    /// `scored`: the answer followed the format (`preferred` and `reason` set); `malformed`; `failed`.
    public var status: JudgeVerdict.Status
    /// The preferred candidate's pane letter ("A", "B", …) or "tie", when the answer followed the format.
    public var preferred: String?
    /// The judge's one-line reason when the answer followed the format.
    public var reason: String?
    /// The judge's answer as received (raw model text: sanitize before display).
    public var raw: String
    /// Why the answer is malformed, or the backend error.
    public var problem: String?
    public var at: Date

    public init(judge: String, model: String, status: JudgeVerdict.Status, preferred: String? = nil, reason: String? = nil,
                raw: String, problem: String? = nil, at: Date) {
        self.judge = judge
        self.model = model
        self.status = status
        self.preferred = preferred
        self.reason = reason
        self.raw = raw
        self.problem = problem
        self.at = at
    }

    /// The preference as a decision: a pane or a tie; nil unless the answer followed the format.
    public var preference: PairwisePreference? {
        guard status == .scored, let preferred else { return nil }
        return PairwisePreference(letter: preferred)
    }
}

/// What a pairwise verdict prefers: one pane, or neither.
public enum PairwisePreference: Sendable, Hashable {
    /// The candidate in pane `pane` (0 = A) is better.
    case better(pane: Int)
    case tie

    /// The preference written as `letter` ("A"…"Z" or "tie", exactly); nil for anything else.
    public init?(letter: String) {
        if letter == "tie" { self = .tie; return }
        guard letter.count == 1, let scalar = letter.unicodeScalars.first, ("A"..."Z").contains(scalar) else { return nil }
        self = .better(pane: Int(scalar.value) - 65)
    }

    /// The letter stored and shown: the pane letter or "tie".
    public var letter: String {
        switch self {
        case .better(let pane): CompareRound.paneLetter(pane)
        case .tie: "tie"
        }
    }
}
