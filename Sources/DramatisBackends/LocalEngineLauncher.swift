import DramatisCore
import Foundation

/// A running embedded engine as the factory sees it: where it listens, and how to stop it.
public protocol RunningLocalEngine: Sendable {
    /// OpenAI-style base URL, e.g. `http://127.0.0.1:41234/v1`.
    var baseURL: URL { get }
    /// Stops the engine process.
    func stop() async
}

/// Starts the embedded engine on demand (injected so tests and tools can supply their own).
public struct LocalEngineLauncher: Sendable {
    /// Starts an engine with the given LoRA adapters (GGUF files, loaded but applied only to requests that ask)
    /// and returns it once it answers.
    public var start: @Sendable (_ adapters: [URL]) async throws -> any RunningLocalEngine

    /// A launcher running `start`.
    public init(start: @escaping @Sendable (_ adapters: [URL]) async throws -> any RunningLocalEngine) {
        self.start = start
    }

    /// An engine somebody else runs at `baseURL` (never stopped by Dramatis; it serves whatever adapters it loaded).
    public static func external(baseURL: URL) -> LocalEngineLauncher {
        LocalEngineLauncher { _ in ExternalEngine(baseURL: baseURL) }
    }

    /// `DRAMATIS_LOCAL_BASE_URL` when set (an already running llama-server), else `fallback`.
    public static func fromEnvironment(_ environment: [String: String], fallback: LocalEngineLauncher) -> LocalEngineLauncher {
        if let text = environment["DRAMATIS_LOCAL_BASE_URL"], !text.isEmpty, let url = URL(string: text) {
            return .external(baseURL: url)
        }
        return fallback
    }
}

/// An engine that was already running; stopping it is not ours to do.
struct ExternalEngine: RunningLocalEngine {
    let baseURL: URL
    func stop() async {}
}

extension LocalEngineLauncher {
    /// The embedded llama-server with the bundled model (`LocalEngine`, paths from `paths` and
    /// `DRAMATIS_LLAMA_SERVER` / `DRAMATIS_MODEL`), started on a free loopback port.
    public static func embedded(paths: AppPaths,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalEngineLauncher {
        LocalEngineLauncher { adapters in
            var configuration = LocalEngine.Configuration.standard(paths: paths, environment: environment)
            configuration.adapters = adapters
            return try await LocalEngine.start(configuration)
        }
    }

    /// The embedded engine with an explicit configuration (e.g. more parallel slots for batch replay).
    public static func embedded(_ configuration: LocalEngine.Configuration) -> LocalEngineLauncher {
        LocalEngineLauncher { adapters in
            var configuration = configuration
            configuration.adapters = adapters
            return try await LocalEngine.start(configuration)
        }
    }
}

/// `LocalEngine` is what `BackendFactory` runs for the `local` backend.
extension LocalEngine: RunningLocalEngine {}
