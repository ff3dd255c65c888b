import DramatisCore
import DramatisTUI

/// Forwards one several-choice request to the inbox through `TurnService.streamChoices`: choice k's pieces as
/// stream `ids[k]`'s, then one finish or failure per choice (as soon as that choice ended, while the others may go
/// on). When the one request failed, every side that had not finished fails with a message saying so. A cancelled
/// request posts nothing more (the reducer closed the replies).
struct ChoicesPump: Sendable {
    /// The stream id of each choice, by choice index.
    let ids: [Int]
    let backend: any ChatBackend
    let request: ChatRequest
    let inbox: EventInbox

    /// Streams every choice and posts its events, then each choice's end.
    func run() async {
        var request = request
        request.choices = ids.count
        let ids = ids
        let inbox = inbox
        var ended: Set<Int> = []
        let outcome = await TurnService(backend: backend).streamChoices(request, onEvent: { index, event in
            if !Task.isCancelled, let posted = AppEvent.streamProgress(ids[index], event) { inbox.post(posted) }
        }, onEnd: { index, choice in
            guard !Task.isCancelled, let posted = AppEvent.streamEnd(ids[index], choice) else { return }
            ended.insert(index)
            inbox.post(posted)
        })
        if Task.isCancelled { return }
        for (index, id) in ids.enumerated() where !ended.contains(index) {
            let choice = outcome.choices[index]
            if let shared = outcome.sharedFailure, choice.error == shared {
                let message = NoticeMessage.candidatesRequestFailed(count: ids.count, reason: shared.message).text
                inbox.post(.streamFailed(stream: id, message: message))
            } else if let ended = AppEvent.streamEnd(id, choice) {
                inbox.post(ended)
            }
        }
    }
}

/// A several-choice request on a compare source's own backend (made or reused like `SourceStream`'s), or on the
/// chat's backend when it names none.
struct ChoicesStream: Sendable {
    let ids: [Int]
    /// The configured backend's name; nil: the chat's own.
    let backendName: String?
    let request: ChatRequest
    let services: any ChatServices
    let backends: SourceBackends
    let chatBackend: (any ChatBackend)?
    let inbox: EventInbox

    /// Makes or reuses the backend, then streams; a backend that cannot be had fails every choice with the reason.
    func run() async {
        let made: Result<any ChatBackend, any Error>
        if let backendName {
            do {
                made = .success(try await backends.backend(named: backendName, model: request.model, services: services))
            } catch {
                made = .failure(error)
            }
        } else if let chatBackend {
            made = .success(chatBackend)
        } else {
            made = .failure(BackendError(kind: .configuration, message: NoticeMessage.noBackendConnected.text))
        }
        switch made {
        case .success(let backend):
            await ChoicesPump(ids: ids, backend: backend, request: request, inbox: inbox).run()
        case .failure(let error):
            if Task.isCancelled { return }
            for id in ids { inbox.post(.streamFailed(stream: id, message: EffectRunner.describe(error))) }
        }
    }
}
