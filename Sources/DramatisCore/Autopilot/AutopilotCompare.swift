import Foundation

/// Compare mode for an autopilot run (`dramatis autopilot --compare…`): every assistant turn is answered by each
/// candidate, recorded as an undecided compare round (the review queue's A/B/tie items), and the conversation
/// continues from pane A.
public struct AutopilotCompare: Sendable {
    /// The candidates in letter order (two to four).
    public var candidates: [AutopilotCandidate]
    /// Source names hidden until a person decides (stored on the round).
    public var blind: Bool
    /// The candidates' indices in pane order for the round under a user turn (a shuffle when blind; identity otherwise).
    public var paneOrder: @Sendable (TurnID) -> [Int]

    public init(candidates: [AutopilotCandidate], blind: Bool = false, paneOrder: (@Sendable (TurnID) -> [Int])? = nil) {
        precondition(candidates.count >= 2, "compare needs two or more candidates")
        self.candidates = candidates
        self.blind = blind
        let count = candidates.count
        self.paneOrder = paneOrder ?? { _ in Array(0..<count) }
    }
}

/// One candidate source of autopilot's compare rounds: the persona whose preamble is sent, its backend, model and sampling.
public struct AutopilotCandidate: Sendable {
    /// The source's letter ("A" is the run's own source).
    public var letter: String
    /// A readable description (persona, backend, model, sampling), stored on the round's side.
    public var name: String
    /// The persona whose system prompt and examples the request sends.
    public var persona: Persona
    public var backend: any ChatBackend
    /// Model to request; nil: the backend's default.
    public var model: String?
    public var sampling: SamplingParameters

    public init(letter: String, name: String, persona: Persona, backend: any ChatBackend, model: String?, sampling: SamplingParameters) {
        self.letter = letter
        self.name = name
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling
    }
}
