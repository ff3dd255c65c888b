import DramatisBackends
import DramatisCore
import Foundation

/// A dedicated embedded engine (llama-server + SmolLM2 via the `LocalEngine` supervisor) with
/// one slot, for these tests only: with a single slot, "the server went idle after cancel"
/// can be checked without other suites' requests sharing the same server.
enum LocalLlamaServer {
    private static let shared = Task<LocalEngine, Error> {
        let paths = AppPaths.fromEnvironment()
        var configuration = LocalEngine.Configuration.standard(paths: paths, environment: ProcessInfo.processInfo.environment)
        configuration.logFile = paths.logDirectory.appendingPathComponent("llama-server-backends-tests-\(ProcessInfo.processInfo.processIdentifier).log")
        configuration.parallelSlots = 1
        configuration.contextSize = 2048
        return try await LocalEngine.start(configuration)
    }

    /// Base URL (`http://127.0.0.1:PORT/v1`) of the shared one-slot server, starting it on first use.
    static func baseURL() async throws -> URL { try await shared.value.baseURL }
}
