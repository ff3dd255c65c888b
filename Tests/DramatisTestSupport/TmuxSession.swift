import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drives a program inside a detached tmux session on a private socket, for end-to-end TUI tests.
///
/// Each session gets its own server (`tmux -L <unique>`), so tests never touch the user's tmux
/// and can run in parallel. Call `kill()` at the end of every test (deinit does it too).
public final class TmuxSession: @unchecked Sendable {
    // @unchecked: the only mutable state is `isKilled`, guarded by `lock`.
    public let socket: String
    public let target = "dramatis"
    private let lock = NSLock()
    private var isKilled = false
    private static let tmux = URL(fileURLWithPath: "/usr/bin/tmux")

    /// Whether tmux is installed (tests are skipped without it).
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: tmux.path) }

    /// Starts `command` in a `width`×`height` session with `environment` added (LANG=C.UTF-8 always).
    public init(command: [String], environment: [String: String] = [:], width: Int = 80, height: Int = 24,
                workingDirectory: URL? = nil) throws {
        socket = "dramatis-e2e-\(UUID().uuidString.prefix(8))"
        var variables = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color"]
        for (key, value) in environment { variables[key] = value }
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }
        var shellCommand = (["env"] + assignments + command.map(Self.quote)).joined(separator: " ")
        if let workingDirectory { shellCommand = "cd \(Self.quote(workingDirectory.path)) && exec \(shellCommand)" }
        try run(["-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)", shellCommand,
                 ";", "set-option", "-t", target, "remain-on-exit", "on"])
    }

    deinit { kill() }

    /// Types literal text (no key names interpreted).
    public func type(_ text: String) throws {
        try run(["send-keys", "-t", target, "-l", text])
    }

    /// Sends tmux key names, e.g. "Enter", "Escape", "C-r", "M-=", "Tab", "PageUp".
    public func press(_ keys: String...) throws {
        try run(["send-keys", "-t", target] + keys)
    }

    /// The visible screen as text (`withAttributes` adds escape sequences for colours and attributes).
    public func capture(withAttributes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", target] + (withAttributes ? ["-e"] : [])).stdout
    }

    /// How long a wait lasts unless a test says otherwise. Generous on purpose: with the whole suite running on
    /// 2 cores, the app's chat start-up (which rebuilds the persona's dataset files, with fsyncs) was seen to stay
    /// on "Starting a chat…" for more than 30 s in four tests at once, and to take a second on its own. A passing
    /// wait returns as soon as it holds.
    public static let defaultTimeout: TimeInterval = 120

    /// Polls the screen until `predicate` holds; throws with the last screen after `timeout` seconds.
    @discardableResult
    public func waitUntil(timeout: TimeInterval = TmuxSession.defaultTimeout, _ what: String, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if predicate(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxTimeout(what: what, seconds: timeout, screen: screen)
    }

    /// Polls until `text` is on screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = TmuxSession.defaultTimeout) throws -> String {
        try waitUntil(timeout: timeout, "'\(text)' on screen") { $0.contains(text) }
    }

    /// Resizes the window (the program sees SIGWINCH / KEY_RESIZE).
    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Whether the program in the pane has exited, and its status (128 + signal number when a signal
    /// ended it: tmux then leaves `pane_dead_status` empty and sets `pane_dead_signal`). Nil while
    /// tmux has not reaped it yet: the pane already reads as dead (its pty closed) but neither value
    /// is set, which used to be reported as status 0 (`waitForExit` then checks /proc for a zombie).
    public func exitStatus() throws -> Int32? {
        let output = try run(["display-message", "-p", "-t", target, "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"]).stdout
        let parts = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "1" else { return nil }
        if parts.count > 2, let signal = Int32(parts[2]), signal > 0 { return 128 + signal }
        return parts.count > 1 ? Int32(parts[1]) : nil
    }

    /// Waits for the program to exit; returns its status.
    ///
    /// tmux 3.3a sometimes leaves the exited program as an unreaped zombie, so the pane never
    /// reads as dead; the zombie's state and exit code are read from /proc/<pane_pid>/stat instead.
    public func waitForExit(timeout: TimeInterval = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        let panePID = Int32(try run(["display-message", "-p", "-t", target, "#{pane_pid}"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines))
        while Date() < deadline {
            if let status = try exitStatus() { return status }
            if let panePID, let status = Self.zombieExitStatus(pid: panePID) { return status }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TmuxTimeout(what: "program exit", seconds: timeout, screen: (try? capture()) ?? "")
    }

    /// The exit status of `pid` if it is a zombie (exited, not yet reaped), from /proc/<pid>/stat.
    static func zombieExitStatus(pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let afterName = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[afterName.upperBound...].split(separator: " ")
        // fields[0] is the state; the last field is exit_code, encoded as by waitpid.
        guard fields.first == "Z", let raw = fields.last.flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else { return nil }
        return ChildProcess.exitCode(fromWaitStatus: raw)
    }

    /// Runs any tmux command on this session's server; returns its output.
    @discardableResult
    public func command(_ arguments: [String]) throws -> String {
        try run(arguments).stdout
    }

    /// Kills the session and its private server.
    public func kill() {
        lock.lock()
        defer { lock.unlock() }
        guard !isKilled else { return }
        isKilled = true
        _ = try? run(["kill-server"])
    }

    /// Runs the tmux client with `posix_spawn` and `waitpid`, output to a temporary file.
    ///
    /// Not `Process` with pipes: the tmux server forked by new-session inherits the client's
    /// descriptors (a pipe would never reach EOF), and in the test process Foundation did not reap
    /// the exited client (the wait hung), so this spawns and reaps the child itself.
    @discardableResult
    private func run(_ arguments: [String]) throws -> ProcessResult {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([Self.tmux.path, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = SpawnAttributes.withCleanSignals { attributes in posix_spawn(&pid, Self.tmux.path, &actions, attributes, argv, environ) }
        guard spawned == 0 else { throw TmuxFailure(arguments: arguments, stderr: "posix_spawn failed: \(spawned)") }
        let exitStatus = try ChildProcess.reap(pid, timeout: 60, command: "tmux " + arguments.joined(separator: " "))
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        if exitStatus != 0 && arguments.first != "kill-server" {
            throw TmuxFailure(arguments: arguments, stderr: text)
        }
        return ProcessResult(status: exitStatus, stdout: text, stderr: "")
    }

    private static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// tmux refused a command.
public struct TmuxFailure: Error, CustomStringConvertible {
    public var arguments: [String]
    public var stderr: String
    public var description: String { "tmux \(arguments.joined(separator: " ")) failed: \(stderr)" }
}

/// The screen did not reach the expected state in time; carries the last screen for the report.
public struct TmuxTimeout: Error, CustomStringConvertible {
    public var what: String
    public var seconds: TimeInterval
    public var screen: String
    public var description: String { "waited \(Int(seconds)) s for \(what); last screen:\n\(screen)" }
}
