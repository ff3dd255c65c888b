/// How a turn came to be.
public enum TurnOrigin: String, Codable, Sendable, Hashable {
    /// Typed by the user.
    case typed
    /// The persona's greeting, recorded as the first assistant message.
    case greeting
    /// Streamed from a backend.
    case generated
    /// A reply the user rewrote into the ideal answer (`editedFrom` names the original).
    case edited
    /// A user turn copied from an older transcript during replay.
    case replayed
    /// A reply copied from the transcript being replayed, kept beside the new reply as its alternative
    /// so the two can be compared and marked (a good new reply and a bad old one make a preference pair).
    case original
    /// A user turn written by a user-simulator persona (`dramatis autopilot --user`).
    case simulated
    /// A user turn taken from a prompt list (`dramatis autopilot --prompts`).
    case listed
}
