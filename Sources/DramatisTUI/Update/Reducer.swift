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
                ? Notice("\(original.id) has no user messages to replay.", isError: true) : nil
            let effects = advanceReplay(&chat, now: now)
            state.chat = chat
            return effects
        case .chatFailed(let message):
            state.screen = .picker
            state.notice = Notice(message, isError: true)
            return []
        case .streamDelta(let id, let text):
            guard let stream = state.chat?.stream, stream.id == id else { return [] }
            // Mutated in place: a copy of the chat would copy the whole conversation for every token.
            state.chat?.conversation.appendReplyText(text, to: stream.turn)
            state.chat?.phase = .streaming
            return []
        case .streamEvent(let id, let event):
            guard let stream = state.chat?.stream, stream.id == id else { return [] }
            if case .retrying(let notice) = event {
                state.chat?.phase = .retrying(notice)
            } else {
                state.chat?.conversation.apply(event, toReply: stream.turn)
                state.chat?.phase = .streaming
            }
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
                    state.notice = Notice("Replay finished (\(replay.steps.count) turns): mark replies, a to keep chatting, x to leave.")
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
            if reason == .save { state.notice = Notice("Transcript saved: \(location)") }
            return []
        case .recordFailed(let message):
            state.notice = Notice("NOT SAVED: \(message)", isError: true)
            return []
        case .externalEditorFinished(let text, let error):
            if let text { state.chat?.editor.setText(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
            if let error { state.notice = Notice(error, isError: true) }
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

    private static func reduceKey(_ state: inout AppState, _ key: KeyEvent, now: Date) -> [Effect] {
        if state.showHelp {
            // Up/Down/PgUp/PgDn scroll the help; any other key closes it (quit keys still quit).
            switch key {
            case .up, .wheelUp: state.helpScroll = max(0, state.helpScroll - 1)
            case .down, .wheelDown: state.helpScroll = min(KeyHelp.lineCount(for: state.screen), state.helpScroll + 1)
            case .pageUp: state.helpScroll = max(0, state.helpScroll - 10)
            case .pageDown: state.helpScroll = min(KeyHelp.lineCount(for: state.screen), state.helpScroll + 10)
            case .control("c"), .control("q"):
                state.showHelp = false
                return quit(&state, now: now)
            default:
                state.showHelp = false
                state.helpScroll = 0
            }
            return []
        }
        if let chord = state.pendingChord {
            state.pendingChord = nil
            if chord == .controlX, key == .control("e"), let chat = state.chat, state.screen == .chat {
                return [.openExternalEditor(chat.editor.text)]
            }
            return []
        }
        switch key {
        case .control("c"), .control("q"):
            return quit(&state, now: now)
        case .function(1):
            state.showHelp = true
            return []
        default:
            break
        }
        switch state.screen {
        case .picker: return pickerKey(&state, key)
        case .browser: return browserKey(&state, key)
        case .chat: return chatKey(&state, key, now: now)
        case .loading: return []
        }
    }

    /// Ctrl-C / Ctrl-Q: stop any stream (keeping its text), save, quit.
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
            state.notice = Notice("Cannot \(verb) \(transcript.id): \(problem)", isError: true)
            return nil
        }
        return transcript
    }

    // MARK: Picker

    private static func pickerKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        if case .character("?") = key, state.picker.filter.isEmpty {
            state.showHelp = true
            return []
        }
        if state.picker.applyListKey(key) { return [] }
        switch key {
        case .escape:
            state.picker.filter = ""
            state.picker.clampSelection()
        case .enter:
            guard let persona = state.picker.selected else { return [] }
            guard persona.isValid else {
                state.notice = Notice("\(persona.name) cannot be used: \(persona.problems.first ?? "invalid")", isError: true)
                return []
            }
            state.notice = nil
            state.screen = .loading("Starting a chat with \(persona.name)…")
            return [.startChat(personaID: persona.id)]
        case .control("o"):
            return showBrowser(&state)
        default:
            break
        }
        return []
    }

    // MARK: Browser

    private static func browserKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        if case .character("?") = key, state.browser.filter.isEmpty {
            state.showHelp = true
            return []
        }
        if state.browser.applyListKey(key) { return [] }
        switch key {
        case .escape:
            if state.browser.filter.isEmpty {
                state.screen = .picker
            } else {
                state.browser.filter = ""
                state.browser.clampSelection()
            }
        case .enter:
            guard let transcript = loadableTranscript(&state, verb: "open") else { return [] }
            state.screen = .loading("Opening transcript \(transcript.id)…")
            return [.openTranscript(id: transcript.id)]
        case .control("r"):
            guard let transcript = loadableTranscript(&state, verb: "replay") else { return [] }
            state.notice = nil
            state.screen = .loading("Replaying \(transcript.id) against today's \(transcript.personaName)…")
            return [.startReplay(transcriptID: transcript.id)]
        default:
            break
        }
        return []
    }

    // MARK: Chat

    private static func chatKey(_ state: inout AppState, _ key: KeyEvent, now: Date) -> [Effect] {
        guard var chat = state.chat else { return [] }
        // Hold the only reference while changing it, so the conversation is not copied on every key.
        state.chat = nil
        defer { state.chat = chat }
        // Keys that work the same in both focuses.
        switch key {
        case .escape where chat.isGenerating:
            return stop(&chat)
        case .control("r"):
            guard let target = chat.latestReply ?? chat.conversation.activePath.last else { return [] }
            return regenerate(&chat, target, state: &state, now: now)
        case .control("s"):
            return [.record(chat.conversation, .save)]
        case .control("t"):
            // toggleReasoning: unfold or fold every reply's reasoning block.
            chat.showsReasoning.toggle()
            return []
        case .control("p"):
            state.screen = .picker
            state.notice = nil
            return stopAndSave(&chat) + [.loadPersonas]
        case .control("o"):
            return stopAndSave(&chat) + showBrowser(&state)
        case .pageUp, .wheelUp:
            if chat.focus == .messages && key == .pageUp { return moveCursor(&chat, by: -5) }
            chat.scrollOffset = min(chat.maxScroll, chat.scrollOffset + (key == .wheelUp ? 3 : 10))
            return []
        case .pageDown, .wheelDown:
            if chat.focus == .messages && key == .pageDown { return moveCursor(&chat, by: 5) }
            chat.scrollOffset = max(0, chat.scrollOffset - (key == .wheelDown ? 3 : 10))
            return []
        default:
            break
        }
        if chat.replay != nil, chat.focus == .messages, let effects = replayKey(&chat, key, state: &state, now: now) {
            return effects
        }
        switch chat.focus {
        case .input: return inputKey(&chat, key, state: &state, now: now)
        case .messages: return messageKey(&chat, key, state: &state, now: now)
        }
    }

    private static func inputKey(_ chat: inout ChatState, _ key: KeyEvent, state: inout AppState, now: Date) -> [Effect] {
        switch key {
        case .enter:
            return submit(&chat, state: &state, now: now)
        case .altEnter, .newline:
            chat.editor.insert("\n")
        case .character("?") where chat.editor.isEmpty && chat.editTarget == nil:
            state.showHelp = true
        case .character(let character):
            chat.editor.insert(String(character))
            state.history.reset()
        case .paste(let text):
            chat.editor.insert(text)
            state.history.reset()
        case .backspace: chat.editor.deleteBackward()
        case .delete, .control("d"): chat.editor.deleteForward()
        case .left, .control("b"): chat.editor.moveLeft()
        case .right, .control("f"): chat.editor.moveRight()
        case .control("a"): chat.editor.moveToLineStart()
        case .control("e"): chat.editor.moveToLineEnd()
        case .control("k"): chat.editor.killToLineEnd()
        case .control("u"): chat.editor.killToLineStart()
        case .control("w"), .altBackspace: chat.editor.deleteWordBackward()
        case .alt("b"): chat.editor.moveWordBackward()
        case .alt("f"): chat.editor.moveWordForward()
        case .control("x"): state.pendingChord = .controlX
        case .up:
            if chat.editor.isOnFirstLine, chat.editTarget == nil {
                if let entry = state.history.previous(current: chat.editor.text) { chat.editor.setText(entry) }
            } else {
                chat.editor.moveUp()
            }
        case .down:
            if chat.editor.isOnLastLine, chat.editTarget == nil {
                if let entry = state.history.next() { chat.editor.setText(entry) }
            } else {
                chat.editor.moveDown()
            }
        case .home:
            chat.scrollOffset = chat.maxScroll == Int.max ? 1_000_000 : chat.maxScroll
        case .end:
            chat.scrollOffset = 0
        case .escape:
            if chat.editTarget != nil {
                cancelEdit(&chat)
            } else {
                enterMessages(&chat)
            }
        case .tab:
            enterMessages(&chat)
        case .alt("="), .alt("+"):
            return mark(&chat, .good, on: chat.latestReply, state: &state, now: now)
        case .alt("-"):
            return mark(&chat, .bad, on: chat.latestReply, state: &state, now: now)
        case .alt("0"):
            return mark(&chat, nil, on: chat.latestReply, state: &state, now: now)
        case .alt(","), .alt("<"):
            flip(&chat, chat.latestReply, offset: -1)
        case .alt("."), .alt(">"):
            flip(&chat, chat.latestReply, offset: 1)
        case .alt("e"):
            if let reply = chat.latestReply { beginEdit(&chat, reply, state: &state) }
        default:
            break
        }
        return []
    }

    private static func messageKey(_ chat: inout ChatState, _ key: KeyEvent, state: inout AppState, now: Date) -> [Effect] {
        let cursor = chat.cursorTarget
        switch key {
        case .up, .character("k"): return moveCursor(&chat, by: -1)
        case .down, .character("j"): return moveCursor(&chat, by: 1)
        case .home, .character("g"):
            chat.selectedTurn = chat.conversation.activePath.first
        case .end, .character("G"):
            chat.selectedTurn = chat.conversation.activePath.last
        case .character("+"), .character("="):
            return mark(&chat, .good, on: cursor, state: &state, now: now)
        case .character("-"):
            return mark(&chat, .bad, on: cursor, state: &state, now: now)
        case .character("0"), .character("c"):
            return mark(&chat, nil, on: cursor, state: &state, now: now)
        case .left, .character("h"), .character("["):
            flip(&chat, cursor, offset: -1)
        case .right, .character("l"), .character("]"):
            flip(&chat, cursor, offset: 1)
        case .character("e"):
            if let cursor { beginEdit(&chat, cursor, state: &state) }
        case .character("r"):
            guard let cursor else { return [] }
            return regenerate(&chat, cursor, state: &state, now: now)
        case .character("?"):
            state.showHelp = true
        case .tab, .escape, .enter, .character("i"), .backTab:
            chat.focus = .input
            chat.selectedTurn = nil
        default:
            break
        }
        return []
    }

    // MARK: Replay

    /// Keys that mean something else while a replay drives the chat; nil lets the message cursor handle the key.
    private static func replayKey(_ chat: inout ChatState, _ key: KeyEvent, state: inout AppState, now: Date) -> [Effect]? {
        guard let replay = chat.replay else { return nil }
        switch key {
        case .enter, .character("n"):
            if chat.isGenerating {
                state.notice = Notice("The reply is still streaming: wait, or Esc to stop it.", isError: true)
                return []
            }
            if replay.isComplete {
                state.notice = Notice("Every turn was replayed: a to keep chatting, x to leave.")
                return []
            }
            state.notice = nil
            return advanceReplay(&chat, now: now)
        case .character("N"):
            chat.replay?.runsToEnd = true
            state.notice = nil
            return chat.isGenerating ? [] : advanceReplay(&chat, now: now)
        case .character("a"):
            if chat.isGenerating {
                state.notice = Notice("The reply is still streaming: wait, or Esc to stop it.", isError: true)
                return []
            }
            chat.replay = nil
            chat.comparisonSide = .new
            chat.focus = .input
            chat.selectedTurn = nil
            state.notice = Notice("Replay kept as \(chat.conversation.id): type to continue the conversation.")
            return []
        case .character("x"):
            let done = replay.nextIndex - (chat.isGenerating ? 1 : 0)
            chat.replay = nil
            let effects = stopAndSave(&chat) + showBrowser(&state)
            state.notice = Notice("Replay stopped after \(done) of \(replay.steps.count) turns; saved as \(chat.conversation.id).")
            return effects
        case .left, .right, .character("h"), .character("l"), .character("["), .character("]"):
            guard let turn = chat.cursorTurn, chat.conversation.originalAlternative(of: turn) != nil else { return nil }
            chat.comparisonSide = chat.comparisonSide == .new ? .original : .new
            return []
        case .tab, .backTab, .escape, .character("i"):
            if key == .escape && chat.isGenerating { return nil }
            state.notice = Notice("Replaying: n next turn · N run to the end · a keep and type · x stop")
            return []
        default:
            return nil
        }
    }

    /// Sends the replay's next user turn: the new reply streams in, the original reply sits beside it.
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
            state.notice = Notice("A reply is still streaming: wait, or press Esc to stop it.", isError: true)
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
            state.notice = Notice("A reply is still streaming: press Esc to stop it first.", isError: true)
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
            state.notice = Notice("There is no reply to mark yet.", isError: true)
            return []
        }
        guard chat.conversation[target].role == .assistant else {
            state.notice = Notice("Only replies can be marked; move to a reply.", isError: true)
            return []
        }
        guard chat.conversation[target].isComplete else {
            state.notice = Notice("The reply is still streaming; mark it when it has finished.", isError: true)
            return []
        }
        chat.conversation.setMark(mark, on: target, at: now)
        // A refusal marked good, or a mark on a reply without text, is recorded with a word about the dataset.
        state.notice = DatasetExamples.caveat(for: chat.conversation[target]).map { Notice("Note: \($0).") }
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
            state.notice = Notice("A reply is still streaming: press Esc to stop it first.", isError: true)
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
                state.notice = Notice("Unchanged: nothing recorded.")
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
