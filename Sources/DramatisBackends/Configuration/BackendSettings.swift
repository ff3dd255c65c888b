import Foundation

/// One named backend from the configuration file, the environment, or the built-in defaults.
public struct BackendSettings: Sendable, Hashable {
    /// The protocol family of a backend.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The embedded llama-server that Dramatis starts itself.
        case local
        /// Any OpenAI-compatible server (`{base}/chat/completions`, Bearer key).
        case openai
        /// Azure OpenAI (`{endpoint}/openai/deployments/{deployment}/…`, `api-key` header).
        case azure
        /// Ollama's OpenAI-compatible endpoint (`http://host:11434/v1`), no key.
        case ollama
    }

    /// The name used with `--backend` and in persona files.
    public var name: String
    /// Protocol family.
    public var kind: Kind
    /// Base URL (`…/v1`) for openai/ollama; the resource endpoint for azure; nil for local.
    public var baseURL: URL?
    /// Default model (the deployment name for azure).
    public var model: String
    /// Azure `api-version`.
    public var apiVersion: String?
    /// Where the key comes from; nil when the backend needs none.
    public var apiKey: KeySource?
    /// Send `stream_options.include_usage`.
    public var includeUsage: Bool
    /// Whether several choices (compare candidates) go in one request with `n`; nil: the kind's default
    /// (`supportsChoicesByDefault`).
    public var supportsChoices: Bool?
    /// Seconds to open a connection.
    public var connectTimeout: Double
    /// Seconds without a byte before giving up (no answer, or stalled mid-reply).
    public var idleTimeout: Double
    /// 429 retries before the first token.
    public var maxRetries: Int
    /// Extra request headers (never put keys here; they would be shown by `doctor`).
    public var headers: [String: String]
    /// Where this entry came from, e.g. "dramatis.yaml:12", "environment (OPENAI_API_KEY)", "built-in".
    public var origin: String

    /// Settings with the usual defaults for whatever is not given.
    public init(name: String, kind: Kind, baseURL: URL? = nil, model: String, apiVersion: String? = nil,
                apiKey: KeySource? = nil, includeUsage: Bool = true, connectTimeout: Double = 10,
                idleTimeout: Double = 60, maxRetries: Int = 3, headers: [String: String] = [:], origin: String = "built-in") {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.apiVersion = apiVersion
        self.apiKey = apiKey
        self.includeUsage = includeUsage
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maxRetries = maxRetries
        self.headers = headers
        self.origin = origin
    }

    /// Whether `n` is sent for several choices: as configured (`supports_n`), else true for the local engine, OpenAI
    /// and Azure (which answer it) and OpenAI-compatible servers (a server that ignores or rejects it gets each
    /// choice asked for separately), false for Ollama (which ignores it).
    public var sendsChoiceCount: Bool {
        supportsChoices ?? (kind != .ollama)
    }

    /// The model name the embedded engine reports.
    public static let localModelName = "SmolLM2-135M-Instruct"

    /// The built-in `local` backend.
    public static var local: BackendSettings {
        BackendSettings(name: "local", kind: .local, model: localModelName, includeUsage: true, idleTimeout: 120)
    }
}
