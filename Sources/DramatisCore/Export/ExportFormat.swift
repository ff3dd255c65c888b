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

    /// The JSON lines (without newline) this format produces for a conversation, in a fixed order.
    /// `includeReasoning` puts trained replies' reasoning before their text as `<think>…</think>`.
    public func lines(for conversation: Conversation, includeReasoning: Bool = false) -> [String] {
        switch self {
        case .openai:
            DatasetExamples.sft(from: conversation, includeReasoning: includeReasoning).map { DatasetLine.openAI($0).serialized() }
        case .openaiDPO:
            DatasetExamples.preferencePairs(from: conversation, includeReasoning: includeReasoning).map { DatasetLine.openAIDPO($0).serialized() }
        case .trlKTO:
            DatasetExamples.labeledCompletions(from: conversation, includeReasoning: includeReasoning).map { DatasetLine.trlKTO($0).serialized() }
        case .trlDPO:
            DatasetExamples.preferencePairs(from: conversation, includeReasoning: includeReasoning).map { DatasetLine.trlDPO($0).serialized() }
        case .sharegpt:
            DatasetExamples.sft(from: conversation, includeReasoning: includeReasoning).map { DatasetLine.shareGPT($0).serialized() }
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
        var system: [String] = []
        var turns: [(from: String, value: String)] = []
        for message in example.messages where !message.isGreeting {
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
        var members: [(String, JSONValue)] = [
            ("conversations", .array(turns.map { .object([("from", .string($0.from)), ("value", .string($0.value))]) })),
        ]
        if !system.isEmpty { members.append(("system", .string(system.joined(separator: "\n\n")))) }
        return .object(members)
    }
}
