import DramatisCore

/// The compare setup panel's state (F8 in the chat or the picker): the sources being chosen, the row being edited,
/// and what there is to choose from (loaded when the panel opens).
public struct CompareSetupPanelState: Sendable, Hashable {
    /// Where the panel was opened: over the chat (applies to it) or over the picker (applies to the chat it opens).
    public enum Origin: Sendable, Hashable {
        case chat
        case picker
    }

    public var origin: Origin
    /// Two sources (A and B), or n candidates from source A.
    public var twoSources: Bool
    /// How many candidates in candidates mode (2–4).
    public var candidateCount: Int
    /// Source A and source B (B is unused in candidates mode).
    public var sources: [CompareSourceDraft]
    public var blind: Bool
    /// The teacher's letter ("A" or "B"; nil: none).
    public var teacher: String?
    public var selected: CompareSetupField
    /// The selected text row's text and cursor.
    public var editor: InputEditor
    /// Personas, backends and runs to choose from (nil until loaded).
    public var options: CompareSetupOptions?
    /// The chat's persona as the chat holds it (over the chat), which source A starts as.
    public var chatPersona: Persona?
    /// The chat's own connection, by name and kind (over the chat; over the picker, the persona's backend).
    public var chatBackend: BackendListing?
    /// Seeds blind mode's per-turn shuffle.
    public var shuffleSeed: UInt64
    /// Set when Enter was refused because of a problem (the panel then says so).
    public var refused = false

    public init(origin: Origin, sources: [CompareSourceDraft], twoSources: Bool = true, candidateCount: Int = 2, blind: Bool = false,
                teacher: String? = nil, chatPersona: Persona? = nil, chatBackend: BackendListing? = nil, shuffleSeed: UInt64 = 0) {
        self.origin = origin
        self.sources = sources
        self.twoSources = twoSources
        self.candidateCount = max(2, min(4, candidateCount))
        self.blind = blind
        self.teacher = teacher
        self.chatPersona = chatPersona
        self.chatBackend = chatBackend
        self.shuffleSeed = shuffleSeed
        selected = .mode
        editor = InputEditor()
    }

    /// A panel showing `setup` (a chat's compare setup, or the one its compare key would turn on): candidates mode
    /// when every source is the same but for the seed, else two sources.
    public init(origin: Origin, setup: CompareSetup, chatPersona: Persona?, chatBackend: BackendListing?) {
        let first = setup.sources[0]
        let sameSource = setup.sources.allSatisfy { source in
            source.persona.id == first.persona.id && source.backend == first.backend && source.model == first.model
                && source.adapter == first.adapter && source.sampling.temperature == first.sampling.temperature
        }
        var drafts = setup.sources.prefix(2).map { CompareSourceDraft($0) }
        if drafts.count < 2 { drafts.append(drafts[0]) }
        self.init(origin: origin, sources: drafts, twoSources: !sameSource && setup.sources.count == 2,
                  candidateCount: sameSource ? setup.sources.count : 2, blind: setup.blind, teacher: setup.teacher,
                  chatPersona: chatPersona, chatBackend: chatBackend, shuffleSeed: setup.shuffleSeed)
    }

    /// The rows shown, in order: the mode, (the count,) each source's settings, blind, teacher.
    public var fields: [CompareSetupField] {
        if twoSources { return [.mode] + CompareSetupField.sourceRows(0) + CompareSetupField.sourceRows(1) + [.blind, .teacher] }
        return [.mode, .candidates] + CompareSetupField.sourceRows(0) + [.blind, .teacher]
    }

    /// A text row's text as typed (the editor's for the selected row).
    public func text(of field: CompareSetupField) -> String {
        if field == selected, field.isText { return editor.text }
        return storedText(of: field)
    }

    /// A text row's text as last stored (not the editor's).
    func storedText(of field: CompareSetupField) -> String {
        guard let index = field.sourceIndex else { return "" }
        switch field {
        case .model: return sources[index].model
        case .temperature: return sources[index].temperature
        case .seed: return sources[index].seed
        default: return ""
        }
    }

    /// Stores a text row's text.
    mutating func store(_ text: String, in field: CompareSetupField) {
        guard let index = field.sourceIndex else { return }
        switch field {
        case .model: sources[index].model = text
        case .temperature: sources[index].temperature = text
        case .seed: sources[index].seed = text
        default: break
        }
    }

    /// Moves the selection to `field`, keeping what was typed into the row left.
    public mutating func select(_ field: CompareSetupField) {
        if selected.isText { store(editor.text, in: selected) }
        selected = field
        editor = InputEditor(text: field.isText ? storedText(of: field) : "")
    }

    /// The drafts with the editor's text stored (what the rows show).
    var committedSources: [CompareSourceDraft] {
        var copy = self
        if copy.selected.isText { copy.store(copy.editor.text, in: copy.selected) }
        return copy.sources
    }

    /// The persona called `id`: the chat's own as the chat holds it, else the library's.
    public func persona(_ id: String) -> Persona? {
        if let chatPersona, chatPersona.id == id { return chatPersona }
        return options?.personas.first { $0.id == id }
    }

    /// The backend a source talks to, by name and kind (nil when not known yet).
    public func backend(of draft: CompareSourceDraft) -> BackendListing? {
        guard let name = draft.backend else {
            if origin == .chat { return chatBackend }
            let personaBackend = persona(draft.personaID)?.backend ?? options?.defaultBackend
            return personaBackend.flatMap { options?.backend(named: $0) }
        }
        return options?.backend(named: name)
    }

    /// Each source index shown.
    var sourceIndices: [Int] { twoSources ? [0, 1] : [0] }

    /// What is wrong with the choices, row by row, in panel order (the first one is what Enter reports).
    public var problems: [(field: CompareSetupField, message: NoticeMessage)] {
        var found: [(field: CompareSetupField, message: NoticeMessage)] = []
        let drafts = committedSources
        for index in sourceIndices {
            let draft = drafts[index]
            let letter = CompareRound.paneLetter(index)
            if options != nil, persona(draft.personaID) == nil {
                found.append((.persona(index), .compareSetupUnknownPersona(source: letter, persona: draft.personaID)))
            }
            var scratch = SamplingParameters()
            if let problem = SamplingField.temperature.read(draft.temperature, into: &scratch) {
                found.append((.temperature(index), .compareSetupBadValue(source: letter, problem: problem.description)))
            }
            if let problem = SamplingField.seed.read(draft.seed, into: &scratch) {
                found.append((.seed(index), .compareSetupBadValue(source: letter, problem: problem.description)))
            }
            if draft.adapter != .asChat, let backend = backend(of: draft), !backend.isLocal {
                found.append((.adapter(index), .compareSetupAdapterNotLocal(source: letter, backend: backend.name, kind: backend.kind)))
            } else if draft.adapter != .asChat, let name = draft.backend {
                // The chat's engine is the one restarted with the adapters; a backend of the source's own is made once.
                found.append((.adapter(index), .compareSetupAdapterNeedsChatsEngine(source: letter, backend: name)))
            }
        }
        if teacher != nil, !twoSources {
            found.append((.teacher, .compareSetupTeacherNeedsTwo(candidates: candidateCount)))
        }
        return found
    }

    /// The problem of one row, if any.
    public func problem(of field: CompareSetupField) -> NoticeMessage? {
        problems.first { $0.field == field }?.message
    }

    /// What Enter makes of the panel: the compare setup it describes, or why not.
    public enum Outcome: Sendable, Hashable {
        case setup(CompareSetup)
        /// The first problem (or that the choices are still loading).
        case refused(NoticeMessage)
    }

    /// The compare setup the panel describes, or the first problem (nil options: still loading).
    public func setup() -> Outcome {
        guard options != nil else { return .refused(.compareSetupLoading) }
        if let problem = problems.first { return .refused(problem.message) }
        let drafts = committedSources
        var built: [CompareSource] = []
        for index in sourceIndices {
            let draft = drafts[index]
            guard let persona = persona(draft.personaID), case .success(let sampling) = draft.sampling() else {
                return .refused(.compareSetupLoading)
            }
            let model = draft.model.trimmingCharacters(in: .whitespaces)
            built.append(CompareSource(letter: CompareRound.paneLetter(index), persona: persona, model: model.isEmpty ? nil : model,
                                       sampling: sampling, adapter: draft.adapter.unscaledChoice, backend: draft.backend))
        }
        guard twoSources else {
            var setup = CompareSetup.candidates(of: built[0].persona, sampling: built[0].sampling, count: candidateCount,
                                                blind: blind, shuffleSeed: shuffleSeed)
            for index in setup.sources.indices {
                setup.sources[index].model = built[0].model
                setup.sources[index].backend = built[0].backend
                setup.sources[index].adapter = built[0].adapter
            }
            return .setup(setup)
        }
        return .setup(CompareSetup(sources: built, blind: blind, shuffleSeed: shuffleSeed, teacher: teacher))
    }
}
