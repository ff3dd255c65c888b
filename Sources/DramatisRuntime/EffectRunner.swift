import DramatisCore
import DramatisTUI
import Foundation

/// Performs the reducer's effects. Called on the UI thread; recording and listing run on a serial writer,
/// backends in detached tasks, and both post their results to the inbox; only quick effects (personas,
/// the external editor) return their events at once. Knows nothing of curses: the terminal loop and the tests drive it alike.
public final class EffectRunner {
    private let services: any ChatServices
    private let inbox: EventInbox
    private let environment: [String: String]
    /// The backend of the current chat; set by the tasks that start a chat.
    private let backend = BackendSlot()
    /// Backends of compare sources that name one, made on first use.
    private let sourceBackends = SourceBackends()
    private var streams: [Int: Task<Void, Never>] = [:]
    /// The background training run, if any, and the trainer's pause rule (stopped while a reply streams).
    private var training: Task<Void, Never>?
    private let trainingGate: TrainingGate
    /// The serial writer: records (transcript re-encode and fsyncs) and transcript listings run here, in
    /// order, off the UI thread, and post their results to the inbox.
    private let writer = DispatchQueue(label: "dramatis-writer")
    /// Set by the `.quit` effect.
    public private(set) var quitRequested = false

    public init(services: any ChatServices, inbox: EventInbox, environment: [String: String]) {
        self.services = services
        self.inbox = inbox
        self.environment = environment
        trainingGate = TrainingGate { [inbox] paused in inbox.post(.trainingPaused(paused)) }
    }

    /// Runs one effect; returns events that are already known (fed to the reducer before the next frame).
    /// `screen` is suspended while the external editor runs (nil: no screen to suspend).
    public func run(_ effect: Effect, screen: (any ScreenSuspending)?) -> [AppEvent] {
        switch effect {
        case .loadPersonas:
            return [.personasLoaded(services.listPersonas())]
        case .startChat(let personaID):
            let job = chatStarter()
            Task.detached { await job.startChat(personaID: personaID) }
            return []
        case .openTranscript(let id):
            let job = chatStarter()
            Task.detached { await job.openTranscript(id: id) }
            return []
        case .startReplay(let transcriptID):
            let job = chatStarter()
            Task.detached { await job.startReplay(transcriptID: transcriptID) }
            return []
        case .startStream(let id, let request):
            guard let chatBackend = backend.get() else {
                return [.streamFailed(stream: id, message: NoticeMessage.noBackendConnected.text)]
            }
            let pump = StreamPump(id: id, backend: chatBackend, request: request, inbox: inbox)
            streams[id] = streaming { await pump.run() }
            return []
        case .startStreamOn(let id, let request, let name):
            let job = SourceStream(id: id, backendName: name, request: request, services: services, backends: sourceBackends, inbox: inbox)
            streams[id] = streaming { await job.run() }
            return []
        case .startChoices(let ids, let request, let name):
            let chatBackend = name == nil ? backend.get() : nil
            if name == nil && chatBackend == nil {
                return ids.map { .streamFailed(stream: $0, message: NoticeMessage.noBackendConnected.text) }
            }
            let job = ChoicesStream(ids: ids, backendName: name, request: request, services: services, backends: sourceBackends,
                                    chatBackend: chatBackend, inbox: inbox)
            // One task for every choice: cancelling any of its ids (Esc cancels them all) stops the one request.
            let task = streaming { await job.run() }
            for id in ids { streams[id] = task }
            return []
        case .cancelStream(let id):
            streams.removeValue(forKey: id)?.cancel()
            return []
        case .record(let conversation, let reason):
            let services = services
            onWriter(failure: { .recordFailed($0) }) {
                .recorded(location: try services.record(conversation), reason: reason, contentHash: conversation.hashValue)
            }
            return []
        case .openExternalEditor(let text):
            let environment = environment
            let edit = { ExternalEditor.edit(text, environment: environment) }
            let result = screen.map { $0.suspended(edit) } ?? edit()
            switch result {
            case .success(let edited): return [.externalEditorFinished(text: edited, error: nil)]
            case .failure(let failure): return [.externalEditorFinished(text: nil, error: failure.message)]
            }
        case .loadTranscripts:
            // On the writer too: after any write asked for before it (leaving a chat lists it saved).
            let services = services
            onWriter(releasingMemory: true, failure: { .transcriptsFailed(NoticeMessage.couldNotListTranscripts(reason: $0).text) }) {
                .transcriptsLoaded(try services.listTranscripts())
            }
            return []
        case .loadDataset(let personaID):
            // On the writer: after every record asked for before it, so the newest mark is counted.
            let services = services
            onWriter(releasingMemory: true, failure: { .datasetFailed(personaID: personaID, message: $0) }) {
                .datasetLoaded(try services.datasetOverview(personaID: personaID))
            }
            return []
        case .loadReviewQueue:
            // On the writer: after every record asked for before it, so a mark just made is not queued again.
            let services = services
            onWriter(releasingMemory: true, failure: { .reviewQueueFailed($0) }) {
                .reviewQueueLoaded(try services.reviewQueue())
            }
            return []
        case .saveReviewPosition(let position):
            let services = services
            writer.async { [inbox] in
                do {
                    try services.saveReviewPosition(position)
                } catch {
                    inbox.post(.recordFailed(Self.describe(error)))
                }
            }
            return []
        case .startTraining(let personaID):
            training?.cancel()
            let job = BackgroundTraining(services: services, inbox: inbox, gate: trainingGate, writer: writer)
            training = Task.detached { await job.run(personaID: personaID) }
            return []
        case .cancelTraining:
            training?.cancel()
            training = nil
            // A trainer stopped while a reply streams keeps a SIGTERM pending until continued: continue it now.
            trainingGate.detach()
            return []
        case .connect(let persona):
            let job = chatStarter()
            Task.detached { await job.reconnect(persona: persona) }
            return []
        case .connectAdapters(let persona, let runs):
            let job = chatStarter()
            Task.detached { await job.reconnect(persona: persona, adapters: runs) }
            return []
        case .loadCompareSetupOptions:
            // On the writer: listing personas and runs reads files, never on the UI thread.
            let services = services
            writer.async { [inbox] in inbox.post(.compareSetupOptionsLoaded(services.compareSetupOptions())) }
            return []
        case .savePersonaSampling(let personaID, let sampling):
            // On the writer: a durable write (fsyncs) never holds up the UI thread.
            let services = services
            onWriter(failure: { .personaSamplingFailed($0) }) {
                .personaSamplingSaved(try services.savePersonaSampling(sampling, personaID: personaID))
            }
            return []
        case .quit:
            quitRequested = true
            return []
        }
    }

    /// Runs `work` on the serial writer (after every write and listing asked for before it) and posts its event, or
    /// `failure` with the error described; `releasingMemory` hands the work's freed heap back to the system after.
    private func onWriter(releasingMemory: Bool = false, failure: @escaping @Sendable (String) -> AppEvent,
                          _ work: @escaping @Sendable () throws -> AppEvent) {
        let inbox = inbox
        writer.async {
            defer { if releasingMemory { ProcessMemory.releaseFreedMemory() } }
            do {
                inbox.post(try work())
            } catch {
                inbox.post(failure(Self.describe(error)))
            }
        }
    }

    /// A starter whose dataset preparation runs on the writer, so it never delays the chat and precedes its records.
    private func chatStarter() -> ChatStarter {
        let services = services, writer = writer
        return ChatStarter(services: services, inbox: inbox, backend: backend) { conversation in
            // A failure here shows at the first record, which repeats the work and reports it.
            writer.async { try? services.prepareRecording(for: conversation) }
        }
    }

    /// Waits until every write and listing asked for so far has finished (before the program ends).
    public func finishWrites() {
        writer.sync {}
    }

    /// Runs a reply's stream in a task of its own, with the training paused from now until it ends (`TrainingGate`).
    private func streaming(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let gate = trainingGate
        gate.streamStarted()
        return Task.detached {
            await body()
            gate.streamEnded()
        }
    }

    /// Cancels every stream still running, and the training.
    public func cancelAll() {
        training?.cancel()
        trainingGate.detach()
        for task in streams.values { task.cancel() }
        streams.removeAll()
    }

    /// A one-line, user-facing description (backend errors are already masked).
    static func describe(_ error: any Error) -> String {
        if let backendError = error as? BackendError { return backendError.message }
        let text = String(describing: error)
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}
