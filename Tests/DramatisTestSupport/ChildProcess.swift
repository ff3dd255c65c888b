import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running child for tests that talk to it while it runs (read its output, signal it, wait).
///
/// Spawned with `posix_spawn` and reaped with `waitpid` on its own pid: Foundation's
/// `Process.waitUntilExit` intermittently hung in the test process on Linux (see ProcessRunner).
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `status` is written once, by `wait`, which tests call from one task.
    public let pid: pid_t
    /// Read end of the child's stdout (nil when not captured: then it goes to /dev/null).
    public let standardOutput: FileHandle?
    /// Read end of the child's stderr (nil when not captured).
    public let standardError: FileHandle?
    private var status: Int32?

    /// Starts `executable`; stdin is /dev/null.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: URL? = nil, captureStandardOutput: Bool = true, captureStandardError: Bool = false) throws {
        var env = environment ?? ProcessInfo.processInfo.environment
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pipes: [(read: Int32, write: Int32)?] = []
        for (fd, capture) in [(Int32(1), captureStandardOutput), (Int32(2), captureStandardError)] {
            if capture {
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else { throw ProcessSpawnFailure(command: executable.path, reason: "pipe failed") }
                // Close-on-exec so the child keeps only the dup2'd copy (pipe2 is not imported from Glibc).
                _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
                posix_spawn_file_actions_adddup2(&actions, ends[1], fd)
                pipes.append((ends[0], ends[1]))
            } else {
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
                pipes.append(nil)
            }
        }
        let argv = ChildCommandLine.argv(executable, arguments, currentDirectory: currentDirectory).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = SpawnAttributes.withCleanSignals { attributes in posix_spawn(&child, ChildCommandLine.program(executable, currentDirectory: currentDirectory), &actions, attributes, argv, envp) }
        for ends in pipes.compactMap({ $0 }) { close(ends.write) }
        guard spawned == 0 else {
            for ends in pipes.compactMap({ $0 }) { close(ends.read) }
            throw ProcessSpawnFailure(command: executable.path, reason: String(cString: strerror(spawned)))
        }
        pid = child
        standardOutput = pipes[0].map { FileHandle(fileDescriptor: $0.read, closeOnDealloc: true) }
        standardError = pipes[1].map { FileHandle(fileDescriptor: $0.read, closeOnDealloc: true) }
    }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        if status == nil { kill(pid, number) }
    }

    /// Waits for the child to exit: its exit code, or 128 + signal number when a signal ended it.
    /// Kills it and throws after `timeout` seconds. Waits on a thread of its own, off the cooperative pool.
    @discardableResult
    public func wait(timeout: TimeInterval = 60) async throws -> Int32 {
        if let status { return status }
        let pid = pid
        let code = try await onThread { try Self.reap(pid, timeout: timeout, command: "pid \(pid)") }
        status = code
        return code
    }

    /// Waits for `pid` (our own child) with `waitpid`, polling so the deadline is real; kills it and
    /// throws after `timeout`. Returns the exit code, or 128 + signal number.
    static func reap(_ pid: pid_t, timeout: TimeInterval, command: String) throws -> Int32 {
        var raw: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                throw ProcessSpawnFailure(command: command, reason: "waitpid: \(String(cString: strerror(errno)))")
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &raw, 0)
                throw ProcessTimeout(command: command, seconds: timeout)
            }
            usleep(5_000)
        }
        return exitCode(fromWaitStatus: raw)
    }

    /// A `waitpid` status as a shell would report it: the exit code, or 128 + signal number.
    static func exitCode(fromWaitStatus raw: Int32) -> Int32 {
        (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
    }

    /// Whether a signal ended the child (valid after `wait`).
    public var wasEndedBySignal: Bool { (status ?? 0) > 128 }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            _ = waitpid(pid, &raw, 0)
        }
    }
}

/// Builds the spawned command line; a working directory is set through `/bin/sh`, because
/// `posix_spawn_file_actions_addchdir_np` is not imported into Swift from Glibc.
enum ChildCommandLine {
    static func program(_ executable: URL, currentDirectory: URL?) -> String {
        currentDirectory == nil ? executable.path : "/bin/sh"
    }

    static func argv(_ executable: URL, _ arguments: [String], currentDirectory: URL?) -> [String] {
        guard let currentDirectory else { return [executable.path] + arguments }
        return ["/bin/sh", "-c", "cd \"$0\" || exit 127; exec \"$@\"", currentDirectory.path, executable.path] + arguments
    }
}
