/// Progress of an autopilot run, for progress lines on standard error.
public enum AutopilotProgress: Sendable {
    /// A conversation started (position in the run, its transcript id).
    case conversationStarted(index: Int, id: String)
    /// A user turn and the assistant's reply to it are done (the transcript is saved).
    case turnFinished(index: Int, turn: Int, of: Int, reply: Turn)
    /// The backend retries a request after `delay` seconds (rate limit, server error before the first token).
    case retrying(index: Int, delay: Double, message: String)
    /// A conversation is done (any status).
    case conversationFinished(index: Int, entry: AutopilotReport.Entry, completed: Int, total: Int)
}
