import DramatisCore
import DramatisTUI

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
