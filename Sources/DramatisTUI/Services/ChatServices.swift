import DramatisCore

/// What the effect runner needs from the rest of Dramatis: personas, backends, the recorder and transcripts.
///
/// The pure TUI never calls these; `dramatis chat` supplies the real implementation.
public protocol ChatServices: Sendable {
    /// Every persona found, valid or not, in library order.
    func listPersonas() -> [PersonaListing]
    /// The resolved persona with this id.
    func persona(id: String) throws -> Persona
    /// A backend for the persona (starting the local engine if needed).
    func makeBackend(for persona: Persona) async throws -> any ChatBackend
    /// A fresh conversation id (sortable, unique).
    func newConversationID(for persona: Persona) -> String
    /// Writes the transcript and the fine-tuning data for the conversation; durable when it returns.
    /// Returns where the transcript is.
    func record(_ conversation: Conversation) throws -> String
    /// Brings the persona's fine-tuning files up to date ahead of the first mark (the slow part of a first record:
    /// it reads the persona's transcripts). The runner calls it on its writer once a chat is open.
    func prepareRecording(for conversation: Conversation) throws
    /// The persona's dataset as the dataset screen shows it (computed from its transcripts, like `dramatis stats`).
    func datasetOverview(personaID: String) throws -> DatasetOverview
    /// The review queue: unreviewed replies of every transcript, and where the queue was left (`ReviewQueueSnapshot.load`).
    func reviewQueue() throws -> ReviewQueueSnapshot
    /// Remembers the review queue's position durably (nil: at its end).
    func saveReviewPosition(_ position: ReviewItemKey?) throws
    /// Saved transcripts, newest first.
    func listTranscripts() throws -> [TranscriptRow]
    /// A saved transcript, with its branches and marks.
    func loadTranscript(id: String) throws -> Conversation
    /// A backend for continuing a saved conversation.
    func makeBackend(for conversation: Conversation) async throws -> any ChatBackend
    /// Trains a LoRA adapter of the local model on the persona's marked examples (as `dramatis train` does), at low
    /// CPU priority; `report` receives progress, `started` the handles to pause the trainer. Throws on refusal,
    /// failure or cancellation (the task being cancelled); no half run is left either way.
    func train(personaID: String, report: @escaping @Sendable (TrainingStatus) -> Void,
               started: @escaping @Sendable (TrainingControl) -> Void) async throws -> TrainedRun
    /// "Save to persona": writes `sampling` into the front matter of persona `personaID`'s file (see
    /// `PersonaSamplingSaver`); durable when it returns. The runner calls it on its writer, off the UI thread.
    func savePersonaSampling(_ sampling: SamplingParameters, personaID: String) throws -> PersonaSamplingSaver.Outcome
    /// Stops anything started (e.g. the local engine).
    func shutdown() async
    /// The configured backend called `name` (a compare source's), asking for `model` (nil: its configured one).
    func makeBackend(named name: String, model: String?) async throws -> any ChatBackend
    /// The configured backends, default first (the compare setup panel's choices).
    func listBackends() -> [BackendListing]
    /// The backend a persona without `backend:` talks to.
    func defaultBackendName() -> String
    /// A persona's completed training runs, newest first (a compare source's adapter choices).
    func completedRuns(personaID: String) -> [String]
    /// A backend for `persona` on the local engine restarted with `adapters` loaded (compare sources answering base
    /// and tuned from one engine); its own requests use the persona's run among them, or the base model.
    func makeBackend(for persona: Persona, adapters: [AdapterRun]) async throws -> any ChatBackend
}

/// A named backend of its own, configured backends and training runs are only for the real services; others say
/// they have none.
extension ChatServices {
    public func makeBackend(named name: String, model: String?) async throws -> any ChatBackend {
        throw BackendError(kind: .configuration, message: "no backend called \(name) is available here")
    }

    public func listBackends() -> [BackendListing] { [] }

    public func defaultBackendName() -> String { "local" }

    public func completedRuns(personaID: String) -> [String] { [] }

    public func makeBackend(for persona: Persona, adapters: [AdapterRun]) async throws -> any ChatBackend {
        throw BackendError(kind: .configuration, message: "no local engine with adapters is available here")
    }

    /// What the compare setup panel can choose from: every valid persona resolved (as a chat would start it), the
    /// configured backends, and each persona's completed runs.
    public func compareSetupOptions() -> CompareSetupOptions {
        let personas = listPersonas().filter(\.isValid).compactMap { try? persona(id: $0.id) }
        var runs: [String: [String]] = [:]
        for persona in personas { runs[persona.id] = completedRuns(personaID: persona.id) }
        return CompareSetupOptions(personas: personas, backends: listBackends(), defaultBackend: defaultBackendName(), runs: runs)
    }
}
