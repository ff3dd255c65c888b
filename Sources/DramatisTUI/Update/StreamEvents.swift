import DramatisCore

extension AppEvent {
    /// The event a stream's pump posts for one backend event: deltas as `.streamDelta`, other pieces, tool
    /// calls and retries as `.streamEvent`; nil for what only the end carries (finish reason, usage, timing).
    public static func streamProgress(_ id: Int, _ event: ChatEvent) -> AppEvent? {
        switch event {
        case .delta(let text): .streamDelta(stream: id, text: text)
        case .refusal, .reasoning, .toolCall, .retrying: .streamEvent(stream: id, event: event)
        case .finished, .usage, .timing: nil
        }
    }

    /// The event that ends a stream (`TurnService`'s outcome): nil when the user stopped it (the reducer
    /// already closed the reply).
    public static func streamEnd(_ id: Int, _ outcome: TurnOutcome) -> AppEvent? {
        if outcome.cancelled { return nil }
        if let error = outcome.error { return .streamFailed(stream: id, message: error.message) }
        return .streamFinished(stream: id, reason: outcome.reason, usage: outcome.usage, timing: outcome.timing)
    }
}
