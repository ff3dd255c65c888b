import DramatisCore
import DramatisTUI
import Foundation
import Synchronization

/// Performs the reducer's effects. Runs on the UI thread; quick work (recording, listing) is done
/// synchronously and its result returned at once, slow work (backends) runs in detached tasks that
/// post their results to the inbox.
final class EffectRunner {
    private let services: any ChatServices
    private let inbox: EventInbox
    private let environment: [String: String]
    /// The backend of the current chat; set by the tasks that start a chat.
    private let backend = BackendSlot()
    private var streams: [Int: Task<Void, Never>] = [:]
    /// Set by the `.quit` effect.
    private(set) var quitRequested = false

    init(services: any ChatServices, inbox: EventInbox, environment: [String: String]) {
        self.services = services
        self.inbox = inbox
        self.environment = environment
    }

    /// Runs one effect; returns events that are already known (fed to the reducer before the next frame).
    func run(_ effect: Effect, screen: CursesScreen?) -> [AppEvent] {
        switch effect {
        case .loadPersonas:
            return [.personasLoaded(services.listPersonas())]
        case .startChat(let personaID):
            let job = ChatStarter(services: services, inbox: inbox, backend: backend)
            Task.detached { await job.startChat(personaID: personaID) }
            return []
        case .openTranscript(let id):
            let job = ChatStarter(services: services, inbox: inbox, backend: backend)
            Task.detached { await job.openTranscript(id: id) }
            return []
        case .startReplay(let transcriptID):
            let job = ChatStarter(services: services, inbox: inbox, backend: backend)
            Task.detached { await job.startReplay(transcriptID: transcriptID) }
            return []
        case .startStream(let id, let request):
            guard let chatBackend = backend.get() else {
                return [.streamFailed(stream: id, message: "no backend is connected")]
            }
            let pump = StreamPump(id: id, backend: chatBackend, request: request, inbox: inbox)
            streams[id] = Task.detached { await pump.run() }
            return []
        case .cancelStream(let id):
            streams.removeValue(forKey: id)?.cancel()
            return []
        case .record(let conversation, let reason):
            do {
                let location = try services.record(conversation)
                return [.recorded(location: location, reason: reason, contentHash: conversation.hashValue)]
            } catch {
                return [.recordFailed(Self.describe(error))]
            }
        case .openExternalEditor(let text):
            let environment = environment
            let edit = { ExternalEditor.edit(text, environment: environment) }
            let result = screen.map { $0.suspended(edit) } ?? edit()
            switch result {
            case .success(let edited): return [.externalEditorFinished(text: edited, error: nil)]
            case .failure(let failure): return [.externalEditorFinished(text: nil, error: failure.message)]
            }
        case .loadTranscripts:
            do {
                defer { ProcessMemory.releaseFreedMemory() }
                return [.transcriptsLoaded(try services.listTranscripts())]
            } catch {
                return [.transcriptsFailed("Could not list transcripts: \(Self.describe(error))")]
            }
        case .quit:
            quitRequested = true
            return []
        }
    }

    /// Cancels every stream still running.
    func cancelAll() {
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

/// The current chat's backend, shared between the UI thread and the tasks that start chats.
final class BackendSlot: Sendable {
    private let value = Mutex<(any ChatBackend)?>(nil)

    func set(_ backend: any ChatBackend) { value.withLock { $0 = backend } }
    func get() -> (any ChatBackend)? { value.withLock { $0 } }
}

/// Starts a chat in the background: resolve, make the backend (may start the local engine), post the result.
struct ChatStarter: Sendable {
    let services: any ChatServices
    let inbox: EventInbox
    let backend: BackendSlot

    func startChat(personaID: String) async {
        do {
            inbox.post(.chatReady(try await newConversation(personaID: personaID, replayOf: nil)))
        } catch {
            inbox.post(.chatFailed("Could not start \(personaID): \(EffectRunner.describe(error))"))
        }
    }

    /// Resolves today's persona, makes (and installs) its backend, and starts an empty conversation with it.
    private func newConversation(personaID: String, replayOf: String?) async throws -> Conversation {
        let persona = try services.persona(id: personaID)
        let chatBackend = try await services.makeBackend(for: persona)
        backend.set(chatBackend)
        return Conversation(id: services.newConversationID(for: persona), createdAt: Date(), persona: persona,
                            backend: chatBackend.descriptor, sampling: persona.sampling, replayOf: replayOf)
    }

    func openTranscript(id: String) async {
        do {
            let conversation = try services.loadTranscript(id: id)
            ProcessMemory.releaseFreedMemory()   // the decoder's working memory, before the chat screen fills caches
            let chatBackend = try await services.makeBackend(for: conversation)
            backend.set(chatBackend)
            inbox.post(.chatReady(conversation))
        } catch {
            inbox.post(.chatFailed("Could not open transcript \(id): \(EffectRunner.describe(error))"))
        }
    }

    /// Replays a transcript against today's version of its persona (and that persona's backend).
    func startReplay(transcriptID: String) async {
        do {
            let original = try services.loadTranscript(id: transcriptID)
            ProcessMemory.releaseFreedMemory()
            let conversation = try await newConversation(personaID: original.persona.id, replayOf: original.id)
            inbox.post(.replayReady(original: original, conversation: conversation))
        } catch {
            inbox.post(.chatFailed("Could not replay \(transcriptID): \(EffectRunner.describe(error))"))
        }
    }
}

/// Forwards one backend stream to the inbox through `TurnService`: pieces as they come, then one finish or
/// failure event. A cancelled stream posts nothing more (the reducer already closed the reply).
struct StreamPump: Sendable {
    let id: Int
    let backend: any ChatBackend
    let request: ChatRequest
    let inbox: EventInbox

    func run() async {
        let outcome = await TurnService(backend: backend).stream(request) { event in
            if !Task.isCancelled, let posted = AppEvent.streamProgress(id, event) { inbox.post(posted) }
        }
        if Task.isCancelled { return }
        if let ended = AppEvent.streamEnd(id, outcome) { inbox.post(ended) }
    }
}
