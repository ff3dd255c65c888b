/// Describes a backend for status lines, transcripts and reports. Never holds a secret.
public struct BackendDescriptor: Codable, Sendable, Hashable {
    /// Configured name, e.g. "local", "openai", "azure-prod".
    public var name: String
    /// Protocol flavour, e.g. "local", "openai", "azure", "ollama".
    public var kind: String
    /// Model (or Azure deployment) the backend uses when a request names none.
    public var model: String

    public init(name: String, kind: String, model: String) {
        self.name = name
        self.kind = kind
        self.model = model
    }
}

/// Anything that can stream a chat completion: the one protocol the TUI, `ask` and replay use.
public protocol ChatBackend: Sendable {
    var descriptor: BackendDescriptor { get }

    /// Starts the request and returns its events. Cancelling the consuming task (or
    /// dropping the stream) closes the connection. Failures are thrown as `BackendError`.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error>

    /// Starts a request for `request.choices` replies and returns every choice's events tagged by its index (0 up
    /// to `choices - 1`), each choice's events in `ChatEvent` order. A failure of the whole request is thrown (every
    /// choice not finished by then failed); a failure of one choice alone arrives as `ChoiceEvent.failed`.
    /// The default sends one request per choice at once (`ParallelChoices`); a backend whose server answers `n`
    /// sends one.
    func streamChoices(_ request: ChatRequest) -> AsyncThrowingStream<ChoiceEvent, Error>
}

extension ChatBackend {
    /// One request per choice, all at once (`ParallelChoices`): for backends whose servers do not answer `n`.
    public func streamChoices(_ request: ChatRequest) -> AsyncThrowingStream<ChoiceEvent, Error> {
        ParallelChoices.stream(self, request)
    }
}
