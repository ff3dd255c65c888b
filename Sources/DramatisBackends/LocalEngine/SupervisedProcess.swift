import CDramatisSystem
import DramatisCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process that dies with us, even when we are killed with SIGKILL.
///
/// Foundation's `Process` cannot set `PR_SET_PDEATHSIG` in the child, so the fork and
/// exec happen in C (`dramatis_spawn_supervised`), from a thread that lives exactly as
/// long as the child (the signal fires when the forking *thread* exits). Used for the local engine and
/// for the trainer's Python worker.
public final class SupervisedProcess: @unchecked Sendable {
    // @unchecked: the C handle guards its own state with a mutex; `released` is only
    // touched under `lock`.
    private let handle: OpaquePointer
    private let lock = NSLock()
    private var released = false

    /// The child's process id.
    public let pid: pid_t

    /// Starts `executable` with `arguments`, stdout and stderr appended to `logFile`.
    convenience init(executable: URL, arguments: [String], logFile: URL) throws {
        let logFD = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else {
            throw BackendError.localEngine("cannot open the engine log \(logFile.path) (errno \(errno))")
        }
        defer { close(logFD) }
        try self.init(executable: executable, arguments: arguments, standardOutput: logFD, standardError: logFD)
    }

    /// Starts `executable` with `arguments`: stdin from `standardInput` (nil: /dev/null), stdout and stderr to
    /// the given descriptors (stderr nil: inherited), at CPU priority lowered by `niceness` (0: unchanged).
    /// The descriptors stay the caller's to close.
    public init(executable: URL, arguments: [String], standardInput: Int32? = nil, standardOutput: Int32,
                standardError: Int32?, niceness: Int32 = 0) throws {
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var spawnError: Int32 = 0
        let child = argv.withUnsafeBufferPointer { buffer in
            executable.path.withCString { path in
                dramatis_spawn_supervised_io(path, buffer.baseAddress, standardInput ?? -1, standardOutput,
                                             standardError ?? -1, niceness, &spawnError)
            }
        }
        guard let child else {
            throw BackendError.localEngine("cannot start \(executable.path): \(String(cString: strerror(spawnError)))")
        }
        handle = child
        pid = dramatis_child_pid(child)
    }

    /// Waits up to `milliseconds` (negative: forever); returns the wait status once the child has exited.
    public func waitForExit(milliseconds: Int32) -> Int32? {
        var status: Int32 = 0
        return dramatis_child_wait(handle, milliseconds, &status) == 1 ? status : nil
    }

    /// Whether the child is still running.
    public var isRunning: Bool { waitForExit(milliseconds: 0) == nil }

    /// Sends `signal` to the child if it is still running (SIGSTOP/SIGCONT pause and resume it).
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; returns once the child is gone.
    public func terminate(grace: Double = 3) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        kill(pid, SIGCONT)  // a paused (SIGSTOPped) child handles SIGTERM only once it runs again
        if waitForExit(milliseconds: Int32(grace * 1000)) == nil {
            kill(pid, SIGKILL)
            _ = waitForExit(milliseconds: -1)
        }
    }

    deinit {
        terminate(grace: 1)
        dramatis_child_release(handle)
    }
}
