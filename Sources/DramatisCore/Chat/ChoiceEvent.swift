/// One event of a several-choice stream (`ChatBackend.streamChoices`), tagged with the choice it belongs to.
public enum ChoiceEvent: Sendable, Hashable {
    /// An event of choice `choice` (0-based, the order of `n`'s choices; choice k sampled with seed + k).
    case event(choice: Int, ChatEvent)
    /// Choice `choice` alone failed (its own request, when the choices were asked for separately); text it
    /// delivered before stays valid, the other choices go on.
    case failed(choice: Int, BackendError)

    /// The index of the choice this event belongs to.
    public var choice: Int {
        switch self {
        case .event(let choice, _), .failed(let choice, _): choice
        }
    }
}
