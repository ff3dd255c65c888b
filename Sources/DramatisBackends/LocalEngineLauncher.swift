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
    /// Starts an engine and returns it once it answers.
    public var start: @Sendable () async throws -> any RunningLocalEngine

    public init(start: @escaping @Sendable () async throws -> any RunningLocalEngine) {
        self.start = start
    }

    /// An engine somebody else runs at `baseURL` (never stopped by Dramatis).
    public static func external(baseURL: URL) -> LocalEngineLauncher {
        LocalEngineLauncher { ExternalEngine(baseURL: baseURL) }
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
    /// The embedded llama-server with the bundled model, under `paths`.
    ///
    /// The engine supervisor (`LocalEngine`) is written on branch `main`; until it is merged this
    /// launcher reports clearly that the embedded engine is unavailable, and `DRAMATIS_LOCAL_BASE_URL`
    /// can point `local` at a llama-server started by hand.
    public static func embedded(paths: AppPaths) -> LocalEngineLauncher {
        LocalEngineLauncher {
            throw BackendError(kind: .localEngine,
                               message: "the embedded engine supervisor is not part of this build; start llama-server yourself and set DRAMATIS_LOCAL_BASE_URL=http://127.0.0.1:PORT/v1")
        }
    }
}
