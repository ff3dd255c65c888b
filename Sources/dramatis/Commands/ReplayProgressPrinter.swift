import DramatisCore
import Foundation

/// Shows batch replay progress on standard error: a redrawn bar on a terminal, plain lines otherwise.
final class ReplayProgressPrinter: @unchecked Sendable {
    // @unchecked Sendable: progress arrives from concurrent replay tasks; all state is guarded by `lock`.
    private let lock = NSLock()
    private let total: Int
    private let interactive: Bool
    private var completed = 0
    private var failed = 0
    private var turns = 0
    private var barShown = false

    init(total: Int, interactive: Bool) {
        self.total = total
        self.interactive = interactive
    }

    func handle(_ event: BatchReplayProgress) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .transcriptStarted(_, let source):
            if !interactive { line("replay: started \(source)") }
        case .turnFinished:
            turns += 1
        case .retrying(_, let delay, let message):
            line("replay: rate limited (\(TerminalSanitizer.sanitize(message))); retrying in \(String(format: "%.1f", delay)) s")
        case .transcriptFinished(_, let entry, let done, _):
            completed = done
            if entry.status != .ok { failed += 1 }
            if !interactive || entry.status != .ok {
                var text = "replay: \(entry.status.rawValue) \(entry.originalID ?? entry.source) (\(entry.turns.count)/\(entry.userTurns) turns)"
                if let error = entry.error { text += ": \(TerminalSanitizer.sanitize(error))" }
                line(text)
            }
        }
        if interactive { drawBar() }
    }

    /// Prints a message above the bar.
    func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        line(message)
        if interactive { drawBar() }
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if interactive && barShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        barShown = false
    }

    private func line(_ text: String) {
        let prefix = interactive && barShown ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
        barShown = false
    }

    private func drawBar() {
        let width = 30
        let filled = total == 0 ? width : completed * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(completed)/\(total) transcripts, \(turns) turns, \(failed) failed".utf8))
        barShown = true
    }
}
