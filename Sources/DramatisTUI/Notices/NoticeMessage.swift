/// Every sentence the TUI says on its notice line and loading screen: one case per condition, worded once.
///
/// Adding a notice is one case here with its words in `text` (and, if it is an error, in `isError`);
/// reducers and the effect runner only name the case.
public enum NoticeMessage: Sendable, Hashable {
    // Loading screen.
    case startingChat(persona: String)
    case openingTranscript(id: String)
    case replayingTranscript(id: String, persona: String)

    // Picker and browser.
    case personaUnusable(persona: String, problem: String)
    case transcriptUnusable(verb: String, id: String, problem: String)
    case couldNotStartChat(persona: String, reason: String)
    case couldNotOpenTranscript(id: String, reason: String)
    case couldNotReplay(id: String, reason: String)
    case couldNotListTranscripts(reason: String)
    /// Enter on a dataset finding that names no conversation (a file-wide finding).
    case findingHasNoSource

    // Review queue.
    /// Enter on a reply the judge did not score 1–2 or 4–5 (or did not judge).
    case reviewNoSuggestion
    /// A compare item in the queue is decided with its own keys.
    case reviewCompareKeys
    /// Enter on a compare item the judge did not prefer a side of.
    case reviewNoPreference

    // Chat.
    /// Sending, regenerating, editing, marking or moving a replay on while a reply streams.
    case replyStillStreaming
    case noReplyToMark
    case onlyRepliesCanBeMarked
    case editUnchanged
    case transcriptSaved(location: String)
    case notSaved(reason: String)
    case noBackendConnected
    /// The one request (with `n`) for a compare round's candidates failed: every side failed with it (status line).
    case candidatesRequestFailed(count: Int, reason: String)
    case externalEditorFailed(String)
    /// Marking good a reply that was cut off, is empty or refuses: asks first (`ReplyConcern`).
    case confirmDoubtfulGoodMark(concerns: String)
    /// The doubtful good mark was not confirmed.
    case notMarked
    /// The recorder will not write this mark's example (an identical pair, an empty reply): why.
    case markWithheld(String)

    // Sampling panel.
    /// The panel's values were applied to the conversation.
    case samplingApplied(summary: String)
    /// Enter or Ctrl-S in the panel while a setting is invalid.
    case samplingInvalid(problem: String)
    /// The panel's values were applied to one compare source (its side of the next rounds).
    case samplingAppliedToSource(letter: String, summary: String)
    /// The panel's side key outside compare mode.
    case samplingNoOtherSide
    /// The panel's side key while the shown side has values typed but not applied.
    case samplingSideNotApplied
    case savingSamplingToPersona(persona: String)
    case samplingSavedToPersona(file: String, keys: [String])
    case samplingAlreadyInPersona(file: String)
    /// The conversation's persona has no file (e.g. a transcript's persona whose file is gone).
    case personaHasNoFile(personaID: String)
    case samplingNotSavedToPersona(reason: String)

    // Training.
    case trainingStarted(persona: String)
    case trainingCancelled
    case trainingFailed(String)
    case trainingFinished(runID: String, loss: String?)
    case noTunedModel
    case connectingTunedModel(runID: String)
    case connectedTunedModel(runID: String)
    case couldNotConnect(String)

    // Replay.
    case replayHasNoUserMessages(id: String)
    case replayFinished(turns: Int)
    case replayAlreadyComplete
    case replayKept(id: String)
    case replayStopped(done: Int, total: Int, id: String)
    /// Tab, Esc or `i` during a replay: which keys go on (from the key table's replay hints).
    case replayKeys

    // Compare mode.
    /// A key other than a decision while a compare round waits for one: which keys decide.
    case compareDecideFirst
    /// A decision for a pane the round does not have (B better with one side).
    case compareNoSuchPane
    /// "Both bad": the selected reply is open for rewriting into the ideal answer.
    case compareRewriteIdeal
    case compareOn(sources: String)
    case compareBlindOn
    case compareOff
    /// F7 in the picker: the chats it starts answer each turn with two candidates (blind or not).
    case compareForNextChats(blind: Bool)

    // Compare setup panel (F8).
    /// Personas, backends and runs are still being listed.
    case compareSetupLoading
    case compareSetupUnknownPersona(source: String, persona: String)
    /// A temperature or seed that is not a valid value (lint's words).
    case compareSetupBadValue(source: String, problem: String)
    /// A base or tuned adapter on a hosted backend.
    case compareSetupAdapterNotLocal(source: String, backend: String, kind: String)
    /// A base or tuned adapter on a source with a (local) backend of its own rather than the chat's engine.
    case compareSetupAdapterNeedsChatsEngine(source: String, backend: String)
    /// A teacher in candidates mode.
    case compareSetupTeacherNeedsTwo(candidates: Int)
    /// Enter refused: the first problem.
    case compareSetupNotApplied(problem: String)
    case compareSetupApplied(sources: String, restartingEngine: Bool)
    /// The local engine restarted with the adapters the compare sources need.
    case compareEngineReady

    /// The words shown.
    public var text: String {
        switch self {
        case .startingChat(let persona): "Starting a chat with \(persona)…"
        case .openingTranscript(let id): "Opening transcript \(id)…"
        case .replayingTranscript(let id, let persona): "Replaying \(id) against today's \(persona)…"
        case .personaUnusable(let persona, let problem): "\(persona) cannot be used: \(problem)"
        case .transcriptUnusable(let verb, let id, let problem): "Cannot \(verb) \(id): \(problem)"
        case .couldNotStartChat(let persona, let reason): "Could not start \(persona): \(reason)"
        case .couldNotOpenTranscript(let id, let reason): "Could not open transcript \(id): \(reason)"
        case .couldNotReplay(let id, let reason): "Could not replay \(id): \(reason)"
        case .couldNotListTranscripts(let reason): "Could not list transcripts: \(reason)"
        case .findingHasNoSource: "This finding is about the whole file, not one conversation."
        case .reviewNoSuggestion: "No judge suggestion for this reply: mark it with + or -, or s to skip."
        case .reviewCompareKeys: "A compare item: a/b better, t tie, x both bad (then rewrite), s skip, ← back."
        case .reviewNoPreference: "No judge preference for this round: decide with a/b, t or x, or s to skip."
        case .replyStillStreaming: "A reply is still streaming: wait for it, or press Esc to stop it."
        case .noReplyToMark: "There is no reply to mark yet."
        case .onlyRepliesCanBeMarked: "Only replies can be marked; move to a reply."
        case .editUnchanged: "Unchanged: nothing recorded."
        case .transcriptSaved(let location): "Transcript saved: \(location)"
        case .notSaved(let reason): "NOT SAVED: \(reason)"
        case .noBackendConnected: "no backend is connected"
        case .candidatesRequestFailed(let count, let reason): "The one request for all \(count) candidates failed: \(reason)"
        case .externalEditorFailed(let message): message
        case .confirmDoubtfulGoodMark(let concerns): "This reply \(concerns). Train on it anyway? y = mark good, any other key = cancel"
        case .notMarked: "Not marked."
        case .markWithheld(let message): message
        case .samplingApplied(let summary): "Next replies: \(summary)."
        case .samplingAppliedToSource(let letter, let summary): "Source \(letter)'s next replies: \(summary)."
        case .samplingNoOtherSide: "Compare mode is off: the panel edits this conversation's sampling (F7 turns compare on)."
        case .samplingSideNotApplied: "This side has changes not applied: Enter applies them, Esc drops them, then switch sides."
        case .samplingInvalid(let problem): "Not applied: \(problem). Fix it, Ctrl-U for the default, or Esc to cancel."
        case .savingSamplingToPersona(let persona): "Applied; saving the sampling into \(persona)'s file…"
        case .samplingSavedToPersona(let file, let keys): "Saved to \(file): \(keys.joined(separator: ", ")) (the file lints clean)."
        case .samplingAlreadyInPersona(let file): "Applied; \(file) already holds these values: nothing written."
        case .personaHasNoFile(let personaID):
            "Applied to this conversation only: persona \(personaID) has no file in the persona folders (it came from the transcript), so nothing was saved."
        case .samplingNotSavedToPersona(let reason): "Applied, but NOT saved to the persona: \(reason)"
        case .trainingStarted(let persona): "Training \(persona) in the background (paused while a reply streams); F5 cancels."
        case .trainingCancelled: "Training cancelled: no run was kept."
        case .trainingFailed(let reason): "Training failed: \(reason)"
        case .trainingFinished(let runID, let loss): "Trained \(runID)" + (loss.map { ": \($0)" } ?? "") + ". F6 chats with it."
        case .noTunedModel: "No model was trained in this session yet: F5 trains one."
        case .connectingTunedModel(let runID): "Restarting the local model with \(runID)… (the conversation stays)"
        case .connectedTunedModel(let runID): "Now chatting with tuned \(runID)."
        case .couldNotConnect(let reason): "Could not switch models: \(reason)"
        case .replayHasNoUserMessages(let id): "\(id) has no user messages to replay."
        case .replayFinished(let turns): "Replay finished (\(turns) turns): mark replies, a to keep chatting, x to leave."
        case .replayAlreadyComplete: "Every turn was replayed: a to keep chatting, x to leave."
        case .replayKept(let id): "Replay kept as \(id): type to continue the conversation."
        case .replayStopped(let done, let total, let id): "Replay stopped after \(done) of \(total) turns; saved as \(id)."
        case .replayKeys:
            "Replaying: " + HintLine.items(for: .replayPaused).filter { $0.priority > 0 }.map(\.text).joined(separator: HintLine.separator)
        case .compareDecideFirst:
            "Decide first: " + HintLine.items(for: .comparing).filter { $0.priority > 0 }.map(\.text).joined(separator: HintLine.separator)
        case .compareNoSuchPane: "This round has no such pane."
        case .compareRewriteIdeal: "Both bad: rewrite this reply into the ideal answer (Enter saves it, chosen against both)."
        case .compareOn(let sources): "Compare on: \(sources). F7 again: blind."
        case .compareBlindOn: "Compare blind: source names hidden and panes shuffled until you decide. F7 again: off."
        case .compareOff: "Compare off: one reply per turn."
        case .compareForNextChats(let blind):
            blind ? "Chats started now compare two candidates blind. F7 again: off."
                : "Chats started now compare two candidates side by side (F7 in the chat changes it). F7 again: blind."
        case .compareSetupLoading: "Still listing the personas, backends and runs to choose from; a moment."
        case .compareSetupUnknownPersona(let source, let persona): "Source \(source): persona \(persona) is not in the library (or does not load)."
        case .compareSetupBadValue(let source, let problem): "Source \(source): \(problem)."
        case .compareSetupAdapterNotLocal(let source, let backend, let kind):
            "Source \(source): base and tuned adapters are for the local model only, and backend \(backend) is \(kind): choose \"as the chat\" or a local backend."
        case .compareSetupAdapterNeedsChatsEngine(let source, let backend):
            "Source \(source): base and tuned adapters answer from the chat's own engine, not backend \(backend): choose backend \"the chat's\"."
        case .compareSetupTeacherNeedsTwo(let candidates):
            "A teacher needs two sources (the other is the student), not \(candidates) candidates: teacher none, or mode two sources."
        case .compareEngineReady: "The local engine is ready with the compare sources' adapters."
        case .compareSetupNotApplied(let problem): "Not applied: \(problem) Fix it, or Esc to leave unchanged."
        case .compareSetupApplied(let sources, let restarting):
            "Compare on: \(sources)." + (restarting ? " Restarting the local engine with the adapters…" : "") + " F7: blind."
        }
    }

    /// Whether it reports a problem (drawn as an error).
    public var isError: Bool {
        switch self {
        case .personaUnusable, .transcriptUnusable, .couldNotStartChat, .couldNotOpenTranscript, .couldNotReplay,
             .couldNotListTranscripts, .findingHasNoSource, .replyStillStreaming, .noReplyToMark, .onlyRepliesCanBeMarked, .notSaved,
             .noBackendConnected, .candidatesRequestFailed, .externalEditorFailed, .replayHasNoUserMessages, .markWithheld, .trainingFailed, .couldNotConnect,
             .noTunedModel, .samplingInvalid, .personaHasNoFile, .samplingNotSavedToPersona, .reviewNoSuggestion,
             .reviewCompareKeys, .reviewNoPreference,
             .compareDecideFirst, .compareNoSuchPane, .samplingNoOtherSide, .samplingSideNotApplied,
             .compareSetupLoading, .compareSetupUnknownPersona, .compareSetupBadValue, .compareSetupAdapterNotLocal, .compareSetupAdapterNeedsChatsEngine,
             .compareSetupTeacherNeedsTwo, .compareSetupNotApplied:
            true
        case .startingChat, .openingTranscript, .replayingTranscript, .editUnchanged, .transcriptSaved, .replayFinished,
             .replayAlreadyComplete, .replayKept, .replayStopped, .replayKeys, .confirmDoubtfulGoodMark, .notMarked,
             .trainingStarted, .trainingCancelled, .trainingFinished, .connectingTunedModel, .connectedTunedModel,
             .samplingApplied, .samplingAppliedToSource, .savingSamplingToPersona, .samplingSavedToPersona, .samplingAlreadyInPersona,
             .compareRewriteIdeal, .compareOn, .compareBlindOn, .compareOff, .compareForNextChats, .compareSetupApplied, .compareEngineReady:
            false
        }
    }
}

/// A one-line message shown above the input or at the bottom of a list (saved location, errors).
public struct Notice: Sendable, Hashable {
    public var message: NoticeMessage

    public init(_ message: NoticeMessage) {
        self.message = message
    }

    /// The words shown.
    public var text: String { message.text }
    /// Whether it is drawn as an error.
    public var isError: Bool { message.isError }
}
