import Foundation

/// The report of a batch replay: per transcript and turn, old vs new, with totals. Written as JSON and as text.
public struct ReplayReport: Codable, Sendable {
    /// Outcome of one transcript.
    public enum Status: String, Codable, Sendable {
        /// Every user turn was replayed.
        case ok
        /// Loading, the backend, or a turn failed.
        case failed
        /// Stopped by Ctrl-C (partial).
        case cancelled
        /// Never started (the run was cancelled first).
        case skipped
    }

    /// One transcript of the batch.
    public struct Entry: Codable, Sendable {
        public var source: String
        public var originalID: String?
        public var newID: String?
        public var newPath: String?
        public var persona: String?
        public var backend: String?
        public var model: String?
        public var status: Status
        public var error: String?
        public var userTurns: Int
        public var turns: [ReplayTurnResult]
        /// The judged win rate of this transcript's new replies over its old ones (replay `--judge`); nil without a judge.
        public var judged: JudgedWinRate?

        public init(source: String, originalID: String? = nil, newID: String? = nil, newPath: String? = nil,
                    persona: String? = nil, backend: String? = nil, model: String? = nil, status: Status,
                    error: String? = nil, userTurns: Int = 0, turns: [ReplayTurnResult] = []) {
            self.source = source
            self.originalID = originalID
            self.newID = newID
            self.newPath = newPath
            self.persona = persona
            self.backend = backend
            self.model = model
            self.status = status
            self.error = error
            self.userTurns = userTurns
            self.turns = turns
        }

        enum CodingKeys: String, CodingKey {
            case source, persona, backend, model, status, error, turns, judged
            case originalID = "original_id"
            case newID = "new_id"
            case newPath = "new_path"
            case userTurns = "user_turns"
        }
    }

    /// Sums over the whole batch.
    public struct Totals: Codable, Sendable, Hashable {
        public var transcripts: Int
        public var succeeded: Int
        public var failed: Int
        public var cancelled: Int
        public var skipped: Int
        public var turns: Int
        public var promptTokens: Int
        public var completionTokens: Int
        /// Mean similarity over turns that had an old reply; nil when none.
        public var meanSimilarity: Double?
        /// The judged win rate over every judged transcript (replay `--judge`); nil without a judge.
        public var judged: JudgedWinRate?

        enum CodingKeys: String, CodingKey {
            case transcripts, succeeded, failed, cancelled, skipped, turns, judged
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case meanSimilarity = "mean_similarity"
        }
    }

    public var format: String = "dramatis-replay-report"
    public var version: Int = 1
    public var startedAt: Date
    public var finishedAt: Date
    public var cancelled: Bool
    public var entries: [Entry]

    public init(startedAt: Date, finishedAt: Date, cancelled: Bool, entries: [Entry]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.cancelled = cancelled
        self.entries = entries
    }

    /// Totals computed from the entries.
    public var totals: Totals {
        let turns = entries.flatMap(\.turns)
        let similarities = turns.compactMap(\.similarity)
        return Totals(
            transcripts: entries.count,
            succeeded: entries.filter { $0.status == .ok }.count,
            failed: entries.filter { $0.status == .failed }.count,
            cancelled: entries.filter { $0.status == .cancelled }.count,
            skipped: entries.filter { $0.status == .skipped }.count,
            turns: turns.count,
            promptTokens: turns.reduce(0) { $0 + ($1.usage?.promptTokens ?? 0) },
            completionTokens: turns.reduce(0) { $0 + ($1.usage?.completionTokens ?? 0) },
            meanSimilarity: similarities.isEmpty ? nil
                : ((similarities.reduce(0, +) / Double(similarities.count)) * 1000).rounded() / 1000,
            judged: entries.contains { $0.judged != nil } ? JudgedWinRate(turns: entries.filter { $0.judged != nil }.flatMap(\.turns)) : nil)
    }

    enum CodingKeys: String, CodingKey {
        case format, version, cancelled, entries, totals
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        finishedAt = try container.decode(Date.self, forKey: .finishedAt)
        cancelled = try container.decode(Bool.self, forKey: .cancelled)
        entries = try container.decode([Entry].self, forKey: .entries)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(version, forKey: .version)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(cancelled, forKey: .cancelled)
        try container.encode(entries, forKey: .entries)
        try container.encode(totals, forKey: .totals)
    }

    /// Pretty, sorted-key JSON with ISO-8601 UTC dates.
    public func jsonData() throws -> Data {
        var data = try TranscriptCoding.encoder().encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a report written by `jsonData()`.
    public static func decode(_ data: Data) throws -> ReplayReport {
        try TranscriptCoding.decoder().decode(ReplayReport.self, from: data)
    }

    /// A readable summary: one block per transcript, one line per turn. Model text is sanitized.
    public func summary() -> String {
        var lines: [String] = []
        let totals = self.totals
        lines.append("Replay \(cancelled ? "(cancelled, partial) " : "")of \(totals.transcripts) transcript(s): \(totals.succeeded) ok, \(totals.failed) failed, \(totals.cancelled) cancelled, \(totals.skipped) skipped")
        if let judged = totals.judged { lines.append("Overall \(judged.text)") }
        lines.append("Turns: \(totals.turns)   tokens: \(totals.promptTokens) prompt + \(totals.completionTokens) completion   mean similarity: \(totals.meanSimilarity.map { String(format: "%.3f", $0) } ?? "-")")
        for entry in entries {
            lines.append("")
            var head = "\(entry.status.rawValue.uppercased())  \(Self.clean(entry.originalID ?? entry.source))"
            if let newID = entry.newID { head += " -> \(newID)" }
            if let persona = entry.persona { head += "  [\(Self.clean(persona))" + (entry.model.map { " / \(Self.clean($0))" } ?? "") + "]" }
            lines.append(head)
            if let error = entry.error { lines.append("  error: \(Self.clean(error))") }
            if let judged = entry.judged { lines.append("  \(judged.text)") }
            for turn in entry.turns {
                let old = turn.oldText.map { "\($0.count) chars" } ?? "-"
                let similarity = turn.similarity.map { String(format: "%.3f", $0) } ?? "-"
                let reasons = "\(turn.oldFinishReason?.wireValue ?? "-") -> \(turn.newFinishReason?.wireValue ?? "-")"
                let tokens = turn.usage.map { "\($0.promptTokens)+\($0.completionTokens) tok" } ?? "- tok"
                var line = "  turn \(turn.index + 1): old \(old), new \(turn.newText.count) chars, finish \(reasons), \(tokens), similarity \(similarity)"
                if turn.attempts > 1 { line += ", \(turn.attempts) attempts" }
                if let error = turn.error { line += ", error: \(Self.clean(error))" }
                lines.append(line)
                lines.append("    user: \(Self.preview(turn.userText))")
                if turn.oldVerdict != nil || turn.newVerdict != nil {
                    lines.append("    judge: old \(Self.verdictText(turn.oldVerdict)), new \(Self.verdictText(turn.newVerdict))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A verdict in a few words: the score and reason, or why there is none (a malformed answer is shown, not guessed).
    static func verdictText(_ verdict: JudgeVerdict?) -> String {
        guard let verdict else { return "-" }
        switch verdict.status {
        case .scored: return "\(verdict.score ?? 0)/5 (\(preview(verdict.reason ?? "", limit: 50)))"
        case .malformed: return "malformed: \(preview(verdict.problem ?? "", limit: 50)); raw: \"\(preview(verdict.raw, limit: 50))\""
        case .failed: return "failed: \(preview(verdict.problem ?? "", limit: 60))"
        }
    }

    /// One line, sanitized, shortened.
    static func preview(_ text: String, limit: Int = 70) -> String {
        let flat = clean(text).replacingOccurrences(of: "\n", with: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    static func clean(_ text: String) -> String {
        TerminalSanitizer.sanitize(text)
    }
}
