import ArgumentParser
import DramatisBackends
import DramatisCore
import Foundation

/// `dramatis engine`: runs the embedded llama.cpp server in the foreground, for other tools or debugging.
struct EngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Run the embedded local engine (llama-server with SmolLM2) until interrupted, printing its URL.")

    @Option(name: .customLong("ctx-size"), help: "Context window in tokens.")
    var contextSize: Int = 8192

    @Option(help: "Requests (or choices of one request, `n`) decoded at once; they share the context (--kv-unified).")
    var parallel: Int = 4

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = LocalEngine.Configuration.standard(paths: .fromEnvironment(environment), environment: environment)
        configuration.contextSize = contextSize
        configuration.parallelSlots = parallel
        let engine: LocalEngine
        do {
            engine = try await LocalEngine.start(configuration)
        } catch let error as BackendError {
            FileHandle.standardError.write(Data("dramatis: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
        // Written unbuffered: scripts read these lines while the engine keeps running.
        let report = """
            base_url: \(engine.baseURL.absoluteString)
            pid: \(engine.pid)
            model: \(engine.model.path)
            log: \(engine.logFile.path)

            """
        FileHandle.standardOutput.write(Data(report.utf8))
        let signals = SignalWaiter(signals: [SIGINT, SIGTERM])
        let received = await signals.next()
        engine.stop()
        FileHandle.standardError.write(Data("dramatis: stopped the local engine (signal \(received))\n".utf8))
    }
}
