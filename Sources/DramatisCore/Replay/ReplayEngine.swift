import Foundation

/// The result of replaying one user turn: the old and the new reply side by side.
public struct ReplayTurnResult: Codable, Sendable, Hashable {
    /// 0-based position among the replayed user turns.
    public var index: Int
    public var userText: String
    public var originalReplyTurn: TurnID?
    public var newReplyTurn: TurnID
    public var oldText: String?
    public var newText: String
    public var oldFinishReason: FinishReason?
    public var newFinishReason: FinishReason?
    public var usage: TokenUsage?
    public var similarity: Double?
    /// Requests sent for this turn (more than 1 after the backend retried a rate limit or server error).
    public var attempts: Int
    public var error: String?
    /// The judge's verdict on the old reply (replay `--judge`), judged in the original conversation.
    public var oldVerdict: JudgeVerdict?
    /// The judge's verdict on the new reply (also stored on the reply in the new transcript).
    public var newVerdict: JudgeVerdict?

    enum CodingKeys: String, CodingKey {
        case index, usage, similarity, attempts, error
        case oldVerdict = "old_verdict"
        case newVerdict = "new_verdict"
        case userText = "user_text"
        case originalReplyTurn = "original_reply_turn"
        case newReplyTurn = "new_reply_turn"
        case oldText = "old_text"
        case newText = "new_text"
        case oldFinishReason = "old_finish_reason"
        case newFinishReason = "new_finish_reason"
    }
}

/// Progress of a replay, in order: `.started`, then per user turn `.userTurn`, `.delta`…, `.replyFinished`, then `.finished`.
public enum ReplayEvent: Sendable {
    /// The new conversation exists (with today's greeting, if any).
    case started(Conversation)
    /// A user message from the original was added; a reply is being requested.
    case userTurn(index: Int, count: Int, text: String, conversation: Conversation)
    /// Streamed reply text.
    case delta(String)
    /// The reply for the turn is complete (or ended with an error).
    case replyFinished(ReplayTurnResult, Conversation)
    /// The backend retries the turn's request after `delay` seconds (rate limit, server error before the first token).
    case retrying(index: Int, attempt: Int, delay: Double, message: String)
    /// Replay ended; `stoppedEarly` is set when an error or cancellation cut it short.
    case finished(ReplayOutcome)
}

/// A finished (or stopped) replay.
public struct ReplayOutcome: Sendable {
    public var conversation: Conversation
    public var turns: [ReplayTurnResult]
    /// User turns in the original's active branch.
    public var totalUserTurns: Int
    /// The error that stopped the replay, if any.
    public var error: String?
    public var cancelled: Bool
}

/// Re-runs a conversation's user turns against a persona and backend, producing a new conversation.
///
/// The original's active branch is replayed: each user message is sent in turn (with the new
/// replies as history) and the new reply is compared with the old one.
public struct ReplayEngine: Sendable {
    public var persona: Persona
    public var backend: any ChatBackend
    /// Model to request; nil uses the persona's model, then the backend's default.
    public var model: String?
    /// Sampling sent; the persona's when nil.
    public var sampling: SamplingParameters?
    /// The local engine's adapter that answers (nil: the base model, or a backend without adapters).
    public var adapter: AdapterChoice?
    /// Clock for turn timestamps.
    public var now: @Sendable () -> Date

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling
        self.now = now
    }

    /// The user turns of `original`'s active branch, each with the reply that followed it there.
    public static func userTurns(of original: Conversation) -> [(user: Turn, reply: Turn?)] {
        let path = original.activePath
        return path.enumerated().compactMap { position, id in
            let turn = original[id]
            guard turn.role == .user else { return nil }
            let next = position + 1 < path.count ? original[path[position + 1]] : nil
            return (turn, next?.role == .assistant ? next : nil)
        }
    }

    /// Streams the replay of `original` (for a TUI); cancelling the consumer stops it, keeping what was done.
    public func replay(_ original: Conversation, newID: String? = nil) -> AsyncThrowingStream<ReplayEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                let outcome = await run(original, newID: newID) { continuation.yield($0) }
                continuation.yield(.finished(outcome))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Replays `original`, reporting events to `onEvent`; never throws: errors end up in the outcome.
    public func run(_ original: Conversation, newID: String? = nil,
                    onEvent: @Sendable (ReplayEvent) -> Void = { _ in }) async -> ReplayOutcome {
        var session = ReplaySession(engine: self, original: original, newID: newID)
        onEvent(.started(session.conversation))
        while !session.isFinished {
            _ = await session.next(onEvent: onEvent)
        }
        return session.outcome
    }

    /// Sends one user turn and streams its reply into `conversation`; the result and whether it was cancelled.
    func replayTurn(user: Turn, oldReply: Turn?, index: Int, count: Int, conversation: inout Conversation,
                    onEvent: @Sendable (ReplayEvent) -> Void) async -> (result: ReplayTurnResult, cancelled: Bool) {
        let service = TurnService(backend: backend)
        let userID = conversation.appendUserMessage(user.text, origin: .replayed, at: now())
        onEvent(.userTurn(index: index, count: count, text: user.text, conversation: conversation))
        var attempts = 1
        let (replyID, outcome) = await service.run(in: &conversation, after: userID,
                                                   model: TurnService.model(chosen: model, persona: persona),
                                                   sampling: sampling ?? persona.sampling, adapter: adapter, at: now()) { event in
            switch event {
            case .delta(let text):
                onEvent(.delta(text))
            case .retrying(let notice):
                attempts += 1
                onEvent(.retrying(index: index, attempt: attempts, delay: notice.delay, message: notice.message))
            default:
                break
            }
        }
        let reason = outcome.reason
        let usage = outcome.usage
        let turnError = outcome.cancelled ? nil : outcome.error?.message
        let cancelled = outcome.cancelled
        let newText = conversation[replyID].text
        let result = ReplayTurnResult(
            index: index, userText: user.text, originalReplyTurn: oldReply?.id, newReplyTurn: replyID,
            oldText: oldReply?.text, newText: newText, oldFinishReason: oldReply?.reply?.finishReason,
            newFinishReason: reason, usage: usage,
            similarity: oldReply.map { TextSimilarity.score($0.text, newText) },
            attempts: attempts, error: turnError)
        onEvent(.replyFinished(result, conversation))
        return (result, cancelled)
    }
}
