import DramatisCore
import Foundation

/// The compare setup panel's reducer (F8 in the chat or the picker): opening it on the current setup, moving between
/// rows, changing choices and typing numbers, and applying the sources (compare turned on) or leaving unchanged.
enum CompareSetupPanelReducer {
    /// F8: opens the panel over the chat (on its compare setup, or the one F7 would turn on) or over the picker (two
    /// sources of the highlighted persona), and asks for what there is to choose from.
    static func open(_ state: inout AppState, now: Date) -> [Effect] {
        let seed = UInt64(truncatingIfNeeded: Int64(now.timeIntervalSince1970 * 1000))
        switch state.screen {
        case .chat:
            guard let chat = state.chat else { return [] }
            var setup = chat.compare ?? chat.compareChoice
                ?? CompareSetup.candidates(of: chat.conversation.persona, sampling: chat.conversation.sampling, shuffleSeed: seed)
            if setup.sources.isEmpty { setup = CompareSetup.candidates(of: chat.conversation.persona, sampling: chat.conversation.sampling) }
            state.compareSetupPanel = CompareSetupPanelState(
                origin: .chat, setup: setup, chatPersona: chat.conversation.persona,
                chatBackend: BackendListing(name: chat.connection.name, kind: chat.connection.kind))
        case .picker:
            guard let listing = state.picker.selected else { return [] }
            guard listing.isValid else {
                state.notice = Notice(.personaUnusable(persona: listing.name, problem: listing.problems.first ?? "invalid"))
                return []
            }
            let draft = CompareSourceDraft(personaID: listing.id, sampling: SamplingParameters())
            state.compareSetupPanel = CompareSetupPanelState(origin: .picker, sources: [draft, draft], shuffleSeed: seed)
        default:
            return []
        }
        state.notice = nil
        return [.loadCompareSetupOptions]
    }

    /// What there is to choose from arrived: over the picker, each source takes its persona's sampling.
    static func optionsLoaded(_ options: CompareSetupOptions, _ state: inout AppState) {
        guard var panel = state.compareSetupPanel else { return }
        let firstLoad = panel.options == nil
        panel.options = options
        if firstLoad, panel.origin == .picker {
            for index in panel.sources.indices {
                if let persona = panel.persona(panel.sources[index].personaID) { panel.sources[index].choose(persona) }
            }
            panel.editor = InputEditor(text: panel.selected.isText ? panel.storedText(of: panel.selected) : "")
        }
        state.compareSetupPanel = panel
    }

    /// Performs a key action while the panel is open; nil when the action does not apply to it.
    static func reduce(_ action: KeyAction, _ key: KeyEvent, _ state: inout AppState) -> [Effect]? {
        guard var panel = state.compareSetupPanel else { return nil }
        let fields = panel.fields
        let index = fields.firstIndex(of: panel.selected) ?? 0
        switch action {
        case .compareSetupPreviousField: panel.select(fields[(index + fields.count - 1) % fields.count])
        case .compareSetupNextField: panel.select(fields[(index + 1) % fields.count])
        case .compareSetupPreviousChoice, .compareSetupNextChoice:
            let step = action == .compareSetupNextChoice ? 1 : -1
            if panel.selected.isText {
                if step < 0 { panel.editor.moveLeft() } else { panel.editor.moveRight() }
            } else if let refusal = cycle(&panel, step: step) {
                state.compareSetupPanel = panel
                state.notice = Notice(refusal)
                return []
            }
        case .clearCompareSetupField:
            guard panel.selected.isText else { return [] }
            panel.editor.setText("")
        case .insertText:
            guard panel.selected.isText else { return [] }
            switch key {
            case .character(let character): panel.editor.insert(String(character))
            case .paste(let text): panel.editor.insert(text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
            default: return nil
            }
        case .deleteBackward:
            guard panel.selected.isText else { return [] }
            panel.editor.deleteBackward()
        case .deleteForward:
            guard panel.selected.isText else { return [] }
            panel.editor.deleteForward()
        case .lineStart: panel.editor.moveToLineStart()
        case .lineEnd: panel.editor.moveToLineEnd()
        case .cancelCompareSetup:
            state.compareSetupPanel = nil
            state.notice = nil
            return []
        case .applyCompareSetup:
            return apply(&panel, &state)
        default:
            return nil
        }
        // Once every choice is valid again, the refusal is over.
        if panel.problems.isEmpty { panel.refused = false }
        state.compareSetupPanel = panel
        if state.notice?.isError == true { state.notice = nil }
        return []
    }

    /// Enter: refuses with the first problem (its row selected), else turns compare on with the sources: in the chat at
    /// once (the engine restarted with the adapters the sources need), from the picker in the chat it opens.
    private static func apply(_ panel: inout CompareSetupPanelState, _ state: inout AppState) -> [Effect] {
        let setup: CompareSetup
        switch panel.setup() {
        case .refused(let problem):
            if let field = panel.problems.first?.field { panel.select(field) }
            panel.refused = true
            state.compareSetupPanel = panel
            state.notice = Notice(.compareSetupNotApplied(problem: problem.text))
            return []
        case .setup(let built):
            setup = built
        }
        switch panel.origin {
        case .chat:
            guard state.chat != nil else { return [] }
            guard !state.chat!.isGenerating else {
                state.notice = Notice(.replyStillStreaming)
                return []
            }
            state.compareSetupPanel = nil
            let effects = install(setup, in: &state.chat!)
            state.notice = Notice(.compareSetupApplied(sources: state.chat!.compare?.summary ?? "", restartingEngine: !effects.isEmpty))
            return effects
        case .picker:
            state.compareSetupPanel = nil
            state.compareSetupForNextChat = setup
            state.notice = nil
            let persona = setup.sources[0].persona
            state.screen = .loading(NoticeMessage.startingChat(persona: persona.name).text)
            return [.startChat(personaID: persona.id)]
        }
    }

    /// Turns compare on in `chat` with `setup`: each source's adapter gets its scales over the runs the engine must
    /// load, and when those differ from what it loaded, the chat reconnects (the engine restarts with them; the
    /// conversation stays, as with F6). Source A's sampling becomes the conversation's when A is the chat's persona.
    static func install(_ setup: CompareSetup, in chat: inout ChatState) -> [Effect] {
        var setup = setup
        let runs = CompareAdapterPlan.resolve(&setup, chatPersona: chat.conversation.persona)
        chat.compare = setup
        chat.compareChoice = setup
        if let first = setup.sources.first, first.persona.id == chat.conversation.persona.id { chat.conversation.sampling = first.sampling }
        guard let runs, runs != (chat.loadedAdapters ?? CompareAdapterPlan.ownRuns(of: chat.conversation.persona)) else { return [] }
        chat.loadedAdapters = runs
        return [.connectAdapters(persona: chat.conversation.persona, runs: runs)]
    }

    /// Left/Right on a choice row: the previous or next value (nil), or why there is nothing to choose yet.
    private static func cycle(_ panel: inout CompareSetupPanelState, step: Int) -> NoticeMessage? {
        /// The value `step` away from `current` in `values`, wrapping.
        func next<Value: Equatable>(_ values: [Value], after current: Value) -> Value {
            guard !values.isEmpty else { return current }
            let position = values.firstIndex(of: current) ?? 0
            return values[(position + step + values.count) % values.count]
        }
        switch panel.selected {
        case .mode:
            panel.twoSources.toggle()
        case .candidates:
            panel.candidateCount = next([2, 3, 4], after: panel.candidateCount)
        case .blind:
            panel.blind.toggle()
        case .teacher:
            panel.teacher = next([nil, "A", "B"], after: panel.teacher)
        case .persona(let index):
            guard let options = panel.options else { return .compareSetupLoading }
            var personas = options.personas
            if let own = panel.chatPersona, !personas.contains(where: { $0.id == own.id }) { personas.insert(own, at: 0) }
            let id = next(personas.map(\.id), after: panel.sources[index].personaID)
            if let persona = panel.persona(id) ?? personas.first(where: { $0.id == id }) { panel.sources[index].choose(persona) }
        case .backend(let index):
            guard let options = panel.options else { return .compareSetupLoading }
            let names: [String?] = [nil] + options.backends.map { Optional($0.name) }
            panel.sources[index].backend = next(names, after: panel.sources[index].backend)
        case .adapter(let index):
            guard let options = panel.options else { return .compareSetupLoading }
            let runs = options.runs[panel.sources[index].personaID] ?? []
            panel.sources[index].adapter = next([.asChat, .base] + runs.map(CompareAdapterOption.tuned), after: panel.sources[index].adapter)
        case .model, .temperature, .seed:
            break
        }
        return nil
    }
}
