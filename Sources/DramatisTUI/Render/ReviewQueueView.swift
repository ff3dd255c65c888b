import DramatisCore
import Foundation

extension Renderer {
    /// The review queue: counters in the title bar, then as much of the reply's conversation as fits (newest nearest),
    /// then the reply under review with its mark and the judge's suggestion.
    func drawReviewQueue(_ state: AppState, into grid: inout ScreenGrid) {
        guard let queue = state.reviewQueue else { return }
        var counters = "\(queue.reviewed) reviewed · \(queue.remaining) remaining"
        if let pace = queue.decisionsPerMinute { counters += " · " + String(format: "%.1f/min", pace) }
        drawTitleBar("Review queue", right: counters, into: &grid)
        var bottom = grid.height - 1
        if let notice = state.notice {
            bottom -= 1
            grid.write(" " + Self.oneLine(notice.text), row: bottom, column: 0, style: notice.isError ? Theme.error : Theme.notice,
                       maxColumns: grid.width)
        }
        let width = grid.width - 2
        func message(_ text: String, style: CellStyle) {
            for (offset, line) in TextWrapper.wrap(text, width: width).enumerated() where 1 + offset < bottom {
                grid.write(" " + line, row: 1 + offset, column: 0, style: style)
            }
        }
        guard queue.isLoaded else {
            if let error = queue.error {
                message("Could not list the replies to review: " + TerminalSanitizer.sanitize(error), style: Theme.error)
            } else {
                message("Reading the transcripts…", style: Theme.dim)
            }
            return
        }
        guard !queue.items.isEmpty else {
            message("Nothing to review: every reply in the transcripts is marked. Autopilot runs and replays add replies here.",
                    style: Theme.dim)
            return
        }
        guard let key = queue.current, let item = queue.reply(key) else {
            message("End of the queue: \(queue.reviewed) reviewed. b goes back; Esc leaves.", style: Theme.good)
            return
        }
        let conversation = item.conversation
        var header = "Item \(queue.position + 1) of \(queue.items.count) · \(Self.oneLine(conversation.persona.name)) · \(key.transcript)"
        if let decision = queue.decisions[key] { header += " · " + decision.rawValue }
        grid.write(" " + Self.fit(header, width), row: 1, column: 0, style: Theme.heading)

        // The reply block: label, text, then the judge's suggestion.
        var replyLines: [(String, CellStyle)] = [("▶ " + Self.oneLine(conversation.persona.name) + " — reply to review", Theme.selectedLabel)]
        replyLines += TextWrapper.wrap(TerminalSanitizer.sanitize(item.turn.text).replacingTabs(), width: width).map { ($0, Theme.body) }
        if let mark = item.turn.mark {
            replyLines.append(("Marked \(mark.value.rawValue)" + (mark.judge.map { " by judge \(Self.oneLine($0))" } ?? ""),
                               mark.value == .good ? Theme.good : Theme.bad))
        }
        if let verdict = item.turn.verdict {
            replyLines += TextWrapper.wrap(Self.verdictLine(verdict), width: width).map { ($0, Theme.notice) }
        }
        // The context: earlier turns of the branch, newest nearest the reply.
        var contextLines: [(String, CellStyle)] = []
        for id in conversation.path(to: key.turn).dropLast() {
            let turn = conversation[id]
            let label = turn.role == .user ? "User" + (turn.origin == .simulated ? " (simulated)" : turn.origin == .listed ? " (listed)" : "")
                : Self.oneLine(conversation.persona.name)
            contextLines.append((label, turn.role == .user ? Theme.userLabel : Theme.assistantLabel))
            contextLines += TextWrapper.wrap(TerminalSanitizer.sanitize(turn.historyText).replacingTabs(), width: width).map { ($0, Theme.dim) }
        }
        let top = 2
        let rows = bottom - top
        let replyRows = min(replyLines.count, rows)
        let contextRows = max(0, rows - replyRows - 1)
        var row = top
        for (text, style) in contextLines.suffix(contextRows) {
            grid.write(" " + text, row: row, column: 0, style: style)
            row += 1
        }
        if row > top { row += 1 }   // a blank line between the context and the reply
        for (index, (text, style)) in replyLines.prefix(replyRows).enumerated() where row < bottom {
            let clipped = index == replyRows - 1 && replyRows < replyLines.count ? Self.fit(text, width - 1) + "…" : text
            grid.write(" " + clipped, row: row, column: 0, style: style)
            row += 1
        }
    }

    /// The judge's verdict as the queue shows it: score and reason with the mark Enter would set, or why there is none.
    static func verdictLine(_ verdict: JudgeVerdict) -> String {
        let judge = oneLine(verdict.judge)
        switch verdict.status {
        case .scored:
            let suggestion = verdict.suggestedMark.map { "Enter: mark \($0.rawValue)" } ?? "no suggestion"
            return "Judge \(judge): \(verdict.score ?? 0)/5 — \(oneLine(verdict.reason ?? "")) (\(suggestion))"
        case .malformed:
            return "Judge \(judge): malformed answer (\(oneLine(verdict.problem ?? ""))): \"\(oneLine(verdict.raw))\""
        case .failed:
            return "Judge \(judge): failed: \(oneLine(verdict.problem ?? ""))"
        }
    }
}
