import DramatisCore
import DramatisTUI
import Synchronization

/// The backends of compare sources that name one of their own, by name and model: made on first use through the
/// services and kept for the session (a hosted model compared with the local one reuses one client).
final class SourceBackends: Sendable {
    private let made = Mutex<[String: any ChatBackend]>([:])

    /// The backend called `name` asking for `model`, made now if this session has none yet.
    func backend(named name: String, model: String?, services: any ChatServices) async throws -> any ChatBackend {
        let key = "\(name)\u{0}\(model ?? "")"
        if let existing = made.withLock({ $0[key] }) { return existing }
        let created = try await services.makeBackend(named: name, model: model)
        return made.withLock { made in
            if let raced = made[key] { return raced }
            made[key] = created
            return created
        }
    }
}

/// One compare source's stream on its own backend: the backend made (or reused), then pumped like any stream;
/// a backend that cannot be made fails the stream with the reason.
struct SourceStream: Sendable {
    let id: Int
    let backendName: String
    let request: ChatRequest
    let services: any ChatServices
    let backends: SourceBackends
    let inbox: EventInbox

    /// Makes or reuses the backend, then streams; posts the stream's events (or its failure) to the inbox.
    func run() async {
        let made: Result<any ChatBackend, any Error>
        do {
            made = .success(try await backends.backend(named: backendName, model: request.model, services: services))
        } catch {
            made = .failure(error)
        }
        switch made {
        case .success(let backend):
            await StreamPump(id: id, backend: backend, request: request, inbox: inbox).run()
        case .failure(let error):
            if !Task.isCancelled { inbox.post(.streamFailed(stream: id, message: EffectRunner.describe(error))) }
        }
    }
}
