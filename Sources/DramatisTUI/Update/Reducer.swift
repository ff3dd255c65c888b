import DramatisCore
import Foundation

/// The app reducer, `state + event → state + effects`: routes keys (through the key table) and events to the
/// reducer of the screen they concern, each on its own sub-state, and makes every cross-screen move itself
/// (help, quit, starting and leaving chats, the browser, the notice line).
public enum Reducer {
    /// Applies one event; returns the effects to run, in order.
    public static func reduce(_ state: inout AppState, _ event: AppEvent, now: Date) -> [Effect] {
        switch event {
        case .key(let key):
            return reduceKey(&state, key, now: now)
        case .resize(let width, let height):
            state.terminalSize = TerminalSize(width: width, height: height)
            state.helpScroll = min(state.helpScroll, KeyHelp.Layout(screen: state.screen, width: width, height: height).maxScroll)
            return []
        case .personasLoaded(let personas):
            PickerReducer.loaded(personas, &state.picker)
            return []
        case .transcriptsLoaded(let transcripts):
            BrowserReducer.loaded(transcripts, &state.browser)
            return []
        case .transcriptsFailed(let message):
            BrowserReducer.failed(message, &state.browser)
            return []
        case .trainingProgress(let status):
            state.training?.status = status
            return []
        case .trainingPaused(let paused):
            state.training?.paused = paused
            return []
        case .trainingFinished(let run):
            guard state.training != nil else { return [] }
            state.training = nil
            state.trainedRun = run
            state.notice = Notice(.trainingFinished(runID: run.runID, loss: run.lossText))
            return []
        case .trainingFailed(let message):
            // After F5 cancelled it, the run's end says nothing new.
            guard state.training != nil else { return [] }
            state.training = nil
            state.notice = Notice(.trainingFailed(message))
            return []
        case .connectionChanged(let descriptor, let adapter):
            guard state.chat != nil else { return [] }
            state.chat!.connection = descriptor
            state.chat!.conversation.persona.adapter = adapter
            state.notice = adapter.map { Notice(.connectedTunedModel(runID: $0)) }
                ?? (state.chat!.loadedAdapters != nil ? Notice(.compareEngineReady) : nil)
            return []
        case .connectionFailed(let message):
            // The engine may hold other adapters now: the next compare setup that needs some connects again.
            state.chat?.loadedAdapters = nil
            state.notice = Notice(.couldNotConnect(message))
            return []
        case .compareSetupOptionsLoaded(let options):
            CompareSetupPanelReducer.optionsLoaded(options, &state)
            return []
        case .personaSamplingSaved(let outcome):
            state.notice = Notice(SamplingPanelReducer.saved(outcome))
            return []
        case .personaSamplingFailed(let message):
            state.notice = Notice(.samplingNotSavedToPersona(reason: message))
            return []
        case .reviewQueueLoaded(let snapshot):
            if state.reviewQueue != nil { ReviewQueueReducer.loaded(snapshot, &state.reviewQueue!, now: now) }
            return []
        case .reviewQueueFailed(let message):
            state.reviewQueue?.error = message
            return []
        case .datasetLoaded(let overview):
            if state.dataset != nil { DatasetReducer.loaded(overview, &state.dataset!) }
            return []
        case .datasetFailed(let personaID, let message):
            if state.dataset?.personaID == personaID { DatasetReducer.failed(message, &state.dataset!) }
            return []
        case .chatReady(let conversation, let connection):
            var chat = ChatState(conversation: conversation)
            chat.connection = connection ?? conversation.backend
            // A new conversation is empty and an opened one is the file: neither needs saving until it changes.
            chat.savedContentHash = conversation.hashValue
            var effects: [Effect] = []
            if let setup = state.compareSetupForNextChat {
                // The picker's compare setup panel chose the sources of this chat (once).
                state.compareSetupForNextChat = nil
                var fresh = setup
                for index in fresh.sources.indices where fresh.sources[index].persona.id == conversation.persona.id {
                    fresh.sources[index].persona = conversation.persona
                }
                effects = CompareSetupPanelReducer.install(fresh, in: &chat)
            } else if let choice = state.compareChoice {
                effects = CompareSetupPanelReducer.install(choice.setup(for: conversation), in: &chat)
            }
            if let focus = state.pendingFocus, focus.transcript == conversation.id {
                if let turn = focus.turn { ChatReducer.focus(turn, &chat) }
                state.pendingFocus = nil
            }
            state.chat = chat
            state.screen = .chat
            state.notice = nil
            return effects
        case .replayReady(let original, let conversation):
            state.chat = ChatState(conversation: conversation)
            state.screen = .chat
            return apply(ReplayReducer.start(original: original, &state.chat!, now: now), to: &state)
        case .chatFailed(let message):
            state.screen = .picker
            state.notice = Notice(message)
            return []
        case .recordFailed(let message):
            state.notice = Notice(.notSaved(reason: message))
            return []
        case .externalEditorFinished(let text, let error):
            if state.screen == .reviewQueue, state.reviewQueue != nil {
                let result = ReviewQueueReducer.editorFinished(text, &state.reviewQueue!, now: now)
                if let error { state.notice = Notice(.externalEditorFailed(error)) } else { applyNotice(result.notice, &state) }
                return result.effects
            }
            if let text, state.chat != nil { ChatReducer.editorFinished(text, &state.chat!) }
            if let error { state.notice = Notice(.externalEditorFailed(error)) }
            return []
        case .recorded(_, _, let contentHash) where state.reviewQueue?.pendingRecords.contains(contentHash) == true:
            // A mark or edit from the review queue is durable; the chat (if any) is not concerned.
            state.reviewQueue!.pendingRecords.remove(contentHash)
            return []
        case .transcriptMeasured, .streamDelta, .streamEvent, .streamFinished, .streamFailed, .recorded:
            // The chat is changed in place through `&state.chat!`: no copy of its conversation per event.
            guard state.chat != nil else { return [] }
            return chatEvent(event, &state, now: now)
        }
    }

    /// Events of the chat's conversation: stream, recorder, measurement.
    private static func chatEvent(_ event: AppEvent, _ state: inout AppState, now: Date) -> [Effect] {
        switch event {
        case .transcriptMeasured(let maxScroll):
            ChatReducer.measured(maxScroll: maxScroll, &state.chat!)
            return []
        case .streamDelta(let id, let text):
            ChatReducer.streamDelta(id, text, &state.chat!)
            return []
        case .streamEvent(let id, let event):
            ChatReducer.streamEvent(id, event, &state.chat!)
            return []
        case .streamFinished(let id, let reason, let usage, let timing):
            let result = ChatReducer.streamFinished(id, reason: reason, usage: usage, timing: timing, &state.chat!, now: now)
            return apply(result, to: &state)
        case .streamFailed(let id, let message):
            return ChatReducer.streamFailed(id, message: message, &state.chat!)
        case .recorded(let location, let reason, let contentHash):
            return apply(ChatReducer.recorded(location: location, reason: reason, contentHash: contentHash, &state.chat!), to: &state)
        default:
            return []
        }
    }

    // MARK: - Keys

    /// The key contexts active in a state, most specific first (see `KeyBindings.actions`).
    static func activeContexts(_ state: AppState) -> [KeyContext] {
        if state.showHelp { return [.everywhere, .help] }
        if state.compareSetupPanel != nil, state.screen == .chat || state.screen == .picker { return [.everywhere, .compareSetupPanel] }
        switch state.screen {
        case .picker: return [.everywhere, .picker]
        case .browser: return [.everywhere, .browser]
        case .dataset: return [.everywhere, .dataset]
        case .reviewQueue:
            return state.reviewQueue?.currentIsCompare == true ? [.everywhere, .reviewCompare, .reviewQueue] : [.everywhere, .reviewQueue]
        case .loading: return [.everywhere]
        case .chat: break
        }
        guard let chat = state.chat else { return [.everywhere] }
        if chat.pendingGoodMark != nil { return [.everywhere, .confirmingMark] }
        if chat.samplingPanel != nil { return [.everywhere, .samplingPanel] }
        var contexts: [KeyContext] = [.everywhere]
        if chat.isGenerating { contexts.append(.streaming) }
        switch chat.editTarget {
        case .reply?: contexts.append(.rewritingReply)
        case .userMessage?: contexts.append(.rewritingMessage)
        case nil: break
        }
        if chat.replay != nil && chat.focus == .messages { contexts.append(.replay) }
        if chat.focus == .input && chat.undecidedCompare != nil { contexts.append(.comparing) }
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
        if state.compareSetupPanel != nil, action != .showHelp, action != .quit {
            return CompareSetupPanelReducer.reduce(action, key, &state)
        }
        switch action {
        case .showHelp:
            state.showHelp.toggle()
            state.helpScroll = 0
            return []
        case .quit:
            state.showHelp = false
            state.isQuitting = true
            let effects = state.chat != nil ? ChatReducer.stopAndSave(&state.chat!) : []
            return effects + [.quit]
        case .helpScrollUp, .helpScrollDown, .helpPageUp, .helpPageDown:
            let step = action == .helpPageUp || action == .helpPageDown ? 10 : 1
            let direction = action == .helpScrollUp || action == .helpPageUp ? -1 : 1
            let layout = KeyHelp.Layout(screen: state.screen, width: state.terminalSize.width, height: state.terminalSize.height)
            state.helpScroll = max(0, min(layout.maxScroll, state.helpScroll + direction * step))
            return []
        case .closeHelp:
            state.showHelp = false
            state.helpScroll = 0
            return []
        case .openDataset:
            return openDataset(&state)
        case .openReviewQueue:
            guard state.screen == .picker else { return nil }
            state.reviewQueue = ReviewQueueState()
            state.screen = .reviewQueue
            state.notice = nil
            return [.loadReviewQueue]
        case .openCompareSetup:
            return CompareSetupPanelReducer.open(&state, now: now)
        case .toggleTraining:
            return toggleTraining(&state)
        case .useTunedModel:
            return useTunedModel(&state)
        case .toggleCompare where state.screen == .picker:
            // The picker sets up compare mode for the chats it starts: off → two candidates → blind → off.
            switch state.compareChoice {
            case nil:
                state.compareChoice = CompareChoice(shuffleSeed: UInt64(truncatingIfNeeded: Int64(now.timeIntervalSince1970 * 1000)))
                state.notice = Notice(.compareForNextChats(blind: false))
            case let choice? where !choice.blind:
                state.compareChoice?.blind = true
                state.notice = Notice(.compareForNextChats(blind: true))
            case .some:
                state.compareChoice = nil
                state.notice = Notice(.compareOff)
            }
            return []
        default:
            break
        }
        let result: ScreenResult?
        switch state.screen {
        case .picker:
            result = PickerReducer.reduce(action, key, &state.picker)
        case .browser:
            result = BrowserReducer.reduce(action, key, &state.browser)
        case .dataset:
            // `?` is bound on the dataset screen (KeyBindings) but was never dispatched: the help opens here, as on the queue.
            if action == .helpUnlessTyping {
                state.showHelp = true
                return []
            }
            guard state.dataset != nil, let outcome = DatasetReducer.reduce(action, &state.dataset!) else { return nil }
            return datasetOutcome(outcome, &state)
        case .reviewQueue:
            if action == .helpUnlessTyping {
                state.showHelp = true
                return []
            }
            guard state.reviewQueue != nil, let outcome = ReviewQueueReducer.reduce(action, &state.reviewQueue!, now: now) else { return nil }
            switch outcome {
            case .handled(let effects, let notice):
                applyNotice(notice, &state)
                return effects
            case .leave(let effects):
                state.reviewQueue = nil
                state.notice = nil
                state.screen = .picker
                return effects
            }
        case .chat:
            guard state.chat != nil else { return nil }
            result = ChatReducer.reduce(action, key, &state.chat!, history: &state.history, now: now)
        case .loading:
            result = nil
        }
        return result.map { apply($0, to: &state) }
    }

    // MARK: - Cross-screen moves

    /// F5: trains the chat's persona in the background, or cancels the run going on.
    private static func toggleTraining(_ state: inout AppState) -> [Effect]? {
        if state.training != nil {
            state.training = nil
            state.notice = Notice(.trainingCancelled)
            return [.cancelTraining]
        }
        guard let persona = state.chat?.conversation.persona else { return nil }
        state.training = TrainingState(personaID: persona.id, status: TrainingStatus(stage: "starting"))
        state.notice = Notice(.trainingStarted(persona: persona.name))
        return [.startTraining(personaID: persona.id)]
    }

    /// F6: the chat goes on with the run trained last (the engine restarts with its adapter; the conversation stays).
    private static func useTunedModel(_ state: inout AppState) -> [Effect]? {
        guard let chat = state.chat else { return nil }
        guard let run = state.trainedRun, run.personaID == chat.conversation.persona.id else {
            state.notice = Notice(.noTunedModel)
            return []
        }
        guard !chat.isGenerating else {
            state.notice = Notice(.replyStillStreaming)
            return []
        }
        var persona = chat.conversation.persona
        persona.adapter = run.runID
        state.notice = Notice(.connectingTunedModel(runID: run.runID))
        if var setup = chat.compare, setup.sources.contains(where: { $0.adapter != nil }) {
            // Compare sources name adapter scales over the runs loaded: planned again with the chat's new run among them.
            for index in setup.sources.indices where setup.sources[index].adapter != nil {
                setup.sources[index].adapter = CompareAdapterOption(setup.sources[index].adapter).unscaledChoice
            }
            let runs = CompareAdapterPlan.resolve(&setup, chatPersona: persona) ?? CompareAdapterPlan.ownRuns(of: persona)
            state.chat!.compare = setup
            state.chat!.compareChoice = setup
            state.chat!.loadedAdapters = runs
            return [.connectAdapters(persona: persona, runs: runs)]
        }
        return [.connect(persona: persona)]
    }

    /// F2: the dataset screen for the chat's persona, or the picker's highlighted one.
    private static func openDataset(_ state: inout AppState) -> [Effect]? {
        let persona: (id: String, name: String)
        switch state.screen {
        case .chat:
            guard let chat = state.chat else { return nil }
            persona = (chat.conversation.persona.id, chat.conversation.persona.name)
        case .picker:
            guard let listing = state.picker.selected else { return [] }
            persona = (listing.id, listing.name)
        default:
            return nil
        }
        state.dataset = DatasetScreenState(personaID: persona.id, personaName: persona.name, returnsToChat: state.screen == .chat)
        state.screen = .dataset
        state.notice = nil
        return [.loadDataset(personaID: persona.id)]
    }

    /// Carries out what the dataset screen's reducer decided.
    private static func datasetOutcome(_ outcome: DatasetReducer.Outcome, _ state: inout AppState) -> [Effect] {
        guard let dataset = state.dataset else { return [] }
        switch outcome {
        case .handled:
            return []
        case .notice(let message):
            state.notice = Notice(message)
            return []
        case .refresh:
            state.notice = nil
            return [.loadDataset(personaID: dataset.personaID)]
        case .leave:
            state.dataset = nil
            state.notice = nil
            state.screen = dataset.returnsToChat && state.chat != nil ? .chat : .picker
            return []
        case .openSource(let transcript, let turn):
            state.dataset = nil
            state.notice = nil
            if state.chat?.conversation.id == transcript {
                // The open conversation: straight back to it, cursor on the turn.
                if let turn { ChatReducer.focus(turn, &state.chat!) }
                state.screen = .chat
                return []
            }
            let effects = state.chat != nil ? ChatReducer.stopAndSave(&state.chat!) : []
            state.pendingFocus = PendingTurnFocus(transcript: transcript, turn: turn)
            state.screen = .loading(NoticeMessage.openingTranscript(id: transcript).text)
            return effects + [.openTranscript(id: transcript)]
        }
    }

    /// Makes the move a screen reducer asked for, then updates the notice line; returns every effect to run.
    private static func apply(_ result: ScreenResult, to state: inout AppState) -> [Effect] {
        var effects = result.effects
        switch result.transition {
        case .showHelp?:
            state.showHelp = true
        case .picker(let reload)?:
            state.screen = .picker
            if reload { effects.append(.loadPersonas) }
        case .browser?:
            state.screen = .browser
            state.browser.isLoaded = false
            state.notice = nil
            effects.append(.loadTranscripts)
        case .loading(let message)?:
            state.screen = .loading(message.text)
        case nil:
            break
        }
        applyNotice(result.notice, &state)
        return effects
    }

    /// Changes the notice line as a screen reducer asked (nil leaves it).
    private static func applyNotice(_ update: NoticeUpdate?, _ state: inout AppState) {
        switch update {
        case .clear?: state.notice = nil
        case .show(let message)?: state.notice = Notice(message)
        case nil: break
        }
    }
}
