/// A persona as the picker shows it: valid ones with their resolved prompt, broken ones with their problems.
public struct PersonaListing: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var description: String
    /// e.g. "local · SmolLM2-135M" or "default backend".
    public var backendLabel: String
    /// The resolved system prompt (raw; sanitized when drawn).
    public var systemPrompt: String
    public var greeting: String?
    /// The file it came from.
    public var source: String
    /// Why the persona cannot be used; empty for a valid persona.
    public var problems: [String]

    public init(id: String, name: String, description: String = "", backendLabel: String = "default backend",
                systemPrompt: String = "", greeting: String? = nil, source: String = "", problems: [String] = []) {
        self.id = id
        self.name = name
        self.description = description
        self.backendLabel = backendLabel
        self.systemPrompt = systemPrompt
        self.greeting = greeting
        self.source = source
        self.problems = problems
    }

    /// A persona without problems can start a chat.
    public var isValid: Bool { problems.isEmpty }

    /// Whether the filter text matches the name, id, description or backend (case-insensitive).
    public func matches(_ filter: String) -> Bool {
        let needle = filter.lowercased()
        if needle.isEmpty { return true }
        return [name, id, description, backendLabel].contains { $0.lowercased().contains(needle) }
    }
}
