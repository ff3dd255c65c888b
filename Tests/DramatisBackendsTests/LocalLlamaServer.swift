import DramatisCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore
import NIOPosix

/// The real embedded engine (llama-server + SmolLM2) for end-to-end backend tests: started
/// once per test process on a free loopback port, stopped at exit (the engine dies with us).
///
/// The lead's `LocalEngine` supervisor is what the app uses; this fixture only needs a running
/// server, and keeps these tests independent of the supervisor's progress.
enum LocalLlamaServer {
    /// True when `scripts/setup.sh` has installed the engine and model.
    static var isInstalled: Bool {
        let paths = AppPaths.fromEnvironment()
        return FileManager.default.isExecutableFile(atPath: paths.engineBinary.path)
            && FileManager.default.fileExists(atPath: paths.modelFile.path)
    }

    private static let shared = Task<URL, Error> { try await start() }

    /// Base URL (`http://127.0.0.1:PORT/v1`) of the shared server, starting it on first use.
    static func baseURL() async throws -> URL { try await shared.value }

    private static func start() async throws -> URL {
        let paths = AppPaths.fromEnvironment()
        let port = try await freePort()
        let process = Process()
        process.executableURL = paths.engineBinary
        process.arguments = ["-m", paths.modelFile.path, "--host", "127.0.0.1", "--port", "\(port)", "-c", "2048",
                             "-np", "1", "-t", "2", "--log-disable"]
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-backends-llama-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let pid = process.processIdentifier
        // Kill the server when the test process exits normally.
        atexit_pid.value = pid
        atexit { if atexit_pid.value > 0 { kill(atexit_pid.value, SIGKILL) } }
        let health = URL(string: "http://127.0.0.1:\(port)/health")!
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if !process.isRunning { throw LocalServerError(message: "llama-server exited early; see \(log.path)") }
            if let (_, response) = try? await URLSession.shared.data(from: health),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return URL(string: "http://127.0.0.1:\(port)/v1")!
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw LocalServerError(message: "llama-server did not become healthy within 120 s; see \(log.path)")
    }

    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

/// Process id killed at exit (a C `atexit` callback cannot capture context).
private let atexit_pid = PidBox()

private final class PidBox: @unchecked Sendable {
    // Written once before the atexit handler is registered, read only at exit.
    var value: pid_t = 0
}

struct LocalServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
