/// One event of a streaming reply, in arrival order.
///
/// A well-formed stream is: zero or more `.retrying` (only before any reply text), then zero or more
/// `.delta`, `.refusal` and `.reasoning` pieces, then `.toolCall`s (if the model asked for tools), then
/// `.finished`, then optionally `.usage` and `.timing` (in either order). Failures end the stream by
/// throwing `BackendError`; text delivered before the failure stays valid.
public enum ChatEvent: Sendable, Hashable {
    /// A piece of reply text, raw (not sanitized; see `TerminalSanitizer`).
    case delta(String)
    /// A piece of a refusal (`delta.refusal`): the model declined; raw text.
    case refusal(String)
    /// A piece of the model's reasoning (`reasoning_content` / `reasoning`), kept apart from the answer; raw text.
    case reasoning(String)
    /// The model finished by calling a tool (a persona chat sends none, but servers may still do it).
    case toolCall(ToolCallRecord)
    /// The request failed before any reply text and is sent again after `RetryNotice.delay` seconds.
    case retrying(RetryNotice)
    /// The reply ended for this reason.
    case finished(FinishReason)
    /// Token counts reported by the backend.
    case usage(TokenUsage)
    /// Timing measured by the client.
    case timing(ReplyTiming)
}
