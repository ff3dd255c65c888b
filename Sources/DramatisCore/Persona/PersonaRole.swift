/// Which seat a persona takes: the assistant being built (the default), the user's seat in autopilot, or a judge.
public enum PersonaRole: String, Codable, Sendable, Hashable, CaseIterable {
    /// Answers as the assistant: the persona whose replies become training data.
    case assistant
    /// Plays the user in `dramatis autopilot`: sees the conversation from the user's seat and writes the next user turn.
    case userSimulator = "user-simulator"
    /// Scores replies against its rubric (`dramatis autopilot --judge`, `dramatis replay --judge`).
    case judge

    /// Whether the persona belongs in the chat's persona picker (simulators and judges do not chat as the assistant).
    public var isPickable: Bool { self == .assistant }
}
