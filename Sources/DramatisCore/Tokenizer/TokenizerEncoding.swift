import Foundation

/// The tiktoken vocabularies Dramatis can count tokens with.
public enum TokenizerEncoding: String, Sendable, Hashable, CaseIterable, Codable {
    /// GPT-4o family (gpt-4o, gpt-4o-mini, gpt-4.1, o-series).
    case o200kBase = "o200k_base"
    /// GPT-4 / GPT-3.5-turbo family.
    case cl100kBase = "cl100k_base"

    /// The vocabulary file name inside the tokenizer directory (`<name>.tiktoken`).
    public var fileName: String { "\(rawValue).tiktoken" }

    /// The pre-tokenization rules that go with this vocabulary.
    public var splitPattern: PreTokenizer.Pattern {
        switch self {
        case .o200kBase: return .o200k
        case .cl100kBase: return .cl100k
        }
    }

    /// The encoding tiktoken uses for a model name, or `nil` when the model is not an OpenAI model.
    ///
    /// Mirrors tiktoken's `MODEL_PREFIX_TO_ENCODING` / `MODEL_TO_ENCODING` for chat models,
    /// including fine-tuned names (`ft:gpt-4o-mini-2024-07-18:org::id`).
    public static func forModel(_ name: String) -> TokenizerEncoding? {
        var model = name.lowercased()
        if model.hasPrefix("ft:") {
            model = String(model.dropFirst(3).prefix { $0 != ":" })
        }
        // Azure deployment-style names use "gpt-35" for "gpt-3.5".
        model = model.replacingOccurrences(of: "gpt-35", with: "gpt-3.5")
        let o200kPrefixes = ["gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "gpt-oss"]
        if o200kPrefixes.contains(where: { model.hasPrefix($0) }) { return .o200kBase }
        let cl100kPrefixes = ["gpt-4", "gpt-3.5", "text-embedding-ada-002", "text-embedding-3", "davinci-002", "babbage-002"]
        if cl100kPrefixes.contains(where: { model.hasPrefix($0) }) { return .cl100kBase }
        return nil
    }
}
