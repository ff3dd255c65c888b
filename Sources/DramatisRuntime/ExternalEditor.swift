import Foundation
import Glibc

/// Edits text in the user's `$VISUAL` / `$EDITOR` (falling back to `vi`) through a temporary file.
public enum ExternalEditor {
    /// Runs the editor on a file holding `text` and returns the saved text, or an error message.
    public static func edit(_ text: String, environment: [String: String]) -> Result<String, EditorFailure> {
        let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(text.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            return .failure(EditorFailure(message: "could not write a temporary file: \(error.localizedDescription)"))
        }
        // The editor value may carry arguments ("code --wait"): let the shell split it; the file is "$1".
        let status = run(["/bin/sh", "-c", "\(editor) \"$1\"", "dramatis-editor", file.path])
        switch status {
        case .failure(let failure):
            return .failure(failure)
        case .success(let code) where code != 0:
            return .failure(EditorFailure(message: "\(shortName(of: editor)) exited with status \(code); input unchanged"))
        case .success:
            guard let data = FileManager.default.contents(atPath: file.path) else {
                return .failure(EditorFailure(message: "\(shortName(of: editor)) removed the file; input unchanged"))
            }
            return .success(String(decoding: data, as: UTF8.self))
        }
    }

    /// The editor command as the status line names it: its program's file name, so a long path does not
    /// push the exit status off an 80-column line ("/opt/x/bin/code --wait" is "code").
    static func shortName(of editor: String) -> String {
        let program = editor.split(separator: " ").first.map(String.init) ?? editor
        return program.split(separator: "/").last.map(String.init) ?? program
    }

    /// Spawns `arguments` on the terminal and waits for it; the exit status (128+n when killed by signal n).
    ///
    /// posix_spawn + waitpid rather than Foundation's `Process`: `waitUntilExit` relies on SIGCHLD handling
    /// that hung in this process's setting (see the test support notes). The child gets an empty signal
    /// mask and default handlers, since the UI thread's mask and ncurses' handlers must not leak into the editor.
    private static func run(_ arguments: [String]) -> Result<Int32, EditorFailure> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGWINCH, SIGPIPE, SIGTERM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], nil, &attributes, &cArguments, environ)
        guard spawned == 0 else {
            return .failure(EditorFailure(message: "could not run the editor: \(String(cString: strerror(spawned)))"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                return .failure(EditorFailure(message: "waiting for the editor failed: \(String(cString: strerror(errno)))"))
            }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import; decode the status by hand.
        let signal = status & 0x7f
        return .success(signal == 0 ? (status >> 8) & 0xff : 128 + signal)
    }
}

/// Why the external editor did not return text.
public struct EditorFailure: Error {
    public var message: String
}
