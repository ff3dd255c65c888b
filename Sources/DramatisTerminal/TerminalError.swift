import Glibc

/// A failure of the terminal layer itself.
public enum TerminalError: Error, CustomStringConvertible {
    case system(String, Int32)
    case notATerminal
    case cursesFailed(String)

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .notATerminal: "dramatis chat needs an interactive terminal (stdin and stdout must be a TTY)"
        case .cursesFailed(let what): "ncurses could not start: \(what)"
        }
    }
}
