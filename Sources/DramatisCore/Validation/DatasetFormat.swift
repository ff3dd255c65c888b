/// The JSONL dataset shapes `dramatis validate` understands (those Dramatis exports).
public enum DatasetFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// OpenAI/Azure supervised chat: `{"messages":[…]}` (also TRL conversational SFT).
    case chat
    /// OpenAI/Azure DPO: `{"input":{"messages":[…]},"preferred_output":[…],"non_preferred_output":[…]}`.
    case openaiDPO = "openai-dpo"
    /// TRL preference: `{"prompt":[…],"chosen":[…],"rejected":[…]}`.
    case trlDPO = "trl-dpo"
    /// TRL KTO: `{"prompt":[…],"completion":[…],"label":true|false}`.
    case trlKTO = "trl-kto"
    /// ShareGPT: `{"conversations":[{"from":…,"value":…}],"system":…}` (optionally `chosen`/`rejected`).
    case shareGPT = "sharegpt"

    /// The format suggested by a line's top-level keys, or `nil` when none fits.
    static func detect(keys: Set<String>) -> DatasetFormat? {
        if keys.contains("messages") { return .chat }
        if keys.contains("preferred_output") || keys.contains("non_preferred_output") { return .openaiDPO }
        if keys.contains("conversations") { return .shareGPT }
        if keys.contains("label") && keys.contains("completion") { return .trlKTO }
        if keys.contains("chosen") && keys.contains("rejected") { return .trlDPO }
        if keys.contains("completion") { return .trlKTO }
        return nil
    }
}
