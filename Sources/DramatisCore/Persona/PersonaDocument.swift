/// The contents of a persona file to be written: front-matter settings in order, then the system prompt.
public struct PersonaDocument: Sendable, Hashable {
    /// Comment lines (without `# `) written at the top of the front matter.
    public var comments: [String] = []
    public var name: String
    public var description: String?
    public var greeting: String?
    public var alternateGreetings: [String] = []
    public var examples: [Persona.Example] = []
    public var tags: [String] = []
    public var userName: String?
    /// The body: the system prompt, placeholders kept as written.
    public var systemPrompt: String

    /// Creates a document with a name and a prompt.
    public init(name: String, systemPrompt: String) {
        self.name = name
        self.systemPrompt = systemPrompt
    }

    /// The Markdown file text: `---`, settings, `---`, prompt.
    public var text: String {
        var lines = ["---"]
        for comment in comments { lines += YAMLScalarWriter.comment(comment) }
        lines.append("name: " + YAMLScalarWriter.quoted(name))
        if let description { lines.append("description:" + YAMLScalarWriter.value(description, indent: 0)) }
        if let userName { lines.append("user_name: " + YAMLScalarWriter.quoted(userName)) }
        if let greeting { lines.append("greeting:" + YAMLScalarWriter.value(greeting, indent: 0)) }
        if !alternateGreetings.isEmpty {
            lines.append("alternate_greetings:")
            for greeting in alternateGreetings { lines.append("  -" + YAMLScalarWriter.value(greeting, indent: 2)) }
        }
        if !examples.isEmpty {
            lines.append("examples:")
            for example in examples {
                lines.append("  - user:" + YAMLScalarWriter.value(example.user, indent: 4))
                lines.append("    assistant:" + YAMLScalarWriter.value(example.assistant, indent: 4))
            }
        }
        if !tags.isEmpty { lines.append("tags: [" + tags.map(YAMLScalarWriter.quoted).joined(separator: ", ") + "]") }
        lines.append("---")
        lines.append(systemPrompt)
        return lines.joined(separator: "\n") + "\n"
    }
}
