import AsyncHTTPClient
import DramatisCore
import Foundation
import NIOCore

/// The embedded llama.cpp server: started on a free loopback port, stopped when Dramatis exits.
public final class LocalEngine: Sendable {
    /// How to start the engine.
    public struct Configuration: Sendable {
        public var location: LocalEngineLocation
        /// File the server's output is appended to (never the terminal).
        public var logFile: URL
        /// Context window in tokens: one pool shared by the slots (`--kv-unified`), each slot may use all of it.
        public var contextSize: Int
        /// Requests (and choices of one request: `n`, compare candidates) the server decodes at once. Four, so four
        /// compare candidates are one request; with the unified pool, a request's choices share its prompt's cache.
        public var parallelSlots: Int
        /// How long to wait for `/health` to report ok.
        public var startupTimeout: Duration
        /// LoRA adapters (GGUF) loaded at start-up but applied to no request unless it asks (`--lora-init-without-apply`);
        /// a request picks one by its index here (`ChatRequest.adapterScales`).
        public var adapters: [URL] = []

        public init(location: LocalEngineLocation, logFile: URL, contextSize: Int = 8192, parallelSlots: Int = 4,
                    startupTimeout: Duration = .seconds(60)) {
            self.location = location
            self.logFile = logFile
            self.contextSize = contextSize
            self.parallelSlots = parallelSlots
            self.startupTimeout = startupTimeout
        }

        /// The default configuration: engine and model from the environment or cache, log under the state dir.
        public static func standard(paths: AppPaths, environment: [String: String]) -> Configuration {
            let logFile = paths.logDirectory.appendingPathComponent("llama-server-\(ProcessInfo.processInfo.processIdentifier).log")
            return Configuration(location: .resolve(paths: paths, environment: environment), logFile: logFile)
        }
    }

    /// `http://127.0.0.1:<port>/v1`, the OpenAI-compatible base URL.
    public let baseURL: URL
    /// Where the server writes its output.
    public let logFile: URL
    /// The model file it serves (its name is what requests report as the model).
    public let model: URL
    private let process: SupervisedProcess

    /// The server's process id.
    public var pid: Int32 { process.pid }

    /// Whether the server process is still running.
    public var isRunning: Bool { process.isRunning }

    private init(baseURL: URL, logFile: URL, model: URL, process: SupervisedProcess) {
        self.baseURL = baseURL
        self.logFile = logFile
        self.model = model
        self.process = process
    }

    /// Starts llama-server and returns once `/health` reports ok; throws a `.localEngine` error naming the log otherwise.
    public static func start(_ configuration: Configuration) async throws -> LocalEngine {
        try configuration.location.validate()
        try FileManager.default.createDirectory(at: configuration.logFile.deletingLastPathComponent(),
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var lastError: Error?
        // A port found free can be taken before the server binds it; try a few.
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let arguments = [
                "--model", configuration.location.model.path,
                "--host", "127.0.0.1", "--port", String(port),
                "--ctx-size", String(configuration.contextSize),
                "--parallel", String(configuration.parallelSlots), "--kv-unified",
                "--threads", String(max(1, ProcessInfo.processInfo.activeProcessorCount)),
                "--no-webui",
            ] + configuration.adapters.flatMap { ["--lora", $0.path] }
                + (configuration.adapters.isEmpty ? [] : ["--lora-init-without-apply"])
            appendLogHeader(configuration.logFile, port: port)
            let process = try SupervisedProcess(executable: configuration.location.serverBinary, arguments: arguments,
                                                logFile: configuration.logFile)
            let engine = LocalEngine(baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, logFile: configuration.logFile,
                                     model: configuration.location.model, process: process)
            do {
                try await engine.waitUntilHealthy(port: port, timeout: configuration.startupTimeout)
                return engine
            } catch {
                // A server that exited during start-up may have lost the port race: try another port.
                let exitedEarly = !engine.isRunning
                engine.stop()
                lastError = error
                if exitedEarly { continue }
                throw error
            }
        }
        throw lastError ?? BackendError.localEngine("local engine did not start; log: \(configuration.logFile.path)")
    }

    /// Stops the server (SIGTERM, then SIGKILL) and waits for it to exit.
    public func stop() {
        process.terminate()
    }

    private func waitUntilHealthy(port: Int, timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let healthURL = "http://127.0.0.1:\(port)/health"
        while clock.now < deadline {
            if let status = process.waitForExit(milliseconds: 0) {
                throw BackendError.localEngine("local engine exited during start-up (status \(status)); log: \(logFile.path)")
            }
            var request = HTTPClientRequest(url: healthURL)
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)),
               response.status == .ok {
                let body = try? await response.body.collect(upTo: 64 * 1024)
                if let body, String(buffer: body).contains("ok") { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BackendError.localEngine("local engine did not report healthy within \(timeout); log: \(logFile.path)")
    }

    private static func appendLogHeader(_ file: URL, port: Int) {
        let line = "=== dramatis \(ProcessInfo.processInfo.processIdentifier) starting llama-server on port \(port) at \(Date())\n"
        if let handle = try? FileHandle(forWritingTo: file) {
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data(line.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: file.path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600])
        }
    }
}

extension BackendError {
    /// A local-engine failure (not retryable: the engine or model must be fixed first).
    static func localEngine(_ message: String) -> BackendError {
        BackendError(kind: .localEngine, message: message, isRetryable: false)
    }
}
