import DramatisCore
import DramatisTUI
import Foundation

/// Performs the reducer's effects. Runs on the UI thread; quick work (recording, listing) is done
/// synchronously and its result returned at once, slow work (backends) runs in detached tasks that
/// post their results to the inbox. Knows nothing of curses: the terminal loop and the tests drive it alike.
public final class EffectRunner {
    private let services: any ChatServices
    private let inbox: EventInbox
    private let environment: [String: String]
    /// The backend of the current chat; set by the tasks that start a chat.
    private let backend = BackendSlot()
    private var streams: [Int: Task<Void, Never>] = [:]
    /// Set by the `.quit` effect.
    public private(set) var quitRequested = false

    public init(services: any ChatServices, inbox: EventInbox, environment: [String: String]) {
        self.services = services
        self.inbox = inbox
        self.environment = environment
    }

    /// Runs one effect; returns events that are already known (fed to the reducer before the next frame).
    /// `screen` is suspended while the external editor runs (nil: no screen to suspend).
    public func run(_ effect: Effect, screen: (any ScreenSuspending)?) -> [AppEvent] {
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
                return [.streamFailed(stream: id, message: NoticeMessage.noBackendConnected.text)]
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
                return [.transcriptsFailed(NoticeMessage.couldNotListTranscripts(reason: Self.describe(error)).text)]
            }
        case .quit:
            quitRequested = true
            return []
        }
    }

    /// Cancels every stream still running.
    public func cancelAll() {
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
