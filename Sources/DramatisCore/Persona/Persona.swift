/// A system persona: settings from a persona file's front matter and the system prompt from its body.
///
/// Text fields hold the *resolved* form: `{{char}}` and `{{user}}` already expanded.
public struct Persona: Codable, Sendable, Hashable {
    /// A few-shot pair sent before the conversation.
    public struct Example: Codable, Sendable, Hashable {
        public var user: String
        public var assistant: String
        public init(user: String, assistant: String) {
            self.user = user
            self.assistant = assistant
        }
    }

    /// Stable id: the file stem (`clippy` for `Personas/clippy.md`).
    public var id: String
    public var name: String
    public var description: String
    /// Backend name from the config; nil means the default backend.
    public var backend: String?
    /// Model override; nil means the backend's model.
    public var model: String?
    /// Local model only: the training run whose LoRA adapter answers (a run id, or `latest`); nil is the base model.
    public var adapter: String?
    public var sampling: SamplingParameters
    public var systemPrompt: String
    /// First assistant message, shown and recorded as such.
    public var greeting: String?
    public var alternateGreetings: [String]
    public var examples: [Example]
    public var tags: [String]
    /// What `{{user}}` expands to.
    public var userName: String
    /// Which parts of its conversations become training examples (`train_few_shot`, `train_greeting`, `train_on`).
    public var training = ExampleSelection()
    /// Which seat the persona takes (`role:`): assistant (default), user-simulator or judge.
    public var role: PersonaRole = .assistant

    public init(id: String, name: String, description: String = "", backend: String? = nil, model: String? = nil, adapter: String? = nil,
                sampling: SamplingParameters = SamplingParameters(), systemPrompt: String, greeting: String? = nil,
                alternateGreetings: [String] = [], examples: [Example] = [], tags: [String] = [], userName: String = "User",
                training: ExampleSelection = ExampleSelection(), role: PersonaRole = .assistant) {
        self.id = id
        self.name = name
        self.description = description
        self.backend = backend
        self.model = model
        self.adapter = adapter
        self.sampling = sampling
        self.systemPrompt = systemPrompt
        self.greeting = greeting
        self.alternateGreetings = alternateGreetings
        self.examples = examples
        self.tags = tags
        self.userName = userName
        self.training = training
        self.role = role
    }

    /// The messages sent ahead of every conversation: system prompt, then the few-shot examples.
    public var preambleMessages: [ChatMessage] {
        var messages: [ChatMessage] = []
        if !systemPrompt.isEmpty { messages.append(.system(systemPrompt)) }
        for example in examples {
            messages.append(.user(example.user))
            messages.append(.assistant(example.assistant))
        }
        return messages
    }
}

extension Persona {
    /// JSON keys: snake_case, like every other key Dramatis writes (transcript format 2).
    enum CodingKeys: String, CodingKey {
        case id, name, description, backend, model, adapter, sampling, greeting, examples, tags, training, role
        case systemPrompt = "system_prompt"
        case alternateGreetings = "alternate_greetings"
        case userName = "user_name"
    }

    /// The camelCase keys of transcript format 1, still read so old files load.
    private enum FormatOneKeys: String, CodingKey {
        case systemPrompt, alternateGreetings, userName
    }

    /// Reads snake_case keys, or the camelCase ones transcript format 1 wrote.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let formatOne = try decoder.container(keyedBy: FormatOneKeys.self)
        /// The value under the snake_case key, else under its format-1 spelling; missing from both is an error naming the new key.
        func either<T: Decodable>(_ key: CodingKeys, _ old: FormatOneKeys, _ type: T.Type) throws -> T {
            if !container.contains(key), formatOne.contains(old) { return try formatOne.decode(type, forKey: old) }
            return try container.decode(type, forKey: key)
        }
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decode(String.self, forKey: .description)
        backend = try container.decodeIfPresent(String.self, forKey: .backend)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        adapter = try container.decodeIfPresent(String.self, forKey: .adapter)
        sampling = try container.decode(SamplingParameters.self, forKey: .sampling)
        systemPrompt = try either(.systemPrompt, .systemPrompt, String.self)
        greeting = try container.decodeIfPresent(String.self, forKey: .greeting)
        alternateGreetings = try either(.alternateGreetings, .alternateGreetings, [String].self)
        examples = try container.decode([Example].self, forKey: .examples)
        tags = try container.decode([String].self, forKey: .tags)
        userName = try either(.userName, .userName, String.self)
        training = try container.decodeIfPresent(ExampleSelection.self, forKey: .training) ?? ExampleSelection()
        role = try container.decodeIfPresent(PersonaRole.self, forKey: .role) ?? .assistant
    }

    /// Writes every field; `training` and `role` only when they differ from the defaults (so older readers' files stay as they were).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encodeIfPresent(backend, forKey: .backend)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(adapter, forKey: .adapter)
        try container.encode(sampling, forKey: .sampling)
        try container.encode(systemPrompt, forKey: .systemPrompt)
        try container.encodeIfPresent(greeting, forKey: .greeting)
        try container.encode(alternateGreetings, forKey: .alternateGreetings)
        try container.encode(examples, forKey: .examples)
        try container.encode(tags, forKey: .tags)
        try container.encode(userName, forKey: .userName)
        if training != ExampleSelection() { try container.encode(training, forKey: .training) }
        if role != .assistant { try container.encode(role, forKey: .role) }
    }
}
