import Foundation

/// What an autopilot run did: per conversation its transcript, turns, verdicts and marks, with totals.
public struct AutopilotReport: Sendable {
    /// How one conversation ended.
    public enum Status: String, Sendable, Hashable {
        /// Every planned turn ran.
        case ok
        /// A turn failed (the transcript keeps the turns before it).
        case failed
        /// Stopped by Ctrl-C (partial).
        case cancelled
        /// Never started (the run was cancelled first).
        case skipped
    }

    /// One conversation of the run.
    public struct Entry: Sendable, Hashable {
        public var id: String?
        public var status: Status
        public var error: String?
        /// User turns sent and answered.
        public var turns: Int
        /// User turns planned.
        public var plannedTurns: Int
        /// Judged replies by status.
        public var scored: Int
        public var malformed: Int
        public var judgeFailures: Int
        /// Marks set from the judge's verdicts (`--auto-mark`).
        public var marks: Int

        public init(id: String? = nil, status: Status, error: String? = nil, turns: Int = 0, plannedTurns: Int = 0,
                    scored: Int = 0, malformed: Int = 0, judgeFailures: Int = 0, marks: Int = 0) {
            self.id = id
            self.status = status
            self.error = error
            self.turns = turns
            self.plannedTurns = plannedTurns
            self.scored = scored
            self.malformed = malformed
            self.judgeFailures = judgeFailures
            self.marks = marks
        }

        /// Counts one judge's verdict (on a reply or a compare round) by its status.
        mutating func count(_ judged: JudgeVerdict.Status) {
            switch judged {
            case .scored: scored += 1
            case .malformed: malformed += 1
            case .failed: judgeFailures += 1
            }
        }
    }

    public var entries: [Entry]
    public var cancelled: Bool

    public init(entries: [Entry], cancelled: Bool) {
        self.entries = entries
        self.cancelled = cancelled
    }

    /// Conversations that ended `status`.
    public func count(_ status: Status) -> Int { entries.filter { $0.status == status }.count }

    /// A readable summary: a headline, then one line per conversation. Errors are sanitized.
    public func summary(judged: Bool) -> String {
        var lines: [String] = []
        let turns = entries.reduce(0) { $0 + $1.turns }
        lines.append("Autopilot \(cancelled ? "(cancelled, partial) " : "")of \(entries.count) conversation(s): \(count(.ok)) ok, \(count(.failed)) failed, \(count(.cancelled)) cancelled, \(count(.skipped)) skipped; \(turns) turn(s)")
        if judged {
            let scored = entries.reduce(0) { $0 + $1.scored }, malformed = entries.reduce(0) { $0 + $1.malformed }
            let failures = entries.reduce(0) { $0 + $1.judgeFailures }, marks = entries.reduce(0) { $0 + $1.marks }
            lines.append("Judge: \(scored) scored, \(malformed) malformed, \(failures) failed; \(marks) mark(s) set")
        }
        for entry in entries {
            var line = "  \(entry.status.rawValue.uppercased())  \(entry.id ?? "-")  \(entry.turns)/\(entry.plannedTurns) turns"
            if judged { line += ", \(entry.scored) scored, \(entry.malformed) malformed" }
            if let error = entry.error { line += ": \(TerminalSanitizer.sanitize(error))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
