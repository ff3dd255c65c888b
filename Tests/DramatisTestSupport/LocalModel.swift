import DramatisBackends
import DramatisCore
import Foundation

/// The real local llama-server with SmolLM2, started once per test process and shared.
///
/// Tests that need a model use this (temperature 0, fixed seed); set-up (`make test`)
/// guarantees the engine and model exist, so a missing engine is a failure, not a skip.
public enum LocalModel {
    /// Started on first access (static lets are lazy), then shared by every test.
    private static let shared = Task<LocalEngine, Error> {
        let paths = AppPaths.fromEnvironment()
        var configuration = LocalEngine.Configuration.standard(paths: paths, environment: ProcessInfo.processInfo.environment)
        configuration.logFile = paths.logDirectory.appendingPathComponent("llama-server-tests-\(ProcessInfo.processInfo.processIdentifier).log")
        configuration.parallelSlots = 4
        return try await LocalEngine.start(configuration)
    }

    /// The shared engine, started on first use.
    public static func engine() async throws -> LocalEngine {
        try await shared.value
    }

    /// Sampling that makes replies reproducible.
    public static let deterministicSampling = SamplingParameters(temperature: 0, maxTokens: 48, seed: 42)
}
