import DramatisCore

/// Why a conversation is being recorded (for logs and tests; the recorder writes the same way).
public enum RecordReason: Sendable, Hashable {
    case replyFinished
    case mark
    case edit
    case leaving
    /// Ctrl-S: save now and show where.
    case save
}

/// Work the reducer asks for; the effect runner performs it and reports back with `AppEvent`s.
public enum Effect: Sendable, Hashable {
    case loadPersonas
    /// Resolve the persona, make its backend, create a conversation → `.chatReady` / `.chatFailed`.
    case startChat(personaID: String)
    /// Stream a reply with the current chat's backend → `.streamDelta`… `.streamFinished` / `.streamFailed`.
    case startStream(id: Int, request: ChatRequest)
    /// The same on the configured backend called `backend` (a compare source with a backend of its own; made on
    /// first use and kept for the session) → the same events.
    case startStreamOn(id: Int, request: ChatRequest, backend: String)
    /// One request for `ids.count` replies to the same messages (`request.choices`, sent as `n` where the backend
    /// can; else one request per reply at once), on the chat's backend or the configured one called `backend`: choice
    /// k's events go to stream `ids[k]` as `.streamDelta`… `.streamFinished` / `.streamFailed`. Cancelling any of the
    /// ids stops the request (and so every choice).
    case startChoices(ids: [Int], request: ChatRequest, backend: String?)
    case cancelStream(id: Int)
    /// Hand the conversation to the recorder (synchronously, before the next frame) → `.recorded` / `.recordFailed`.
    case record(Conversation, RecordReason)
    /// Suspend the screen and edit this text in `$EDITOR` → `.externalEditorFinished`.
    case openExternalEditor(String)
    case loadTranscripts
    /// Load a saved transcript and its backend → `.chatReady` / `.chatFailed`.
    case openTranscript(id: String)
    /// Load a saved transcript, today's version of its persona and a backend → `.replayReady` / `.chatFailed`.
    case startReplay(transcriptID: String)
    /// Compute a persona's dataset overview (after every record asked for before it) → `.datasetLoaded` / `.datasetFailed`.
    case loadDataset(personaID: String)
    /// Train the persona's adapter in the background → `.trainingProgress`… `.trainingFinished` / `.trainingFailed`.
    case startTraining(personaID: String)
    case cancelTraining
    /// Connect the chat to the local model with this persona's adapter (restarting the engine with it; the
    /// conversation stays) → `.connectionChanged` / `.connectionFailed`.
    case connect(persona: Persona)
    /// Connect the chat to the local model with these training runs loaded (the engine restarted with them; the
    /// conversation stays), its own requests using `persona`'s run or the base → `.connectionChanged` / `.connectionFailed`.
    case connectAdapters(persona: Persona, runs: [AdapterRun])
    /// List what the compare setup panel can choose from → `.compareSetupOptionsLoaded`.
    case loadCompareSetupOptions
    /// Write `sampling` into the front matter of persona `personaID`'s file, durably, on the writer (off the UI thread)
    /// → `.personaSamplingSaved` / `.personaSamplingFailed`.
    case savePersonaSampling(personaID: String, sampling: SamplingParameters)
    /// List the unreviewed replies of every transcript and the remembered position → `.reviewQueueLoaded` / `.reviewQueueFailed`.
    case loadReviewQueue
    /// Remember where the review queue is (nil: at its end), on the writer.
    case saveReviewPosition(ReviewItemKey?)
    /// End the program (after every earlier effect ran).
    case quit
}
