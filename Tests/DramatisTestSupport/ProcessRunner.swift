import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a finished command.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a command to completion and captures its output (for CLI end-to-end tests).
///
/// Not Foundation's `Process`: on Linux its `waitUntilExit` intermittently never returned in
/// the test process (the child had exited and was reaped elsewhere), hanging whole test runs.
/// This spawns with `posix_spawn`, sends output to temporary files (no pipe can fill up), and
/// reaps exactly its own child with `waitpid`, polling so the deadline is real.
///
/// `run` is async and waits on a thread of its own (`onThread`): a test that blocked a thread of the
/// cooperative pool (2 threads on a 2-core machine) while its process ran starved every other
/// suite's async work, and their timeouts fired.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`; `stdin` is fed from a file. Kills the child and throws after `timeout` seconds.
    public static func run(_ executable: URL, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String]? = nil, currentDirectory: URL? = nil,
                           timeout: TimeInterval = 120) async throws -> ProcessResult {
        try await onThread {
            try runBlocking(executable, arguments, stdin: stdin, environment: environment,
                            currentDirectory: currentDirectory, timeout: timeout)
        }
    }

    /// `run` on the calling thread, which it blocks until the child exits: only for code already on
    /// a thread of its own (inside `onThread`).
    public static func runBlocking(_ executable: URL, _ arguments: [String], stdin: String? = nil,
                                   environment: [String: String]? = nil, currentDirectory: URL? = nil,
                                   timeout: TimeInterval = 120) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("stdin"), out = scratch.appendingPathComponent("stdout"),
            err = scratch.appendingPathComponent("stderr")
        try Data((stdin ?? "").utf8).write(to: input)

        var env = environment ?? ProcessInfo.processInfo.environment
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input.path, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ChildCommandLine.argv(executable, arguments, currentDirectory: currentDirectory).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = SpawnAttributes.withCleanSignals { attributes in posix_spawn(&pid, ChildCommandLine.program(executable, currentDirectory: currentDirectory), &actions, attributes, argv, envp) }
        guard spawned == 0 else {
            throw ProcessSpawnFailure(command: executable.path, reason: String(cString: strerror(spawned)))
        }

        let exitStatus = try ChildProcess.reap(pid, timeout: timeout,
                                               command: ([executable.path] + arguments).joined(separator: " "))
        return ProcessResult(status: exitStatus,
                             stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                             stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }
}

/// A command that did not finish in time.
public struct ProcessTimeout: Error, CustomStringConvertible {
    public var command: String
    public var seconds: TimeInterval
    public var description: String { "\(command) did not finish within \(Int(seconds)) s" }
}

/// A command that could not be started.
public struct ProcessSpawnFailure: Error, CustomStringConvertible {
    public var command: String
    public var reason: String
    public var description: String { "cannot run \(command): \(reason)" }
}
