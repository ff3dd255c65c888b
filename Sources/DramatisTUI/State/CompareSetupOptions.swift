import DramatisCore

/// A configured backend as the compare setup panel lists it: its name and its kind ("local", "openai", "azure"…).
public struct BackendListing: Sendable, Hashable {
    public var name: String
    public var kind: String

    public init(name: String, kind: String) {
        self.name = name
        self.kind = kind
    }

    /// Whether it is the local engine (the only kind that can answer with a tuned adapter).
    public var isLocal: Bool { kind == "local" }
}

/// What the compare setup panel (F8) can choose from: the valid personas (resolved), the configured backends, the
/// default backend's name, and each persona's completed training runs (newest first).
public struct CompareSetupOptions: Sendable, Hashable {
    public var personas: [Persona]
    public var backends: [BackendListing]
    /// The backend a persona without `backend:` talks to.
    public var defaultBackend: String
    /// Completed training runs by persona id, newest first.
    public var runs: [String: [String]]

    public init(personas: [Persona], backends: [BackendListing], defaultBackend: String, runs: [String: [String]]) {
        self.personas = personas
        self.backends = backends
        self.defaultBackend = defaultBackend
        self.runs = runs
    }

    /// The configured backend called `name`, if any.
    public func backend(named name: String) -> BackendListing? {
        backends.first { $0.name == name }
    }
}
