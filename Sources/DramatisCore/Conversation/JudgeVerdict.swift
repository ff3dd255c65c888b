import Foundation

/// A judge persona's verdict on one reply, stored on the reply in the transcript (`verdict`).
///
/// A verdict is kept exactly as parsed: a score with a one-line reason, or the judge's raw answer marked
/// malformed (never guessed), or the failure that left no answer.
public struct JudgeVerdict: Codable, Sendable, Hashable {
    /// What became of the judge's answer.
    public enum Status: String, Codable, Sendable, Hashable {
        /// The answer followed the format: `score` and `reason` are set.
        case scored
        /// The answer did not follow the format; `raw` holds it and `problem` says what was wrong.
        case malformed
        /// The judge's backend failed; `problem` holds the error (secrets masked).
        case failed
    }

    /// The judge persona's id.
    public var judge: String
    /// The model that judged.
    public var model: String
    public var status: Status
    /// 1 (worst) to 5 (best) when scored.
    public var score: Int?
    /// The judge's one-line reason when scored.
    public var reason: String?
    /// The judge's answer as received (raw model text: sanitize before display).
    public var raw: String
    /// Why the answer is malformed, or the backend error.
    public var problem: String?
    public var at: Date

    public init(judge: String, model: String, status: Status, score: Int? = nil, reason: String? = nil, raw: String,
                problem: String? = nil, at: Date) {
        self.judge = judge
        self.model = model
        self.status = status
        self.score = score
        self.reason = reason
        self.raw = raw
        self.problem = problem
        self.at = at
    }

    /// The mark `--auto-mark` derives from a scored verdict: 4–5 good, 1–2 bad, 3 (or no score) none.
    public var suggestedMark: Mark? {
        guard status == .scored, let score else { return nil }
        if score >= 4 { return .good }
        if score <= 2 { return .bad }
        return nil
    }
}
