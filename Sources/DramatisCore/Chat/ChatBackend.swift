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
}
