/// One event of a streaming reply, in arrival order.
///
/// A well-formed stream is: zero or more `.delta`, then `.finished`, then optionally
/// `.usage` and `.timing` (in either order). Failures end the stream by throwing
/// `BackendError`; text delivered before the failure stays valid.
public enum ChatEvent: Sendable, Hashable {
    /// A piece of reply text, raw (not sanitized; see `TerminalSanitizer`).
    case delta(String)
    /// The reply ended for this reason.
    case finished(FinishReason)
    /// Token counts reported by the backend.
    case usage(TokenUsage)
    /// Timing measured by the client.
    case timing(ReplyTiming)
}
