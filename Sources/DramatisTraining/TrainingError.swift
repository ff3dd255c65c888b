/// Why training did not start or did not finish, in words a person can act on.
public enum TrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input (dataset, persona, options) cannot be trained on.
    case refused(String)
    /// The Python environment, the trainer or the engine is missing or broken.
    case environment(String)
    /// The worker reported an error (`kind` as in Trainer/PROTOCOL.md).
    case worker(kind: String, message: String)
    /// The worker exited without `done` or `error`.
    case workerExited(status: Int32, log: String)
    /// Stopped by the user (Ctrl-C, SIGTERM or a cancelled task).
    case cancelled

    public var description: String {
        switch self {
        case .refused(let message), .environment(let message): return message
        case let .worker(kind, message): return kind == "bad_input" ? message : "\(kind.replacingOccurrences(of: "_", with: " ")): \(message)"
        case let .workerExited(status, log): return "the trainer stopped unexpectedly (\(Self.describe(status))); its log: \(log)"
        case .cancelled: return "training stopped; no run was kept"
        }
    }

    /// Whether the input (rather than the machine) is at fault: exit status 2 instead of 1.
    public var isRefusal: Bool {
        switch self {
        case .refused: return true
        case .worker(let kind, _): return kind == "bad_input"
        default: return false
        }
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal != 0 { return signal == 9 ? "killed (SIGKILL; out of memory?)" : "signal \(signal)" }
        return "exit status \((status >> 8) & 0xff)"
    }
}
