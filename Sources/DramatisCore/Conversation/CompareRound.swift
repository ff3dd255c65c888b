import Foundation

/// A compare round: one user turn answered by two (or up to four) sources at once, side by side, and the
/// person's decision. Stored on the user turn (`Turn.compare`, key `compare`); the decision itself is also
/// expressed as marks and the selection on the replies, so the recorder derives SFT lines and preference pairs
/// from it as from any marks.
public struct CompareRound: Codable, Sendable, Hashable {
    /// The replies in pane order (the first is pane A, left or top), each with the source that wrote it.
    public var sides: [CompareSide]
    /// True when source names were hidden and the sides shuffled until the decision (stored only when true).
    public var blind: Bool?
    /// The person's decision; nil while undecided.
    public var decision: CompareDecision?
    /// A judge persona's pairwise verdict on the round (`autopilot --compare … --judge J`); the review queue shows
    /// it as the suggestion Enter confirms. Nil when never judged.
    public var judgement: PairwiseVerdict?
    /// The source letter of the teacher (teacher/student mode): its good replies (a win or a tie) are also recorded
    /// into the student persona's dataset. Absent outside teacher/student mode.
    public var teacher: String?
    /// The student persona, as it was when the round started (absent outside teacher/student mode).
    public var student: CompareStudent?

    public init(sides: [CompareSide], blind: Bool = false, decision: CompareDecision? = nil, teacher: String? = nil,
                student: CompareStudent? = nil) {
        self.sides = sides
        self.blind = blind ? true : nil
        self.decision = decision
        self.teacher = teacher
        self.student = student
    }

    /// The side of the teacher source in teacher/student mode, if any.
    public var teacherSide: CompareSide? {
        guard let teacher, student != nil else { return nil }
        return sides.first { $0.source == teacher }
    }

    /// Whether source names were hidden until the decision.
    public var isBlind: Bool { blind == true }

    /// The side showing `reply`, if any.
    public func side(of reply: TurnID) -> CompareSide? { sides.first { $0.reply == reply } }

    /// The pane index (0 = A) of `reply`, if it is one of the sides.
    public func pane(of reply: TurnID) -> Int? { sides.firstIndex { $0.reply == reply } }

    /// The pane letter of index `pane` ("A", "B", …).
    public static func paneLetter(_ pane: Int) -> String { String(UnicodeScalar(UInt8(65 + max(0, min(pane, 25))))) }
}

/// The student of a teacher/student compare round: the persona whose dataset also receives the teacher's good
/// replies, and its system prompt when the round started (the examples' system message, so that a rebuild from the
/// transcript writes the same lines even after the persona file changed).
public struct CompareStudent: Codable, Sendable, Hashable {
    /// The student persona's id (its dataset folder).
    public var persona: String
    /// The student persona's system prompt, as sent when the round started.
    public var systemPrompt: String

    enum CodingKeys: String, CodingKey {
        case persona
        case systemPrompt = "system_prompt"
    }

    public init(persona: String, systemPrompt: String) {
        self.persona = persona
        self.systemPrompt = systemPrompt
    }
}

/// One pane of a compare round: the reply and the source it came from.
public struct CompareSide: Codable, Sendable, Hashable {
    /// The reply shown in this pane (a child of the round's user turn).
    public var reply: TurnID
    /// Which source answered: its letter in the chat's compare setup ("A" is the chat's own source, "B" the
    /// compared one; "A"…"D" for n candidates from one source). Tallies count by source, not by pane.
    public var source: String
    /// A readable description of the source (persona, backend, model, sampling), shown once revealed.
    public var name: String?
    /// The persona that answered when it is not the conversation's (its system prompt was sent).
    public var persona: String?

    public init(reply: TurnID, source: String, name: String? = nil, persona: String? = nil) {
        self.reply = reply
        self.source = source
        self.name = name
        self.persona = persona
    }
}

/// What the person decided about a compare round.
public struct CompareDecision: Codable, Sendable, Hashable {
    /// The kind of decision.
    public enum Verdict: String, Codable, Sendable, Hashable, CaseIterable {
        /// One side is better (`winner` names its source).
        case better
        /// Both good.
        case tie
        /// Both bad: the person rewrites one into the ideal answer, chosen against both.
        case bothBad = "both_bad"
        /// No decision recorded (no marks).
        case skip
    }

    public var verdict: Verdict
    /// The source letter of the better side (only for `better`).
    public var winner: String?
    public var at: Date
    /// The judge persona whose pairwise verdict made this decision (`autopilot --judge J --auto-mark`); nil for a
    /// person's decision. A judge's decision stays in the review queue until a person confirms or overrides it.
    public var judge: String?

    public init(_ verdict: Verdict, winner: String? = nil, at: Date, judge: String? = nil) {
        self.verdict = verdict
        self.winner = verdict == .better ? winner : nil
        self.at = at
        self.judge = judge
    }
}
