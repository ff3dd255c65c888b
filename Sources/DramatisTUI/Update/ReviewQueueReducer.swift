import DramatisCore
import Foundation

/// The review queue's reducer: one key per decision (good, bad, the judge's suggestion, edit into the ideal
/// answer, skip, back), each moving on and remembering the position; marks go to the recorder like the chat's.
enum ReviewQueueReducer {
    /// What the app reducer must do for a key on the queue (beyond the queue's own state).
    enum Outcome: Equatable {
        case handled(effects: [Effect], notice: NoticeUpdate?)
        /// Back to the picker (the position is saved first).
        case leave(effects: [Effect])
    }

    /// Performs a key action on the queue; nil when the action does not apply here.
    static func reduce(_ action: KeyAction, _ queue: inout ReviewQueueState, now: Date) -> Outcome? {
        if queue.currentIsCompare, let outcome = reduceCompare(action, &queue, now: now) { return outcome }
        switch action {
        case .reviewGood: return decide(.good, &queue, now: now)
        case .reviewBad: return decide(.bad, &queue, now: now)
        case .reviewAcceptSuggestion:
            guard let key = queue.current, let verdict = queue.reply(key)?.turn.verdict else {
                return .handled(effects: [], notice: .show(.reviewNoSuggestion))
            }
            guard let mark = verdict.suggestedMark else { return .handled(effects: [], notice: .show(.reviewNoSuggestion)) }
            return decide(mark == .good ? .good : .bad, &queue, now: now)
        case .reviewEdit:
            guard let key = queue.current, let item = queue.reply(key) else { return .handled(effects: [], notice: nil) }
            queue.editing = key
            return .handled(effects: [.openExternalEditor(item.turn.text)], notice: .clear)
        case .reviewSkip:
            guard let key = queue.current else { return .handled(effects: [], notice: nil) }
            if queue.decisions[key] == nil { queue.decisions[key] = .skipped }
            return .handled(effects: advance(&queue, by: 1), notice: .clear)
        case .reviewBack:
            return .handled(effects: advance(&queue, by: -1), notice: .clear)
        case .closeReviewQueue:
            return .leave(effects: [.saveReviewPosition(queue.current)])
        default:
            return nil
        }
    }

    /// A key on a compare item (A/B/C/D better, tie, both bad, the judge's preference); nil for the queue's common keys.
    private static func reduceCompare(_ action: KeyAction, _ queue: inout ReviewQueueState, now: Date) -> Outcome? {
        switch action {
        case .compareABetter: return decideCompare(.better, pane: 0, &queue, now: now)
        case .compareBBetter: return decideCompare(.better, pane: 1, &queue, now: now)
        case .compareCBetter: return decideCompare(.better, pane: 2, &queue, now: now)
        case .compareDBetter: return decideCompare(.better, pane: 3, &queue, now: now)
        case .compareTie: return decideCompare(.tie, &queue, now: now)
        case .compareBothBad: return decideCompare(.bothBad, &queue, now: now)
        case .reviewAcceptSuggestion:
            guard let key = queue.current, let preference = queue.compareRound(key)?.judgement?.preference else {
                return .handled(effects: [], notice: .show(.reviewNoPreference))
            }
            switch preference {
            case .tie: return decideCompare(.tie, &queue, now: now)
            case .better(let pane): return decideCompare(.better, pane: pane, &queue, now: now)
            }
        case .reviewCompareOnly, .reviewGood, .reviewBad, .reviewEdit:
            return .handled(effects: [], notice: .show(.reviewCompareKeys))
        default:
            return nil
        }
    }

    /// Decides the compare item shown through `Conversation.decideCompare` (the chat's path): marks and selection,
    /// recorded at once (SFT lines and preference pairs); "both bad" then opens candidate A in the editor.
    private static func decideCompare(_ verdict: CompareDecision.Verdict, pane: Int? = nil, _ queue: inout ReviewQueueState,
                                      now: Date) -> Outcome {
        guard let key = queue.current, var conversation = queue.conversations[key.transcript],
              let round = queue.compareRound(key) else { return .handled(effects: [], notice: nil) }
        if let pane, !round.sides.indices.contains(pane) { return .handled(effects: [], notice: .show(.compareNoSuchPane)) }
        conversation.decideCompare(under: key.turn, verdict, winnerPane: pane, at: now)
        queue.conversations[key.transcript] = conversation
        let decision: ReviewDecision = switch verdict {
        case .better: .better(pane: pane ?? 0)
        case .tie: .tie
        case .bothBad: .bothBad
        case .skip: .skipped
        }
        queue.decisions[key] = decision
        countDecision(&queue, now: now)
        let record = record(conversation, .mark, &queue)
        if verdict == .bothBad {
            let candidate = round.sides[0].reply
            queue.editing = key
            queue.editingReply = candidate
            return .handled(effects: [record, .openExternalEditor(conversation[candidate].text)], notice: .show(.compareRewriteIdeal))
        }
        let sides = Set(round.sides.map(\.reply))
        let withheld = DatasetExamples.withheld(from: conversation).first { sides.contains($0.turn) }
        return .handled(effects: [record] + advance(&queue, by: 1),
                        notice: withheld.map { .show(.markWithheld($0.message)) } ?? .clear)
    }

    /// The queue arrived: starts at the remembered position.
    static func loaded(_ snapshot: ReviewQueueSnapshot, _ queue: inout ReviewQueueState, now: Date) {
        queue.items = snapshot.items
        queue.conversations = Dictionary(snapshot.conversations.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        queue.position = min(snapshot.start, max(0, snapshot.items.count))
        queue.unreadable = snapshot.unreadable
        queue.isLoaded = true
        queue.error = nil
        queue.openedAt = now
    }

    /// The external editor returned the rewrite of the item being edited (nil: cancelled or unchanged).
    static func editorFinished(_ text: String?, _ queue: inout ReviewQueueState, now: Date) -> (effects: [Effect], notice: NoticeUpdate?) {
        guard let key = queue.editing else { return ([], nil) }
        let target = queue.editingReply ?? key.turn
        queue.editing = nil
        queue.editingReply = nil
        guard let text, var conversation = queue.conversations[key.transcript] else { return ([], nil) }
        let rewrite = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard !rewrite.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, rewrite != conversation[target].text else {
            return ([], .show(.editUnchanged))
        }
        conversation.editReply(target, to: rewrite, at: now)
        queue.conversations[key.transcript] = conversation
        if target == key.turn { queue.decisions[key] = .edited }
        countDecision(&queue, now: now)
        let record = record(conversation, .edit, &queue)
        return ([record] + advance(&queue, by: 1), .clear)
    }

    /// Marks the item shown, records it and moves to the next one.
    private static func decide(_ decision: ReviewDecision, _ queue: inout ReviewQueueState, now: Date) -> Outcome {
        guard let key = queue.current, var conversation = queue.conversations[key.transcript] else {
            return .handled(effects: [], notice: nil)
        }
        conversation.setMark(decision == .good ? .good : .bad, on: key.turn, at: now)
        queue.conversations[key.transcript] = conversation
        queue.decisions[key] = decision
        countDecision(&queue, now: now)
        let record = record(conversation, .mark, &queue)
        // The recorder's own rule says when it withholds the example (a doubtful good reply is confirmed in the chat).
        let siblings = Set(conversation.alternatives(of: key.turn))
        let withheld = DatasetExamples.withheld(from: conversation).first { siblings.contains($0.turn) }
        return .handled(effects: [record] + advance(&queue, by: 1),
                        notice: withheld.map { .show(.markWithheld($0.message)) } ?? .clear)
    }

    /// Moves by `delta` items (kept in range; past the last item is "done") and saves the new position.
    private static func advance(_ queue: inout ReviewQueueState, by delta: Int) -> [Effect] {
        queue.position = max(0, min(queue.items.count, queue.position + delta))
        return [.saveReviewPosition(queue.current)]
    }

    /// Updates the pace after a decision.
    private static func countDecision(_ queue: inout ReviewQueueState, now: Date) {
        let minutes = max(now.timeIntervalSince(queue.openedAt ?? now), 1) / 60
        queue.decisionsPerMinute = Double(queue.reviewed) / minutes
    }

    /// The record effect for `conversation`, noted as the queue's.
    private static func record(_ conversation: Conversation, _ reason: RecordReason, _ queue: inout ReviewQueueState) -> Effect {
        queue.pendingRecords.insert(conversation.hashValue)
        return .record(conversation, reason)
    }
}
