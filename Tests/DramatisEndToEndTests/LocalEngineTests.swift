import DramatisBackends
import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LocalEngineTests {
    @Test func engineStartsHealthyAndStops() async throws {
        let logs = try TemporaryDirectory()
        let environment = ProcessInfo.processInfo.environment
        var configuration = LocalEngine.Configuration.standard(paths: .fromEnvironment(environment), environment: environment)
        configuration.logFile = logs.path("engine.log")
        configuration.parallelSlots = 1
        configuration.contextSize = 1024
        let engine = try await LocalEngine.start(configuration)
        #expect(engine.baseURL.host == "127.0.0.1")
        #expect(engine.isRunning)
        let log = try String(contentsOf: logs.path("engine.log"), encoding: .utf8)
        #expect(log.contains("starting llama-server"))
        engine.stop()
        #expect(!engine.isRunning)
        #expect(kill(engine.pid, 0) != 0, "llama-server \(engine.pid) still exists after stop()")
    }

    @Test func missingEngineNamesThePathAndTheFix() async throws {
        let logs = try TemporaryDirectory()
        let location = LocalEngineLocation(serverBinary: logs.path("no-such-llama-server"), model: logs.path("none.gguf"))
        await #expect {
            _ = try await LocalEngine.start(.init(location: location, logFile: logs.path("engine.log")))
        } throws: { error in
            guard let error = error as? BackendError else { return false }
            return error.kind == .localEngine && error.message.contains("no-such-llama-server") && error.message.contains("make setup")
        }
    }

    @Test func engineDiesWithDramatisOnSIGKILL() async throws {
        let process = try ChildProcess(BuiltProducts.dramatis, ["engine", "--ctx-size", "512", "--parallel", "1"])

        // Read lines until the engine reports its pid.
        var text = ""
        let reader = try #require(process.standardOutput)
        let deadline = Date().addingTimeInterval(90)
        while !text.contains("log:"), Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let pidLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("pid: ") }, "engine output: \(text)")
        let serverPID = try #require(Int32(pidLine.dropFirst(5)))
        #expect(kill(serverPID, 0) == 0, "llama-server should be running")
        #expect(try String(contentsOfFile: "/proc/\(serverPID)/cmdline", encoding: .utf8).contains("llama-server"))

        process.signal(SIGKILL)
        try await process.wait()
        var gone = false
        for _ in 0..<100 {
            // A killed child is reaped by init; until then it may linger as a zombie, which is gone for our purpose.
            let state = (try? String(contentsOfFile: "/proc/\(serverPID)/stat", encoding: .utf8))?
                .split(separator: ")").last?.split(separator: " ").first
            if state == nil || state == "Z" { gone = true; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(gone, "llama-server \(serverPID) outlived dramatis after SIGKILL")
    }
}
