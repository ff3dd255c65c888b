import DramatisCore
import Foundation

/// The pure update function: `state + event → state + effects`.
public enum Reducer {
    /// Applies one event; returns the effects to run, in order.
    public static func reduce(_ state: inout AppState, _ event: AppEvent, now: Date) -> [Effect] {
        switch event {
        case .key(let key):
            return reduceKey(&state, key, now: now)
        case .resize:
            return []
        case .transcriptMeasured(let maxScroll):
            state.chat?.maxScroll = maxScroll
            if let offset = state.chat?.scrollOffset, offset > maxScroll { state.chat?.scrollOffset = maxScroll }
            return []
        case .personasLoaded(let personas):
            state.picker.personas = personas
            state.picker.isLoaded = true
            state.picker.clampSelection()
            return []
        case .chatReady(let conversation):
            var chat = ChatState(conversation: conversation)
            chat.savedLocation = nil
            // A new conversation is empty and an opened one is the file: neither needs saving until it changes.
            chat.savedContentHash = conversation.hashValue
            state.chat = chat
            state.screen = .chat
            state.notice = nil
            return []
        case .replayReady(let original, let conversation):
            var chat = ChatState(conversation: conversation)
            chat.replay = ReplayProgress(original: original)
            chat.focus = .messages
            state.screen = .chat
            state.notice = chat.replay?.steps.isEmpty == true
                ? Notice(.replayHasNoUserMessages(id: original.id)) : nil
            let effects = advanceReplay(&chat, now: now)
            state.chat = chat
            return effects
        case .chatFailed(let message):
            state.screen = .picker
            state.notice = Notice(message)
            return []
        case .streamDelta(let id, let text):
            guard let stream = state.chat?.stream, stream.id == id else { return [] }
            // Mutated in place: a copy of the chat would copy the whole conversation for every token.
            state.chat?.conversation.appendReplyText(text, to: stream.turn)
            state.chat?.phase = .streaming
            return []
        case .streamFinished(let id, let reason, let usage, let timing):
            guard var chat = state.chat, let stream = chat.stream, stream.id == id else { return [] }
            chat.conversation.finishReply(stream.turn, reason: reason, usage: usage, timing: timing)
            chat.stream = nil
            chat.phase = .idle
            chat.lastReply = ReplyStats(completionTokens: usage?.completionTokens, tokensPerSecond: timing?.tokensPerSecond)
            var effects: [Effect] = [.record(chat.conversation, .replyFinished)]
            if let replay = chat.replay {
                if replay.isComplete {
                    state.notice = Notice(.replayFinished(turns: replay.steps.count))
                } else if replay.runsToEnd {
                    effects += advanceReplay(&chat, now: now)
                }
            }
            state.chat = chat
            return effects
        case .streamFailed(let id, let message):
            guard var chat = state.chat, let stream = chat.stream, stream.id == id else { return [] }
            chat.conversation.finishReply(stream.turn, reason: .incomplete, error: message)
            chat.stream = nil
            chat.phase = .error(message)
            chat.replay?.runsToEnd = false
            state.chat = chat
            return [.record(chat.conversation, .replyFinished)]
        case .recorded(let location, let reason, let contentHash):
            guard var chat = state.chat else { return [] }
            chat.savedLocation = location
            chat.savedContentHash = contentHash
            chat.recordedMarks = chat.conversation.markCount
            state.chat = chat
            if reason == .save { state.notice = Notice(.transcriptSaved(location: location)) }
            return []
        case .recordFailed(let message):
            state.notice = Notice(.notSaved(reason: message))
            return []
        case .externalEditorFinished(let text, let error):
            if let text { state.chat?.editor.setText(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
            if let error { state.notice = Notice(.externalEditorFailed(error)) }
            return []
        case .transcriptsLoaded(let transcripts):
            state.browser.transcripts = transcripts
            state.browser.isLoaded = true
            state.browser.error = nil
            state.browser.clampSelection()
            return []
        case .transcriptsFailed(let message):
            state.browser.isLoaded = true
            state.browser.error = message
            return []
        }
    }

    // MARK: - Keys

    /// The key contexts active in a state, most specific first (see `KeyBindings.actions`).
    static func activeContexts(_ state: AppState) -> [KeyContext] {
        if state.showHelp { return [.everywhere, .help] }
        switch state.screen {
        case .picker: return [.everywhere, .picker]
        case .browser: return [.everywhere, .browser]
        case .loading: return [.everywhere]
        case .chat: break
        }
        guard let chat = state.chat else { return [.everywhere] }
        var contexts: [KeyContext] = [.everywhere]
        if chat.isGenerating { contexts.append(.streaming) }
        switch chat.editTarget {
        case .reply?: contexts.append(.rewritingReply)
        case .userMessage?: contexts.append(.rewritingMessage)
        case nil: break
        }
        if chat.replay != nil && chat.focus == .messages { contexts.append(.replay) }
        contexts.append(chat.focus == .messages ? .messageCursor : .chatInput)
        contexts.append(.chat)
        return contexts
    }

    /// Looks the key up in the key table and performs the first action that applies.
    private static func reduceKey(_ state: inout AppState, _ key: KeyEvent, now: Date) -> [Effect] {
        let contexts = activeContexts(state)
        if let first = state.pendingChord {
            state.pendingChord = nil
            guard let action = KeyBindings.chordAction(first, key, in: contexts) else { return [] }
            return perform(action, key, &state, now: now) ?? []
        }
        if KeyBindings.startsChord(key, in: contexts) {
            state.pendingChord = key
            return []
        }
        for action in KeyBindings.actions(for: key, in: contexts) {
            if let effects = perform(action, key, &state, now: now) { return effects }
        }
        return []
    }

    /// Performs one action; nil when it does not apply now (the key then goes to the next matching binding).
    private static func perform(_ action: KeyAction, _ key: KeyEvent, _ state: inout AppState, now: Date) -> [Effect]? {
        switch action {
        case .showHelp:
            if state.showHelp {
                state.showHelp = false
                state.helpScroll = 0
            } else {
                state.showHelp = true
            }
            return []
        case .quit:
            state.showHelp = false
            return quit(&state, now: now)
        case .helpScrollUp:
            state.helpScroll = max(0, state.helpScroll - 1)
            return []
        case .helpScrollDown:
            state.helpScroll = min(KeyHelp.lineCount(for: state.screen), state.helpScroll + 1)
            return []
        case .helpPageUp:
            state.helpScroll = max(0, state.helpScroll - 10)
            return []
        case .helpPageDown:
            state.helpScroll = min(KeyHelp.lineCount(for: state.screen), state.helpScroll + 10)
            return []
        case .closeHelp:
            state.showHelp = false
            state.helpScroll = 0
            return []
        default:
            break
        }
        switch state.screen {
        case .picker: return pickerAction(action, key, &state)
        case .browser: return browserAction(action, key, &state)
        case .chat: return chatAction(action, key, &state, now: now)
        case .loading: return nil
        }
    }

    private static func quit(_ state: inout AppState, now: Date) -> [Effect] {
        state.isQuitting = true
        return leaveChat(&state) + [.quit]
    }

    /// Stops a running stream and records the conversation if it holds anything worth keeping.
    private static func leaveChat(_ state: inout AppState) -> [Effect] {
        guard state.chat != nil else { return [] }
        return stopAndSave(&state.chat!)
    }

    /// Stops the chat's running stream (keeping its text) and records the conversation if it holds anything
    /// not yet on disk (leaving an opened 10,000-message transcript unchanged does not re-encode it).
    private static func stopAndSave(_ chat: inout ChatState) -> [Effect] {
        var effects: [Effect] = []
        if let stream = chat.stream {
            chat.conversation.finishReply(stream.turn, reason: .cancelled)
            chat.stream = nil
            chat.phase = .idle
            effects.append(.cancelStream(id: stream.id))
        }
        let holdsSomething = chat.conversation.turns.contains(where: { $0.role == .user }) || chat.conversation.markCount > 0
        if holdsSomething && chat.conversation.hashValue != chat.savedContentHash {
            effects.append(.record(chat.conversation, .leaving))
        }
        return effects
    }

    /// Switches to the transcript browser and asks for a fresh listing.
    private static func showBrowser(_ state: inout AppState) -> [Effect] {
        state.screen = .browser
        state.browser.isLoaded = false
        state.notice = nil
        return [.loadTranscripts]
    }

    /// The highlighted transcript if it can be loaded; otherwise nil, with a notice saying why it cannot be `verb`ed.
    private static func loadableTranscript(_ state: inout AppState, verb: String) -> TranscriptRow? {
        guard let transcript = state.browser.selected else { return nil }
        if let problem = transcript.problem {
            state.notice = Notice(.transcriptUnusable(verb: verb, id: transcript.id, problem: problem))
            return nil
        }
        return transcript
    }

    // MARK: Picker

    private static func pickerAction(_ action: KeyAction, _ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        if state.picker.applyListAction(action, key: key) { return [] }
        switch action {
        case .helpUnlessTyping:
            guard state.picker.filter.isEmpty else { return nil }
            state.showHelp = true
        case .startChat:
            guard let persona = state.picker.selected else { return [] }
            guard persona.isValid else {
                state.notice = Notice(.personaUnusable(persona: persona.name, problem: persona.problems.first ?? "invalid"))
                return []
            }
            state.notice = nil
            state.screen = .loading(NoticeMessage.startingChat(persona: persona.name).text)
            return [.startChat(personaID: persona.id)]
        case .openBrowser:
            return showBrowser(&state)
        default:
            return nil
        }
        return []
    }

    // MARK: Browser

    private static func browserAction(_ action: KeyAction, _ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        if state.browser.applyListAction(action, key: key) { return [] }
        switch action {
        case .helpUnlessTyping:
            guard state.browser.filter.isEmpty else { return nil }
            state.showHelp = true
        case .clearFilterOrBack:
            if state.browser.filter.isEmpty {
                state.screen = .picker
            } else {
                state.browser.filter = ""
                state.browser.clampSelection()
            }
        case .openTranscript:
            guard let transcript = loadableTranscript(&state, verb: "open") else { return [] }
            state.screen = .loading(NoticeMessage.openingTranscript(id: transcript.id).text)
            return [.openTranscript(id: transcript.id)]
        case .replayTranscript:
            guard let transcript = loadableTranscript(&state, verb: "replay") else { return [] }
            state.notice = nil
            state.screen = .loading(NoticeMessage.replayingTranscript(id: transcript.id, persona: transcript.personaName).text)
            return [.startReplay(transcriptID: transcript.id)]
        default:
            return nil
        }
        return []
    }

    // MARK: Chat

    private static func chatAction(_ action: KeyAction, _ key: KeyEvent, _ state: inout AppState, now: Date) -> [Effect]? {
        guard var chat = state.chat else { return nil }
        // Hold the only reference while changing it, so the conversation is not copied on every key.
        state.chat = nil
        defer { state.chat = chat }
        switch action {
        // Either focus.
        case .stopReply:
            return stop(&chat)
        case .regenerateLatest:
            guard let target = chat.latestReply ?? chat.conversation.activePath.last else { return [] }
            return regenerate(&chat, target, state: &state, now: now)
        case .save:
            return [.record(chat.conversation, .save)]
        case .switchPersona:
            state.screen = .picker
            state.notice = nil
            return stopAndSave(&chat) + [.loadPersonas]
        case .browseTranscripts:
            return stopAndSave(&chat) + showBrowser(&state)
        case .scrollPageUp: chat.scrollOffset = min(chat.maxScroll, chat.scrollOffset + 10)
        case .scrollPageDown: chat.scrollOffset = max(0, chat.scrollOffset - 10)
        case .wheelUp: chat.scrollOffset = min(chat.maxScroll, chat.scrollOffset + 3)
        case .wheelDown: chat.scrollOffset = max(0, chat.scrollOffset - 3)

        // Typing.
        case .send:
            return submit(&chat, state: &state, now: now)
        case .insertNewline:
            chat.editor.insert("\n")
        case .helpUnlessTyping:
            guard chat.focus == .messages || (chat.editor.isEmpty && chat.editTarget == nil) else { return nil }
            state.showHelp = true
        case .insertText:
            switch key {
            case .character(let character): chat.editor.insert(String(character))
            case .paste(let text): chat.editor.insert(text)
            default: return nil
            }
            state.history.reset()
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
            return [.openExternalEditor(chat.editor.text)]
        case .lineUpOrHistory:
            if chat.editor.isOnFirstLine, chat.editTarget == nil {
                if let entry = state.history.previous(current: chat.editor.text) { chat.editor.setText(entry) }
            } else {
                chat.editor.moveUp()
            }
        case .lineDownOrHistory:
            if chat.editor.isOnLastLine, chat.editTarget == nil {
                if let entry = state.history.next() { chat.editor.setText(entry) }
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
            return mark(&chat, .good, on: chat.latestReply, state: &state, now: now)
        case .markLatestBad:
            return mark(&chat, .bad, on: chat.latestReply, state: &state, now: now)
        case .clearLatestMark:
            return mark(&chat, nil, on: chat.latestReply, state: &state, now: now)
        case .previousAlternativeOfLatest:
            flip(&chat, chat.latestReply, offset: -1)
        case .nextAlternativeOfLatest:
            flip(&chat, chat.latestReply, offset: 1)
        case .editLatestReply:
            if let reply = chat.latestReply { beginEdit(&chat, reply, state: &state) }

        // Rewriting.
        case .saveEdit:
            return submit(&chat, state: &state, now: now)
        case .cancelEdit:
            cancelEdit(&chat)

        // Message cursor.
        case .cursorPrevious: return moveCursor(&chat, by: -1)
        case .cursorNext: return moveCursor(&chat, by: 1)
        case .cursorPageUp: return moveCursor(&chat, by: -5)
        case .cursorPageDown: return moveCursor(&chat, by: 5)
        case .cursorFirst:
            chat.selectedTurn = chat.conversation.activePath.first
        case .cursorLast:
            chat.selectedTurn = chat.conversation.activePath.last
        case .markGood:
            return mark(&chat, .good, on: chat.cursorTarget, state: &state, now: now)
        case .markBad:
            return mark(&chat, .bad, on: chat.cursorTarget, state: &state, now: now)
        case .clearMark:
            return mark(&chat, nil, on: chat.cursorTarget, state: &state, now: now)
        case .previousAlternative:
            flip(&chat, chat.cursorTarget, offset: -1)
        case .nextAlternative:
            flip(&chat, chat.cursorTarget, offset: 1)
        case .edit:
            if let cursor = chat.cursorTarget { beginEdit(&chat, cursor, state: &state) }
        case .regenerate:
            guard let cursor = chat.cursorTarget else { return [] }
            return regenerate(&chat, cursor, state: &state, now: now)
        case .backToTyping:
            chat.focus = .input
            chat.selectedTurn = nil

        // Replay.
        case .replayNext, .replayRunToEnd, .replayToggleSide, .replayKeep, .replayStop, .replayTypingRefused:
            return replayAction(action, &chat, state: &state, now: now)
        default:
            return nil
        }
        return []
    }

    // MARK: Replay

    /// A replay key; nil lets the message cursor handle the key (Left/Right where there is no original).
    private static func replayAction(_ action: KeyAction, _ chat: inout ChatState, state: inout AppState, now: Date) -> [Effect]? {
        guard let replay = chat.replay else { return nil }
        switch action {
        case .replayNext:
            if chat.isGenerating {
                state.notice = Notice(.replyStillStreaming)
                return []
            }
            if replay.isComplete {
                state.notice = Notice(.replayAlreadyComplete)
                return []
            }
            state.notice = nil
            return advanceReplay(&chat, now: now)
        case .replayRunToEnd:
            chat.replay?.runsToEnd = true
            state.notice = nil
            return chat.isGenerating ? [] : advanceReplay(&chat, now: now)
        case .replayKeep:
            if chat.isGenerating {
                state.notice = Notice(.replyStillStreaming)
                return []
            }
            chat.replay = nil
            chat.comparisonSide = .new
            chat.focus = .input
            chat.selectedTurn = nil
            state.notice = Notice(.replayKept(id: chat.conversation.id))
            return []
        case .replayStop:
            let done = replay.nextIndex - (chat.isGenerating ? 1 : 0)
            chat.replay = nil
            let effects = stopAndSave(&chat) + showBrowser(&state)
            state.notice = Notice(.replayStopped(done: done, total: replay.steps.count, id: chat.conversation.id))
            return effects
        case .replayToggleSide:
            guard let turn = chat.cursorTurn, chat.conversation.originalAlternative(of: turn) != nil else { return nil }
            chat.comparisonSide = chat.comparisonSide == .new ? .original : .new
            return []
        case .replayTypingRefused:
            state.notice = Notice(.replayKeys)
            return []
        default:
            return nil
        }
    }

    private static func advanceReplay(_ chat: inout ChatState, now: Date) -> [Effect] {
        guard var replay = chat.replay, !replay.isComplete, !chat.isGenerating else { return [] }
        let step = replay.steps[replay.nextIndex]
        replay.nextIndex += 1
        chat.replay = replay
        let user = chat.conversation.appendUserMessage(step.userText, origin: .replayed, at: now)
        let effects = startReply(&chat, after: user, now: now)
        if let original = step.originalReply { chat.conversation.addOriginalReply(original, under: user, at: now) }
        chat.selectedTurn = chat.stream?.turn
        chat.comparisonSide = .new
        return effects
    }

    // MARK: Chat actions

    private static func enterMessages(_ chat: inout ChatState) {
        guard !chat.conversation.activePath.isEmpty else { return }
        chat.focus = .messages
        chat.selectedTurn = chat.latestReply ?? chat.conversation.activePath.last
        chat.scrollOffset = 0
    }

    private static func moveCursor(_ chat: inout ChatState, by offset: Int) -> [Effect] {
        let path = chat.conversation.activePath
        guard let current = chat.cursorTurn, let index = path.firstIndex(of: current) else { return [] }
        chat.selectedTurn = path[max(0, min(path.count - 1, index + offset))]
        return []
    }

    /// Enter: send the message (or save the edit being made).
    private static func submit(_ chat: inout ChatState, state: inout AppState, now: Date) -> [Effect] {
        let text = chat.editor.text
        if let target = chat.editTarget { return commitEdit(&chat, target, state: &state, now: now) }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        guard !chat.isGenerating else {
            state.notice = Notice(.replyStillStreaming)
            return []
        }
        state.notice = nil
        state.history.add(text)
        chat.editor.setText("")
        chat.scrollOffset = 0
        let user = chat.conversation.appendUserMessage(text, at: now)
        return startReply(&chat, after: user, now: now)
    }

    /// Starts an assistant reply after `parent` and asks for its stream.
    private static func startReply(_ chat: inout ChatState, after parent: TurnID?, now: Date) -> [Effect] {
        let persona = chat.conversation.persona
        let model = persona.model ?? chat.conversation.backend.model
        let request = ChatRequest(model: persona.model, messages: chat.conversation.requestMessages(after: parent),
                                  sampling: chat.conversation.sampling)
        let turn = chat.conversation.startReply(after: parent, backend: chat.conversation.backend.name, model: model, at: now)
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
        guard let stream = chat.stream else { return [] }
        chat.conversation.finishReply(stream.turn, reason: .cancelled)
        chat.stream = nil
        chat.phase = .idle
        return [.cancelStream(id: stream.id), .record(chat.conversation, .replyFinished)]
    }

    /// Ctrl-R / `r`: a new reply in place of `target` (the old one stays as an alternative).
    private static func regenerate(_ chat: inout ChatState, _ target: TurnID, state: inout AppState, now: Date) -> [Effect] {
        guard !chat.isGenerating else {
            state.notice = Notice(.replyStillStreaming)
            return []
        }
        let turn = chat.conversation[target]
        state.notice = nil
        // A user message as target (its reply failed to start): answer it.
        let parent = turn.role == .assistant ? turn.parent : turn.id
        return startReply(&chat, after: parent, now: now)
    }

    /// Sets or clears a mark, then hands the conversation to the recorder (before the next frame shows the badge).
    private static func mark(_ chat: inout ChatState, _ mark: Mark?, on target: TurnID?, state: inout AppState, now: Date) -> [Effect] {
        guard let target else {
            state.notice = Notice(.noReplyToMark)
            return []
        }
        guard chat.conversation[target].role == .assistant else {
            state.notice = Notice(.onlyRepliesCanBeMarked)
            return []
        }
        guard chat.conversation[target].isComplete else {
            state.notice = Notice(.replyStillStreaming)
            return []
        }
        chat.conversation.setMark(mark, on: target, at: now)
        state.notice = nil
        return [.record(chat.conversation, .mark)]
    }

    private static func flip(_ chat: inout ChatState, _ target: TurnID?, offset: Int) {
        guard let target, !chat.isGenerating else { return }
        let next = chat.conversation.selectAlternative(of: target, offset: offset)
        if chat.focus == .messages { chat.selectedTurn = next }
    }

    /// `e`: load a message into the input editor for rewriting.
    private static func beginEdit(_ chat: inout ChatState, _ target: TurnID, state: inout AppState) {
        guard !chat.isGenerating else {
            state.notice = Notice(.replyStillStreaming)
            return
        }
        let turn = chat.conversation[target]
        if chat.editTarget == nil { chat.draftBeforeEdit = chat.editor.text }
        chat.editTarget = turn.role == .assistant ? .reply(target) : .userMessage(target)
        chat.editor.setText(turn.text)
        chat.focus = .input
        // An original reply beside the branch is not on it: the cursor stays on its new counterpart.
        if chat.conversation.activePath.contains(target) { chat.selectedTurn = target }
        state.notice = nil
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

    private static func commitEdit(_ chat: inout ChatState, _ target: EditTarget, state: inout AppState, now: Date) -> [Effect] {
        let text = chat.editor.text
        switch target {
        case .reply(let id):
            guard text != chat.conversation[id].text, !text.isEmpty else {
                state.notice = Notice(.editUnchanged)
                cancelEdit(&chat)
                return []
            }
            chat.conversation.editReply(id, to: text, at: now)
            cancelEdit(&chat)
            state.notice = nil
            return [.record(chat.conversation, .edit)]
        case .userMessage(let id):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
            guard !chat.isGenerating else { return [] }
            let branch = chat.conversation.editUserMessage(id, to: text, at: now)
            cancelEdit(&chat)
            state.notice = nil
            return startReply(&chat, after: branch, now: now)
        }
    }
}
