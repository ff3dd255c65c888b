import DramatisCore
import Foundation

/// Builds `ChatBackend`s by configured name. For `local` it starts the embedded engine once and
/// keeps it running until `shutdown()` (or process exit, when the engine supervisor ties the
/// child's life to ours).
public actor BackendFactory {
    /// The backends this factory knows.
    public nonisolated let configuration: BackendConfiguration
    private let launcher: LocalEngineLauncher
    /// First retry backoff of every backend made here (seconds); nil keeps `RetryPolicy`'s default.
    private let initialRetryBackoff: Double?
    private var engine: (any RunningLocalEngine)?
    private var engineStart: Task<any RunningLocalEngine, Error>?
    /// The LoRA adapters the local engine loads (at start; changing them restarts it).
    private var adapters: [URL]

    /// A factory over `configuration` that starts the local engine with `localEngine`, loading `adapters`.
    public init(configuration: BackendConfiguration, localEngine: LocalEngineLauncher, adapters: [URL] = [],
                initialRetryBackoff: Double? = nil) {
        self.configuration = configuration
        self.initialRetryBackoff = initialRetryBackoff
        self.launcher = LocalEngineLauncher.fromEnvironment(configuration.environment, fallback: localEngine)
        self.adapters = adapters
    }

    /// Makes the local engine load `newAdapters`: when they differ from what it loaded, the running engine is
    /// stopped and the next `makeBackend` starts it again with them (about half a second with the embedded model).
    /// Backends made before keep pointing at the stopped engine: make new ones.
    public func useAdapters(_ newAdapters: [URL]) async {
        guard newAdapters != adapters else { return }
        adapters = newAdapters
        await shutdown()
    }

    /// The backend called `name` (nil = default), using `model` instead of its configured model when given.
    public func makeBackend(named name: String?, model: String?) async throws -> any ChatBackend {
        let settings = try configuration.settings(named: name)
        return try await makeBackend(settings, model: model)
    }

    /// The backend for explicit `settings`.
    public func makeBackend(_ settings: BackendSettings, model: String?) async throws -> any ChatBackend {
        let chosenModel = model ?? settings.model
        let keyProvider = APIKeyProvider(source: settings.apiKey, environment: configuration.environment)
        var retry = RetryPolicy(maxRetries: settings.maxRetries)
        if let initialRetryBackoff { retry.initialBackoff = initialRetryBackoff }
        switch settings.kind {
        case .local:
            let engine = try await localEngine()
            return OpenAICompatibleBackend(name: settings.name, baseURL: engine.baseURL, model: chosenModel,
                                           flavour: .openai, keyProvider: keyProvider, kind: "local",
                                           includeUsage: settings.includeUsage, connectTimeout: settings.connectTimeout,
                                           idleTimeout: settings.idleTimeout, retryPolicy: retry, extraHeaders: settings.headers,
                                           supportsChoices: settings.sendsChoiceCount)
        case .openai, .ollama, .azure:
            guard let baseURL = settings.baseURL else {
                throw BackendError(kind: .configuration, message: "backend \(settings.name) has no base URL (\(settings.origin))")
            }
            let flavour: BackendFlavour = settings.kind == .azure
                ? .azure(apiVersion: settings.apiVersion ?? BackendFlavour.defaultAzureAPIVersion) : .openai
            return OpenAICompatibleBackend(name: settings.name, baseURL: baseURL, model: chosenModel, flavour: flavour,
                                           keyProvider: keyProvider, kind: settings.kind.rawValue,
                                           includeUsage: settings.includeUsage, connectTimeout: settings.connectTimeout,
                                           idleTimeout: settings.idleTimeout, retryPolicy: retry, extraHeaders: settings.headers,
                                           supportsChoices: settings.sendsChoiceCount)
        }
    }

    /// The base URL of the running local engine, if it was started.
    public var localEngineBaseURL: URL? { engine?.baseURL }

    /// Stops the local engine if this factory started it.
    public func shutdown() async {
        engineStart?.cancel()
        engineStart = nil
        if let engine {
            self.engine = nil
            await engine.stop()
        }
    }

    private func localEngine() async throws -> any RunningLocalEngine {
        if let engine { return engine }
        // Concurrent callers share one start.
        let task = engineStart ?? Task { [launcher, adapters] in try await launcher.start(adapters) }
        engineStart = task
        do {
            let started = try await task.value
            engine = started
            engineStart = nil
            return started
        } catch {
            engineStart = nil
            if let error = error as? BackendError { throw error }
            throw BackendError(kind: .localEngine, message: "the local engine could not start: \(error)")
        }
    }
}
