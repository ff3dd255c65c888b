import DramatisCore
import DramatisTUI

/// Forwards one backend stream to the inbox: deltas as they come, then one finish or failure event.
/// A cancelled stream posts nothing more (the reducer already closed the reply).
struct StreamPump: Sendable {
    let id: Int
    let backend: any ChatBackend
    let request: ChatRequest
    let inbox: EventInbox

    func run() async {
        var reason: FinishReason?
        var usage: TokenUsage?
        var timing: ReplyTiming?
        do {
            for try await event in backend.stream(request) {
                if Task.isCancelled { return }
                switch event {
                case .delta(let text): inbox.post(.streamDelta(stream: id, text: text))
                case .finished(let finish): reason = finish
                case .usage(let reported): usage = reported
                case .timing(let measured): timing = measured
                }
            }
            if Task.isCancelled { return }
            inbox.post(.streamFinished(stream: id, reason: reason ?? .incomplete, usage: usage, timing: timing))
        } catch {
            if Task.isCancelled || error is CancellationError { return }
            inbox.post(.streamFailed(stream: id, message: EffectRunner.describe(error)))
        }
    }
}
