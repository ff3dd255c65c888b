/// How one streamed reply ended: what the backend reported, or the failure, or that the user stopped it.
public struct TurnOutcome: Sendable, Hashable {
    /// The finish reason the backend sent, if any.
    public var reported: FinishReason?
    public var usage: TokenUsage?
    public var timing: ReplyTiming?
    /// The failure that ended the stream (text before it stays, marked incomplete).
    public var error: BackendError?
    /// The user stopped the reply (Esc, Ctrl-C); its text is kept.
    public var cancelled: Bool

    public init(reported: FinishReason? = nil, usage: TokenUsage? = nil, timing: ReplyTiming? = nil,
                error: BackendError? = nil, cancelled: Bool = false) {
        self.reported = reported
        self.usage = usage
        self.timing = timing
        self.error = error
        self.cancelled = cancelled
    }

    /// Keeps what `event` reports about the end of the reply (finish reason, usage, timing); text events change nothing.
    mutating func note(_ event: ChatEvent) {
        switch event {
        case .finished(let reason): reported = reason
        case .usage(let usage): self.usage = usage
        case .timing(let timing): self.timing = timing
        case .delta, .refusal, .reasoning, .toolCall, .retrying: break
        }
    }

    /// The one finish policy: stopped → `cancelled`; failed, or ended without a finish reason → `incomplete`;
    /// else what the backend said.
    public var reason: FinishReason {
        if cancelled { return .cancelled }
        if error != nil { return .incomplete }
        return reported ?? .incomplete
    }
}
