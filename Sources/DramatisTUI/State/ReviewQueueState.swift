import DramatisCore
import Foundation

/// A person's decision on one queued reply, in this visit of the queue.
public enum ReviewDecision: String, Sendable, Hashable {
    case good, bad
    /// Rewritten into the ideal answer (the rewrite is marked good, the reply bad).
    case edited
    case skipped
    /// A compare item: one candidate better (pane A…D), the others bad.
    case aBetter = "A better", bBetter = "B better", cBetter = "C better", dBetter = "D better"
    /// A compare item: every candidate good.
    case tie
    /// A compare item: every candidate bad (then one rewritten into the ideal answer).
    case bothBad = "both bad"

    /// The decision "pane `pane` better".
    static func better(pane: Int) -> ReviewDecision {
        [.aBetter, .bBetter, .cBetter, .dBetter][max(0, min(pane, 3))]
    }
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
    /// The reply being rewritten when it is not the item's own turn (a compare item's candidate after "both bad").
    public var editingReply: TurnID?
    /// Content hashes of the conversations handed to the recorder from here (their `.recorded` events are the queue's).
    public var pendingRecords: Set<Int> = []

    public init() {}

    /// The item shown, if any.
    public var current: ReviewItemKey? { items.indices.contains(position) ? items[position] : nil }

    /// Items given a decision other than skip.
    public var reviewed: Int { decisions.values.filter { $0 != .skipped }.count }

    /// Items still without a decision (skipped ones included).
    public var remaining: Int { items.count - reviewed }

    /// Whether the item shown is a compare round (its key is the round's user turn).
    public var currentIsCompare: Bool { current.flatMap(compareRound) != nil }

    /// The compare round of `key` when it is a compare item.
    public func compareRound(_ key: ReviewItemKey) -> CompareRound? {
        guard let item = reply(key), item.turn.role == .user else { return nil }
        return item.turn.compare
    }

    /// The conversation and reply of `key` (for a compare item, its user turn).
    public func reply(_ key: ReviewItemKey) -> (conversation: Conversation, turn: Turn)? {
        guard let conversation = conversations[key.transcript], conversation.turns.indices.contains(key.turn) else { return nil }
        return (conversation, conversation[key.turn])
    }
}
