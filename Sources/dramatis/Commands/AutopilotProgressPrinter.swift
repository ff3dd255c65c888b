import DramatisCore
import Foundation

/// Prints autopilot progress on standard error, one plain line per event (model text sanitized and shortened).
final class AutopilotProgressPrinter: @unchecked Sendable {
    // @unchecked Sendable: progress arrives from concurrent conversations; all output is serialized by `lock`.
    private let lock = NSLock()
    private let total: Int
    private let runner: AutopilotRunner

    init(total: Int, runner: AutopilotRunner) {
        self.total = total
        self.runner = runner
    }

    func handle(_ event: AutopilotProgress) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .conversationStarted(let index, let id):
            line("autopilot: [\(index + 1)/\(total)] started \(id)")
        case .turnFinished(let index, let turn, let of, let reply):
            var text = "autopilot: [\(index + 1)/\(total)] turn \(turn)/\(of): \(reply.text.count) chars"
            if let verdict = reply.verdict {
                switch verdict.status {
                case .scored: text += ", judge \(verdict.score ?? 0)/5"
                case .malformed: text += ", judge answer malformed"
                case .failed: text += ", judge failed"
                }
            }
            if let mark = reply.mark { text += ", marked \(mark.value.rawValue)" }
            line(text + " — \(Self.preview(reply.text))")
        case .retrying(let index, let delay, let message):
            line("autopilot: [\(index + 1)/\(total)] retrying in \(String(format: "%.1f", delay)) s: \(TerminalSanitizer.sanitize(message))")
        case .conversationFinished(let index, let entry, let completed, _):
            var text = "autopilot: [\(index + 1)/\(total)] \(entry.status.rawValue) (\(entry.turns)/\(entry.plannedTurns) turns; \(completed)/\(total) done)"
            if let error = entry.error { text += ": \(TerminalSanitizer.sanitize(error))" }
            line(text)
        }
    }

    /// Prints a message between progress lines.
    func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        line(message)
    }

    private func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One line, sanitized, shortened.
    static func preview(_ text: String, limit: Int = 60) -> String {
        let flat = TerminalSanitizer.sanitize(text).replacingOccurrences(of: "\n", with: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }
}
