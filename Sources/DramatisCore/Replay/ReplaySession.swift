import Foundation

/// A replay driven one user turn at a time (for a TUI that steps through it).
///
/// `next` sends the next user message and streams the reply; `isFinished` turns true after the last
/// turn, an error, or cancellation. `conversation` is the new transcript so far (save it as you go).
public struct ReplaySession: Sendable {
    public let engine: ReplayEngine
    public let original: Conversation
    /// The new conversation (linked by `replayOf`).
    public private(set) var conversation: Conversation
    /// Results of the turns replayed so far.
    public private(set) var results: [ReplayTurnResult] = []
    /// The error that stopped the replay, if any.
    public private(set) var error: String?
    public private(set) var cancelled = false
    private let pending: [(user: Turn, reply: Turn?)]

    /// Prepares a replay of `original`; the new conversation starts with today's greeting.
    public init(engine: ReplayEngine, original: Conversation, newID: String? = nil) {
        self.engine = engine
        self.original = original
        let started = engine.now()
        let modelName = engine.model ?? engine.persona.model
        conversation = Conversation(
            id: newID ?? TranscriptStore.newConversationID(personaID: engine.persona.id, date: started), createdAt: started,
            persona: engine.persona,
            backend: BackendDescriptor(name: engine.backend.descriptor.name, kind: engine.backend.descriptor.kind,
                                       model: modelName ?? engine.backend.descriptor.model),
            sampling: engine.sampling ?? engine.persona.sampling, replayOf: original.id)
        pending = ReplayEngine.userTurns(of: original)
    }

    /// Number of user turns to replay.
    public var turnCount: Int { pending.count }
    /// Index of the next user turn.
    public var nextIndex: Int { results.count }
    /// True when nothing is left to do.
    public var isFinished: Bool { error != nil || cancelled || results.count >= pending.count }
    /// The original's next user message, if any.
    public var nextUserText: String? { isFinished ? nil : pending[results.count].user.text }

    /// Replays the next user turn; nil when already finished.
    @discardableResult
    public mutating func next(onEvent: @Sendable (ReplayEvent) -> Void = { _ in }) async -> ReplayTurnResult? {
        guard !isFinished else { return nil }
        if Task.isCancelled { cancelled = true; return nil }
        let index = results.count
        let pair = pending[index]
        let turn = await engine.replayTurn(user: pair.user, oldReply: pair.reply, index: index, count: pending.count,
                                           conversation: &conversation, onEvent: onEvent)
        results.append(turn.result)
        if let error = turn.result.error { self.error = error }
        if turn.cancelled { cancelled = true }
        return turn.result
    }

    /// The replay so far, as an outcome.
    public var outcome: ReplayOutcome {
        ReplayOutcome(conversation: conversation, turns: results, totalUserTurns: pending.count, error: error, cancelled: cancelled)
    }
}
