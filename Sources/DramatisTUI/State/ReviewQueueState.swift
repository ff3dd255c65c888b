import DramatisCore
import Foundation

/// A person's decision on one queued reply, in this visit of the queue.
public enum ReviewDecision: String, Sendable, Hashable {
    case good, bad
    /// Rewritten into the ideal answer (the rewrite is marked good, the reply bad).
    case edited
    case skipped
}

/// The review queue screen: unreviewed replies one at a time, with their conversations, decisions and pace.
public struct ReviewQueueState: Sendable, Hashable {
    /// The queued replies in order (decided ones stay, so Back returns to them).
    public var items: [ReviewItemKey] = []
    /// The transcripts holding the items, by id (changed in place by marks and edits).
    public var conversations: [String: Conversation] = [:]
    /// Index of the item shown.
    public var position = 0
    public var isLoaded = false
    public var error: String?
    /// Transcripts that could not be read when the queue was listed.
    public var unreadable = 0
    /// Decisions of this visit, by item.
    public var decisions: [ReviewItemKey: ReviewDecision] = [:]
    /// When the queue opened (the pace counts from here).
    public var openedAt: Date?
    /// Decisions per minute since the queue opened; nil before the first decision.
    public var decisionsPerMinute: Double?
    /// The item whose reply is being rewritten in the external editor.
    public var editing: ReviewItemKey?
    /// Content hashes of the conversations handed to the recorder from here (their `.recorded` events are the queue's).
    public var pendingRecords: Set<Int> = []

    public init() {}

    /// The item shown, if any.
    public var current: ReviewItemKey? { items.indices.contains(position) ? items[position] : nil }

    /// Items given a decision other than skip.
    public var reviewed: Int { decisions.values.filter { $0 != .skipped }.count }

    /// Items still without a decision (skipped ones included).
    public var remaining: Int { items.count - reviewed }

    /// The conversation and reply of `key`.
    public func reply(_ key: ReviewItemKey) -> (conversation: Conversation, turn: Turn)? {
        guard let conversation = conversations[key.transcript], conversation.turns.indices.contains(key.turn) else { return nil }
        return (conversation, conversation[key.turn])
    }
}
