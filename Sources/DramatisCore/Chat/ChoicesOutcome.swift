/// How a several-choice request ended (`TurnService.streamChoices`): each choice's own outcome, and the failure of
/// the one request they shared, if that is what ended them.
public struct ChoicesOutcome: Sendable, Hashable {
    /// One outcome per choice, by index.
    public var choices: [TurnOutcome]
    /// The failure of the whole request (every choice not finished by then carries it too); nil when none.
    public var sharedFailure: BackendError?

    public init(choices: [TurnOutcome], sharedFailure: BackendError? = nil) {
        self.choices = choices
        self.sharedFailure = sharedFailure
    }

    /// The user stopped the request: every choice is cancelled (its text kept).
    mutating func markCancelled() {
        for index in choices.indices { choices[index].cancelled = true }
    }
}
