import DramatisCore
import Foundation

/// The chat screen's reducer, on the chat's own state: typing, the message cursor, marks, edits,
/// regenerations, and the stream and recorder events of its conversation. Replay keys are in `ReplayReducer`.
enum ChatReducer {
    /// Performs a key action on the chat; nil when the action does not apply now (the key goes on).
    static func reduce(_ action: KeyAction, _ key: KeyEvent, _ chat: inout ChatState, history: inout InputHistory,
                       now: Date) -> ScreenResult? {
        // The sampling panel, while open, takes every key the key table gives it (its context is in front).
        if chat.samplingPanel != nil { return SamplingPanelReducer.reduce(action, key, &chat) }
        switch action {
        // Either focus.
        case .openSamplingPanel:
            return SamplingPanelReducer.open(&chat, target: SamplingPanelReducer.defaultTarget(chat))
        case .toggleReplySampling:
            chat.showsReplySampling.toggle()
        case .stopReply:
            return .effects(stop(&chat))
        case .regenerateLatest:
            guard let target = chat.latestReply ?? chat.conversation.activePath.last else { return ScreenResult.none }
            return regenerate(&chat, target, now: now)
        case .save:
            return .effects([record(&chat, .save)])
        case .toggleReasoning:
            chat.showsReasoning.toggle()
        case .switchPersona:
            return ScreenResult(effects: stopAndSave(&chat), notice: .clear, transition: .picker(reload: true))
        case .browseTranscripts:
            return ScreenResult(effects: stopAndSave(&chat), transition: .browser)
        case .scrollPageUp: chat.scrollOffset = min(chat.maxScroll, chat.scrollOffset + 10)
        case .scrollPageDown: chat.scrollOffset = max(0, chat.scrollOffset - 10)
        case .wheelUp: chat.scrollOffset = min(chat.maxScroll, chat.scrollOffset + 3)
        case .wheelDown: chat.scrollOffset = max(0, chat.scrollOffset - 3)

        // Typing.
        case .send, .saveEdit:
            return submit(&chat, history: &history, now: now)
        case .insertNewline:
            chat.editor.insert("\n")
        case .helpUnlessTyping:
            guard chat.focus == .messages || (chat.editor.isEmpty && chat.editTarget == nil) else { return nil }
            return ScreenResult(transition: .showHelp)
        case .insertText:
            switch key {
            case .character(let character): chat.editor.insert(String(character))
            case .paste(let text): chat.editor.insert(text)
            default: return nil
            }
            history.reset()
        case .deleteBackward: chat.editor.deleteBackward()
        case .deleteForward: chat.editor.deleteForward()
        case .characterBack: chat.editor.moveLeft()
        case .characterForward: chat.editor.moveRight()
        case .lineStart: chat.editor.moveToLineStart()
        case .lineEnd: chat.editor.moveToLineEnd()
        case .killToLineEnd: chat.editor.killToLineEnd()
        case .killToLineStart: chat.editor.killToLineStart()
        case .deleteWordBackward: chat.editor.deleteWordBackward()
        case .wordBack: chat.editor.moveWordBackward()
        case .wordForward: chat.editor.moveWordForward()
        case .externalEditor:
            return .effects([.openExternalEditor(chat.editor.text)])
        case .lineUpOrHistory:
            if chat.editor.isOnFirstLine, chat.editTarget == nil {
                if let entry = history.previous(current: chat.editor.text) { chat.editor.setText(entry) }
            } else {
                chat.editor.moveUp()
            }
        case .lineDownOrHistory:
            if chat.editor.isOnLastLine, chat.editTarget == nil {
                if let entry = history.next() { chat.editor.setText(entry) }
            } else {
                chat.editor.moveDown()
            }
        case .scrollToTop:
            chat.scrollOffset = chat.maxScroll == Int.max ? 1_000_000 : chat.maxScroll
        case .followBottom:
            chat.scrollOffset = 0
        case .enterMessageCursor:
            enterMessages(&chat)
        case .markLatestGood:
            return mark(&chat, .good, on: chat.latestReply, now: now)
        case .markLatestBad:
            return mark(&chat, .bad, on: chat.latestReply, now: now)
        case .clearLatestMark:
            return mark(&chat, nil, on: chat.latestReply, now: now)
        case .previousAlternativeOfLatest:
            flip(&chat, chat.latestReply, offset: -1)
        case .nextAlternativeOfLatest:
            flip(&chat, chat.latestReply, offset: 1)
        case .editLatestReply:
            guard let reply = chat.latestReply else { return ScreenResult.none }
            return beginEdit(&chat, reply)
        case .cancelEdit:
            cancelEdit(&chat)

        // Message cursor.
        case .cursorPrevious: moveCursor(&chat, by: -1)
        case .cursorNext: moveCursor(&chat, by: 1)
        case .cursorPageUp: moveCursor(&chat, by: -5)
        case .cursorPageDown: moveCursor(&chat, by: 5)
        case .cursorFirst:
            chat.selectedTurn = chat.conversation.activePath.first
        case .cursorLast:
            chat.selectedTurn = chat.conversation.activePath.last
        case .markGood:
            return mark(&chat, .good, on: chat.cursorTarget, now: now)
        case .markBad:
            return mark(&chat, .bad, on: chat.cursorTarget, now: now)
        case .clearMark:
            return mark(&chat, nil, on: chat.cursorTarget, now: now)
        case .previousAlternative:
            flip(&chat, chat.cursorTarget, offset: -1)
        case .nextAlternative:
            flip(&chat, chat.cursorTarget, offset: 1)
        case .edit:
            guard let cursor = chat.cursorTarget else { return ScreenResult.none }
            return beginEdit(&chat, cursor)
        case .regenerate:
            guard let cursor = chat.cursorTarget else { return ScreenResult.none }
            return regenerate(&chat, cursor, now: now)
        case .backToTyping:
            chat.focus = .input
            chat.selectedTurn = nil
        case .confirmGoodMark:
            guard let target = chat.pendingGoodMark else { return nil }
            chat.pendingGoodMark = nil
            return mark(&chat, .good, on: target, now: now, confirmed: true)
        case .declineGoodMark:
            guard chat.pendingGoodMark != nil else { return nil }
            chat.pendingGoodMark = nil
            return .notice(.notMarked)

        case .replayNext, .replayRunToEnd, .replayToggleSide, .replayKeep, .replayStop, .replayTypingRefused:
            return ReplayReducer.reduce(action, &chat, now: now)
        case .compareABetter, .compareBBetter, .compareCBetter, .compareDBetter, .compareTie, .compareBothBad, .compareSkip, .compareDecideFirst, .toggleCompare:
            return CompareReducer.reduce(action, &chat, now: now)
        default:
            return nil
        }
        return ScreenResult.none
    }

    // MARK: Events

    /// A piece of the streaming reply arrived (mutated in place: no copy of the conversation per token).
    static func streamDelta(_ id: Int, _ text: String, _ chat: inout ChatState) {
        guard let stream = chat.streams.first(where: { $0.id == id }) else { return }
        chat.conversation.appendReplyText(text, to: stream.turn)
        chat.phase = .streaming
    }

    /// A refusal or reasoning piece, a tool call, or a retry wait (shown in the status line; Esc stops it).
    static func streamEvent(_ id: Int, _ event: ChatEvent, _ chat: inout ChatState) {
        guard let stream = chat.streams.first(where: { $0.id == id }) else { return }
        if case .retrying(let notice) = event {
            chat.phase = .retrying(notice)
        } else {
            chat.conversation.apply(event, toReply: stream.turn)
            chat.phase = .streaming
        }
    }

    /// The stream ended normally: finish the reply, record it, and let a running replay go on.
    static func streamFinished(_ id: Int, reason: FinishReason, usage: TokenUsage?, timing: ReplyTiming?,
                               _ chat: inout ChatState, now: Date) -> ScreenResult {
        guard let stream = chat.streams.first(where: { $0.id == id }) else { return ScreenResult.none }
        chat.conversation.finishReply(stream.turn, reason: reason, usage: usage, timing: timing)
        chat.streams.removeAll { $0.id == id }
        chat.lastReply = ReplyStats(completionTokens: usage?.completionTokens, tokensPerSecond: timing?.tokensPerSecond)
        var result = ScreenResult.effects([record(&chat, .replyFinished)])
        // In compare mode the other sides may still stream; a side's failure shows once all ended.
        guard chat.streams.isEmpty else { return result }
        chat.phase = chat.compareFailure.map { .error($0) } ?? .idle
        chat.compareFailure = nil
        if let replay = chat.replay {
            if replay.isComplete {
                result.notice = .show(.replayFinished(turns: replay.steps.count))
            } else if replay.runsToEnd {
                result.effects += ReplayReducer.advance(&chat, now: now)
            }
        }
        return result
    }

    /// The stream failed: the text received stays, marked incomplete with the message; recorded.
    static func streamFailed(_ id: Int, message: String, _ chat: inout ChatState) -> [Effect] {
        guard let stream = chat.streams.first(where: { $0.id == id }) else { return [] }
        chat.conversation.finishReply(stream.turn, reason: .incomplete, error: message)
        chat.streams.removeAll { $0.id == id }
        if chat.streams.isEmpty {
            chat.phase = .error(message)
            chat.compareFailure = nil
        } else {
            // One compare side failed: the others go on streaming; their text is not lost.
            chat.compareFailure = message
        }
        chat.replay?.runsToEnd = false
        return [record(&chat, .replyFinished)]
    }

    /// The recorder wrote the conversation (hashing to `contentHash`) durably at `location`.
    ///
    /// Durability is this rule: the revision the write belongs to (found by the content hash it reports) becomes
    /// durable, and with it every mark set at or before it, whose badge stops showing as pending.
    static func recorded(location: String, reason: RecordReason, contentHash: Int, _ chat: inout ChatState) -> ScreenResult {
        chat.savedLocation = location
        chat.savedContentHash = contentHash
        if let written = chat.pendingRecords[contentHash] {
            chat.durableRevision = max(chat.durableRevision, written.revision)
            chat.recordedMarks = written.markCount
            chat.pendingRecords = chat.pendingRecords.filter { $0.value.revision > chat.durableRevision }
            chat.markRevisions = chat.markRevisions.filter { $0.value > chat.durableRevision }
        } else {
            chat.recordedMarks = chat.conversation.markCount
        }
        return reason == .save ? .notice(.transcriptSaved(location: location)) : ScreenResult.none
    }

    /// The renderer measured how far the transcript scrolls.
    static func measured(maxScroll: Int, _ chat: inout ChatState) {
        chat.maxScroll = maxScroll
        if chat.scrollOffset > maxScroll { chat.scrollOffset = maxScroll }
    }

    /// `$EDITOR` returned the input's new text.
    static func editorFinished(_ text: String, _ chat: inout ChatState) {
        chat.editor.setText(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }

    /// Hands the conversation to the recorder as a new revision (see `recorded`).
    static func record(_ chat: inout ChatState, _ reason: RecordReason) -> Effect {
        chat.revision += 1
        chat.pendingRecords[chat.conversation.hashValue] = PendingRecord(revision: chat.revision, markCount: chat.conversation.markCount)
        return .record(chat.conversation, reason)
    }

    // MARK: Leaving

    /// Stops the chat's running stream (keeping its text) and records the conversation if it holds anything
    /// not yet on disk (leaving an opened 10,000-message transcript unchanged does not re-encode it).
    static func stopAndSave(_ chat: inout ChatState) -> [Effect] {
        var effects = cancelStreams(&chat)
        let holdsSomething = chat.conversation.turns.contains(where: { $0.role == .user }) || chat.conversation.markCount > 0
        if holdsSomething && chat.conversation.hashValue != chat.savedContentHash {
            effects.append(record(&chat, .leaving))
        }
        return effects
    }

    // MARK: Actions

    /// Puts the message cursor on `turn` (a dataset finding's source), switching to its branch.
    static func focus(_ turn: TurnID, _ chat: inout ChatState) {
        guard chat.conversation.turns.indices.contains(turn) else { return }
        chat.conversation.select(turn)
        chat.focus = .messages
        chat.selectedTurn = turn
        chat.scrollOffset = 0
    }

    private static func enterMessages(_ chat: inout ChatState) {
        guard !chat.conversation.activePath.isEmpty else { return }
        chat.focus = .messages
        chat.selectedTurn = chat.latestReply ?? chat.conversation.activePath.last
        chat.scrollOffset = 0
    }

    private static func moveCursor(_ chat: inout ChatState, by offset: Int) {
        let path = chat.conversation.activePath
        guard let current = chat.cursorTurn, let index = path.firstIndex(of: current) else { return }
        chat.selectedTurn = path[max(0, min(path.count - 1, index + offset))]
    }

    /// Enter: send the message (or save the edit being made).
    private static func submit(_ chat: inout ChatState, history: inout InputHistory, now: Date) -> ScreenResult {
        let text = chat.editor.text
        if let target = chat.editTarget { return commitEdit(&chat, target, now: now) }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return ScreenResult.none }
        guard !chat.isGenerating else { return .notice(.replyStillStreaming) }
        history.add(text)
        chat.editor.setText("")
        chat.scrollOffset = 0
        let user = chat.conversation.appendUserMessage(text, at: now)
        return .clearingNotice(answer(&chat, user, now: now))
    }

    /// Answers a user message: one reply, or in compare mode one per source side by side.
    static func answer(_ chat: inout ChatState, _ user: TurnID, now: Date) -> [Effect] {
        chat.compare == nil ? startReply(&chat, after: user, now: now) : CompareReducer.startRound(&chat, after: user, now: now)
    }

    /// Starts an assistant reply after `parent` and asks for its stream.
    static func startReply(_ chat: inout ChatState, after parent: TurnID?, now: Date) -> [Effect] {
        // The connection's model: the persona's, or the one --model chose (the backend was made with it).
        // The adapter's scales travel with the backend (AdapterSelectingBackend); the reply records its run id.
        let (turn, request) = TurnService.startReply(in: &chat.conversation, after: parent, backend: chat.connection.name,
                                                     model: chat.connection.model, answeringModel: chat.connection.model,
                                                     sampling: chat.conversation.sampling,
                                                     adapterRun: chat.conversation.persona.adapter, at: now)
        let id = chat.nextStreamID
        chat.nextStreamID += 1
        chat.stream = ActiveStream(id: id, turn: turn)
        chat.phase = .waiting
        chat.scrollOffset = 0
        if chat.focus == .messages { chat.selectedTurn = turn }
        return [.startStream(id: id, request: request)]
    }

    /// Esc while streaming: keep the partial text, mark the reply stopped, save.
    private static func stop(_ chat: inout ChatState) -> [Effect] {
        guard chat.isGenerating else { return [] }
        return cancelStreams(&chat) + [record(&chat, .replyFinished)]
    }

    /// Stops every streaming reply (each side in compare mode), keeping each partial text marked stopped.
    private static func cancelStreams(_ chat: inout ChatState) -> [Effect] {
        let effects = chat.streams.map { stream -> Effect in
            chat.conversation.finishReply(stream.turn, reason: .cancelled)
            return .cancelStream(id: stream.id)
        }
        chat.streams = []
        chat.compareFailure = nil
        if !effects.isEmpty { chat.phase = .idle }
        return effects
    }

    /// Ctrl-R / `r`: a new reply in place of `target` (the old one stays as an alternative).
    private static func regenerate(_ chat: inout ChatState, _ target: TurnID, now: Date) -> ScreenResult {
        guard !chat.isGenerating else { return .notice(.replyStillStreaming) }
        let turn = chat.conversation[target]
        // A compare side: a new reply from the same source in the same pane.
        if chat.compare != nil, turn.role == .assistant, chat.conversation.compareParent(of: target) != nil {
            return .clearingNotice(CompareReducer.regenerateSide(&chat, target, now: now))
        }
        // A user message as target (its reply failed to start): answer it.
        let parent = turn.role == .assistant ? turn.parent : turn.id
        if turn.role == .user, chat.compare != nil { return .clearingNotice(answer(&chat, turn.id, now: now)) }
        return .clearingNotice(startReply(&chat, after: parent, now: now))
    }

    /// Sets or clears a mark, then hands the conversation to the recorder (before the next frame shows the badge).
    /// A good mark on a reply that was cut off, is empty or refuses (`ReplyConcern`) asks first; `confirmed`
    /// is the answer. The notice says why the recorder withholds the mark's example, if it does.
    private static func mark(_ chat: inout ChatState, _ mark: Mark?, on target: TurnID?, now: Date,
                             confirmed: Bool = false) -> ScreenResult {
        guard let target else { return .notice(.noReplyToMark) }
        guard chat.conversation[target].role == .assistant else { return .notice(.onlyRepliesCanBeMarked) }
        guard chat.conversation[target].isComplete else { return .notice(.replyStillStreaming) }
        let concerns = mark == .good && !confirmed ? ReplyConcern.concerns(of: chat.conversation[target]) : []
        if !concerns.isEmpty {
            // Already marked good and confirmed: nothing to ask or change.
            if chat.conversation[target].mark?.isConfirmed == true { return ScreenResult.none }
            chat.pendingGoodMark = target
            return .notice(.confirmDoubtfulGoodMark(concerns: ReplyConcern.describe(concerns)))
        }
        chat.conversation.setMark(mark, on: target, at: now, confirmed: confirmed)
        let effect = record(&chat, .mark)
        chat.markRevisions[target] = chat.revision
        return withheldNotice(chat.conversation, target, effects: [effect])
    }

    /// Clears the notice line, or says why the recorder does not write the example of a mark on `turn` (or on a
    /// sibling), by the recorder's own rule.
    static func withheldNotice(_ conversation: Conversation, _ turn: TurnID, effects: [Effect]) -> ScreenResult {
        let siblings = Set(conversation.alternatives(of: turn))
        guard let withheld = DatasetExamples.withheld(from: conversation).first(where: { siblings.contains($0.turn) }) else {
            return .clearingNotice(effects)
        }
        return ScreenResult(effects: effects, notice: .show(.markWithheld(withheld.message)))
    }

    private static func flip(_ chat: inout ChatState, _ target: TurnID?, offset: Int) {
        guard let target, !chat.isGenerating else { return }
        let next = chat.conversation.selectAlternative(of: target, offset: offset)
        if chat.focus == .messages { chat.selectedTurn = next }
    }

    /// `e`: load a message into the input editor for rewriting.
    static func beginEdit(_ chat: inout ChatState, _ target: TurnID) -> ScreenResult {
        guard !chat.isGenerating else { return .notice(.replyStillStreaming) }
        let turn = chat.conversation[target]
        if chat.editTarget == nil { chat.draftBeforeEdit = chat.editor.text }
        chat.editTarget = turn.role == .assistant ? .reply(target) : .userMessage(target)
        chat.editor.setText(turn.text)
        chat.focus = .input
        // An original reply beside the branch is not on it: the cursor stays on its new counterpart.
        if chat.conversation.activePath.contains(target) { chat.selectedTurn = target }
        return .clearingNotice()
    }

    private static func cancelEdit(_ chat: inout ChatState) {
        chat.editTarget = nil
        chat.editor.setText(chat.draftBeforeEdit ?? "")
        chat.draftBeforeEdit = nil
        chat.selectedTurn = nil
        // During replay the keys belong to the message cursor (there is nothing to type).
        if chat.replay != nil {
            chat.focus = .messages
            chat.comparisonSide = .new
        }
    }

    private static func commitEdit(_ chat: inout ChatState, _ target: EditTarget, now: Date) -> ScreenResult {
        let text = chat.editor.text
        switch target {
        case .reply(let id):
            guard text != chat.conversation[id].text, !text.isEmpty else {
                cancelEdit(&chat)
                return .notice(.editUnchanged)
            }
            let edited = chat.conversation.editReply(id, to: text, at: now)
            cancelEdit(&chat)
            let effect = record(&chat, .edit)
            // The original (now marked bad) and the ideal answer (marked good) wait for the same revision.
            for turn in [id] + chat.conversation.alternatives(of: id).suffix(1) { chat.markRevisions[turn] = chat.revision }
            return withheldNotice(chat.conversation, edited, effects: [effect])
        case .userMessage(let id):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return ScreenResult.none }
            guard !chat.isGenerating else { return ScreenResult.none }
            let branch = chat.conversation.editUserMessage(id, to: text, at: now)
            cancelEdit(&chat)
            return .clearingNotice(answer(&chat, branch, now: now))
        }
    }
}
