/// Which dialect of the chat-completions protocol a backend speaks.
public enum BackendFlavour: Sendable, Hashable {
    /// `POST {base}/chat/completions`, `Authorization: Bearer KEY` (OpenAI, llama.cpp, Ollama, vLLM, LM Studio, OpenRouter).
    case openai
    /// `POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=V`, `api-key: KEY`.
    case azure(apiVersion: String)

    /// The API version Dramatis uses for Azure when none is configured (GA, supports `stream_options`).
    public static let defaultAzureAPIVersion = "2024-10-21"

    /// True for Azure OpenAI.
    public var isAzure: Bool {
        if case .azure = self { return true }
        return false
    }
}
