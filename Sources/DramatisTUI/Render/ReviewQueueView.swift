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
        if let round = queue.compareRound(key) {
            header += " · compare"
            grid.write(" " + Self.fit(header, width), row: 1, column: 0, style: Theme.heading)
            drawCompareItem(round, user: key.turn, in: conversation, rows: 2..<bottom, width: width, into: &grid)
            return
        }
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
            let label = turn.role == .user ? Self.userLabel(turn) : Self.oneLine(conversation.persona.name)
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

    /// A compare item: the conversation up to the user turn, then the candidates stacked (A on top), each clipped to
    /// an equal share of the rows, then the judge's pairwise suggestion.
    private func drawCompareItem(_ round: CompareRound, user: TurnID, in conversation: Conversation, rows: Range<Int>, width: Int,
                                 into grid: inout ScreenGrid) {
        // Blind rounds keep their sources hidden until a person decided (a judge's decision does not reveal them).
        let hideSources = round.isBlind && (round.decision == nil || round.decision?.judge != nil || round.decision?.verdict == .skip)
        var footer: [(String, CellStyle)] = []
        if let decision = round.decision, let judge = decision.judge {
            footer.append(("Decided by judge \(Self.oneLine(judge)): " + Self.decisionText(decision, round), Theme.notice))
        }
        if let judgement = round.judgement {
            footer += TextWrapper.wrap(Self.pairwiseLine(judgement), width: width).map { ($0, Theme.notice) }
        }
        var contextLines: [(String, CellStyle)] = []
        for id in conversation.path(to: user) {
            let turn = conversation[id]
            let label = turn.role == .user ? Self.userLabel(turn) : Self.oneLine(conversation.persona.name)
            contextLines.append((label, turn.role == .user ? Theme.userLabel : Theme.assistantLabel))
            let style = id == user ? Theme.body : Theme.dim
            contextLines += TextWrapper.wrap(TerminalSanitizer.sanitize(turn.historyText).replacingTabs(), width: width).map { ($0, style) }
        }
        // The candidates first (each clipped to an equal share), then as much context as the rest holds.
        let candidates = round.sides.count
        let available = rows.count - footer.count - candidates   // a blank line above each candidate
        let perCandidate = max(2, (available - min(contextLines.count, 4)) / max(1, candidates))
        var candidateLines: [(String, CellStyle)] = []
        for (pane, side) in round.sides.enumerated() {
            let reply = conversation[side.reply]
            var label = "▶ " + CompareRound.paneLetter(pane)
            if !hideSources {
                label += " · " + Self.oneLine(side.name ?? "source \(side.source)")
                if let persona = side.persona { label += " (as \(Self.oneLine(persona)))" }
            }
            if let mark = reply.mark { label += " · marked \(mark.value.rawValue)" }
            var block: [(String, CellStyle)] = [(label, Theme.selectedLabel)]
            block += TextWrapper.wrap(TerminalSanitizer.sanitize(reply.historyText).replacingTabs(), width: width).map { ($0, Theme.body) }
            if block.count > perCandidate {
                block = Array(block.prefix(perCandidate))
                block[block.count - 1].0 = Self.fit(block[block.count - 1].0, width - 1) + "…"
            }
            candidateLines.append(("", Theme.body))
            candidateLines += block
        }
        let contextRows = max(0, min(contextLines.count, rows.count - footer.count - candidateLines.count))
        let lines = Array(contextLines.suffix(contextRows)) + candidateLines + footer
        var row = rows.lowerBound
        for (text, style) in lines where row < rows.upperBound {
            grid.write(" " + text, row: row, column: 0, style: style)
            row += 1
        }
    }

    /// The label of a user turn in the queue's context: its origin when a simulator or a list wrote it.
    private static func userLabel(_ turn: Turn) -> String {
        switch turn.origin {
        case .simulated: "User (simulated\(turn.simulatedBy.map { " by " + oneLine($0) } ?? ""))"
        case .listed: "User (listed)"
        default: "User"
        }
    }

    /// A compare decision in words: "A better", "tie", "both bad".
    static func decisionText(_ decision: CompareDecision, _ round: CompareRound) -> String {
        switch decision.verdict {
        case .better:
            let pane = round.sides.firstIndex { $0.source == decision.winner } ?? 0
            return CompareRound.paneLetter(pane) + " better"
        case .tie: return "tie"
        case .bothBad: return "both bad"
        case .skip: return "skipped"
        }
    }

    /// The judge's pairwise verdict as the queue shows it: the preference and reason with what Enter does, or why there is none.
    static func pairwiseLine(_ verdict: PairwiseVerdict) -> String {
        let judge = oneLine(verdict.judge)
        switch verdict.status {
        case .scored:
            let preferred = verdict.preference.map { $0 == .tie ? "tie" : "\($0.letter) better" } ?? "?"
            return "Judge \(judge): \(preferred) — \(oneLine(verdict.reason ?? "")) (Enter: \(preferred))"
        case .malformed:
            return "Judge \(judge): malformed answer (\(oneLine(verdict.problem ?? ""))): \"\(oneLine(verdict.raw))\""
        case .failed:
            return "Judge \(judge): failed: \(oneLine(verdict.problem ?? ""))"
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
