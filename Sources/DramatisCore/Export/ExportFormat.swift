/// The dataset file formats Dramatis writes.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// OpenAI/Azure chat SFT: `{"messages":[…]}`, assistant messages with `weight` 0/1.
    case openai
    /// OpenAI/Azure DPO: `{"input":{"messages":[…]},"preferred_output":[…],"non_preferred_output":[…]}`.
    case openaiDPO = "openai-dpo"
    /// TRL KTO: `{"prompt":[…],"completion":[…],"label":true|false}`, one line per mark.
    case trlKTO = "trl-kto"
    /// TRL DPO: `{"prompt":[…],"chosen":[…],"rejected":[…]}`.
    case trlDPO = "trl-dpo"
    /// ShareGPT: `{"conversations":[{"from","value"}…],"system":"…"}`.
    case sharegpt
    /// Axolotl `chat_template` dataset: the `openai` lines (our `weight` read by `message_field_training: weight`),
    /// with the YAML entry written next to the file.
    case axolotl
    /// LLaMA-Factory ShareGPT SFT, with its `dataset_info.json` entry written next to the file.
    case llamafactory
    /// LLaMA-Factory ShareGPT preference: conversations ending with the human turn, `chosen`/`rejected` single objects.
    case llamafactoryDPO = "llamafactory-dpo"
    /// LLaMA-Factory ShareGPT KTO: conversations ending with the reply, `kto_tag` true/false.
    case llamafactoryKTO = "llamafactory-kto"

    /// The JSON lines (without newline) this format produces for a conversation, in a fixed order.
    /// The lines of `conversation` in this format; `selection` nil follows the persona's `train_*` settings.
    public func lines(for conversation: Conversation, selection: ExampleSelection? = nil) -> [String] {
        switch self {
        case .openai, .axolotl:
            DatasetExamples.sft(from: conversation, selection: selection).map { DatasetLine.openAI($0).serialized() }
        case .openaiDPO:
            DatasetExamples.preferencePairs(from: conversation, selection: selection).map { DatasetLine.openAIDPO($0).serialized() }
        case .trlKTO:
            DatasetExamples.labeledCompletions(from: conversation, selection: selection).map { DatasetLine.trlKTO($0).serialized() }
        case .trlDPO:
            DatasetExamples.preferencePairs(from: conversation, selection: selection).map { DatasetLine.trlDPO($0).serialized() }
        case .sharegpt, .llamafactory:
            DatasetExamples.sft(from: conversation, selection: selection).map { DatasetLine.shareGPT($0).serialized() }
        case .llamafactoryDPO:
            DatasetExamples.preferencePairs(from: conversation, selection: selection).map { DatasetLine.shareGPTPreference($0).serialized() }
        case .llamafactoryKTO:
            DatasetExamples.labeledCompletions(from: conversation, selection: selection).map { DatasetLine.shareGPTKTO($0).serialized() }
        }
    }

    /// The shape `dramatis validate` checks these lines as.
    public var datasetFormat: DatasetFormat {
        switch self {
        case .openai, .axolotl: .chat
        case .openaiDPO: .openaiDPO
        case .trlKTO: .trlKTO
        case .trlDPO: .trlDPO
        case .sharegpt, .llamafactory, .llamafactoryDPO, .llamafactoryKTO: .shareGPT
        }
    }
}

/// Builds the JSON object of one dataset line in each format (fixed key order).
public enum DatasetLine {
    static func message(_ role: ChatRole, _ content: String, weight: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("role", .string(role.rawValue)), ("content", .string(content))]
        if let weight { members.append(("weight", .int(weight))) }
        return .object(members)
    }

    static func messages(_ list: [ChatMessage]) -> JSONValue {
        .array(list.map { message($0.role, $0.content) })
    }

    /// `{"messages":[{"role","content","weight"?}…]}`.
    public static func openAI(_ example: SFTExample) -> JSONValue {
        .object([("messages", .array(example.messages.map { message($0.role, $0.content, weight: $0.weight) }))])
    }

    /// `{"input":{"messages":[…]},"preferred_output":[…],"non_preferred_output":[…]}`.
    public static func openAIDPO(_ pair: PreferencePair) -> JSONValue {
        .object([("input", .object([("messages", messages(pair.prompt))])),
                 ("preferred_output", .array([message(.assistant, pair.chosen)])),
                 ("non_preferred_output", .array([message(.assistant, pair.rejected)]))])
    }

    /// `{"prompt":[…],"completion":[{assistant}],"label":bool}`.
    public static func trlKTO(_ item: LabeledCompletion) -> JSONValue {
        .object([("prompt", messages(item.prompt)),
                 ("completion", .array([message(.assistant, item.completion)])),
                 ("label", .bool(item.label))])
    }

    /// `{"prompt":[…],"chosen":[{assistant}],"rejected":[{assistant}]}`.
    public static func trlDPO(_ pair: PreferencePair) -> JSONValue {
        .object([("prompt", messages(pair.prompt)),
                 ("chosen", .array([message(.assistant, pair.chosen)])),
                 ("rejected", .array([message(.assistant, pair.rejected)]))])
    }

    /// `{"conversations":[{"from":"human|gpt","value"}…],"system":"…"}`: the system prompt goes to `system`,
    /// the greeting is dropped and consecutive messages of one side are joined, so human turns sit at odd positions.
    public static func shareGPT(_ example: SFTExample) -> JSONValue {
        let (system, turns) = shareGPTTurns(example.messages)
        return shareGPTObject(system: system, turns: turns, extra: [])
    }

    /// LLaMA-Factory preference: `{"conversations":[…ending with human],"chosen":{"from":"gpt","value"},"rejected":{…},"system"?}`.
    public static func shareGPTPreference(_ pair: PreferencePair) -> JSONValue {
        let (system, turns) = shareGPTTurns(pair.prompt.enumerated().map {
            WeightedMessage(role: $1.role, content: $1.content, isGreeting: $0 == pair.greetingIndex)
        })
        return shareGPTObject(system: system, turns: turns, extra: [
            ("chosen", .object([("from", .string("gpt")), ("value", .string(pair.chosen))])),
            ("rejected", .object([("from", .string("gpt")), ("value", .string(pair.rejected))])),
        ])
    }

    /// LLaMA-Factory KTO: `{"conversations":[…,{"from":"gpt","value":completion}],"kto_tag":bool,"system"?}`.
    public static func shareGPTKTO(_ item: LabeledCompletion) -> JSONValue {
        let messages = (item.prompt + [ChatMessage(role: .assistant, content: item.completion)]).enumerated().map {
            WeightedMessage(role: $1.role, content: $1.content, isGreeting: $0 == item.greetingIndex)
        }
        let (system, turns) = shareGPTTurns(messages)
        return shareGPTObject(system: system, turns: turns, extra: [("kto_tag", .bool(item.label))])
    }

    private static func shareGPTObject(system: [String], turns: [(from: String, value: String)], extra: [(String, JSONValue)]) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("conversations", .array(turns.map { .object([("from", .string($0.from)), ("value", .string($0.value))]) })),
        ]
        members += extra
        if !system.isEmpty { members.append(("system", .string(system.joined(separator: "\n\n")))) }
        return .object(members)
    }

    /// System texts and human/gpt turns: greeting and leading gpt turns dropped, consecutive turns of one side joined.
    private static func shareGPTTurns(_ messages: [WeightedMessage]) -> (system: [String], turns: [(from: String, value: String)]) {
        var system: [String] = []
        var turns: [(from: String, value: String)] = []
        for message in messages where !message.isGreeting {
            let from: String
            switch message.role {
            case .system: system.append(message.content); continue
            case .user: from = "human"
            case .assistant: from = "gpt"
            }
            if turns.isEmpty, from == "gpt" { continue }
            if let last = turns.last, last.from == from {
                turns[turns.count - 1].value += "\n\n" + message.content
            } else {
                turns.append((from, message.content))
            }
        }
        return (system, turns)
    }
}
