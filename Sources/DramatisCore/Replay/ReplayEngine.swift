import Foundation

/// How replay reacts to rate limits: retry the turn after a growing pause.
public struct ReplayRetryPolicy: Sendable, Hashable {
    /// Attempts per turn in total (1 = no retry).
    public var maxAttempts: Int
    /// Pause before the first retry; doubled each time.
    public var initialDelay: Double

    public init(maxAttempts: Int = 4, initialDelay: Double = 2) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
    }
}

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
    /// Requests sent for this turn (more than 1 after rate limits).
    public var attempts: Int
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case index, usage, similarity, attempts, error
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
    /// A rate limit was hit; the turn is retried after `delay` seconds.
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
    public var retry: ReplayRetryPolicy
    /// The local engine's adapter that answers (nil: the base model, or a backend without adapters).
    public var adapter: AdapterChoice?
    /// Clock for turn timestamps.
    public var now: @Sendable () -> Date

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil,
                retry: ReplayRetryPolicy = ReplayRetryPolicy(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling
        self.retry = retry
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
        let modelName = model ?? persona.model
        let effectiveSampling = sampling ?? persona.sampling
        var cancelled = false
        let userID = conversation.appendUserMessage(user.text, origin: .replayed, at: now())
        onEvent(.userTurn(index: index, count: count, text: user.text, conversation: conversation))
        let request = ChatRequest(model: modelName, messages: conversation.requestMessages(after: userID),
                                  sampling: effectiveSampling, adapterScales: adapter?.scales)
        let replyID = conversation.startReply(after: userID, backend: backend.descriptor.name,
                                              model: modelName ?? backend.descriptor.model, adapter: adapter?.runID, at: now())
        var attempts = 0
        var turnError: String?
        var finish: FinishReason?
        var usage: TokenUsage?
        var timing: ReplyTiming?
        attemptLoop: while true {
            attempts += 1
            do {
                for try await event in backend.stream(request) {
                    switch event {
                    case .delta(let text):
                        conversation.appendReplyText(text, to: replyID)
                        onEvent(.delta(text))
                    case .finished(let reason): finish = reason
                    case .usage(let value): usage = value
                    case .timing(let value): timing = value
                    }
                }
                if Task.isCancelled { cancelled = true }
                break attemptLoop
            } catch let error as BackendError {
                if error.kind == .rateLimited, attempts < retry.maxAttempts, conversation[replyID].text.isEmpty, !Task.isCancelled {
                    let delay = retry.initialDelay * pow(2, Double(attempts - 1))
                    onEvent(.retrying(index: index, attempt: attempts + 1, delay: delay, message: error.message))
                    do {
                        try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                    } catch {
                        cancelled = true
                        break attemptLoop
                    }
                    continue attemptLoop
                }
                if Task.isCancelled { cancelled = true } else { turnError = error.message }
                break attemptLoop
            } catch is CancellationError {
                cancelled = true
                break attemptLoop
            } catch {
                if Task.isCancelled { cancelled = true } else { turnError = "\(error)" }
                break attemptLoop
            }
        }
        let reason: FinishReason = cancelled ? .cancelled : (turnError != nil ? .incomplete : (finish ?? .incomplete))
        conversation.finishReply(replyID, reason: reason, usage: usage, timing: timing, error: turnError)
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
