import Foundation

/// The replies waiting for a person's decision: every finished, generated reply that carries no mark
/// (from autopilot runs, replays and chats), and every undecided compare round (one item: A/B/tie), oldest
/// transcript first, in turn order.
///
/// A mark set by a judge (`--auto-mark`) counts as unreviewed too: the person confirms or overrides it.
public enum ReviewQueue {
    /// Whether `turn` waits for a decision.
    public static func isUnreviewed(_ turn: Turn) -> Bool {
        turn.role == .assistant && turn.origin == .generated && turn.isComplete && (turn.mark == nil || turn.mark?.judge != nil)
    }

    /// Whether the user turn `turn` holds a compare round waiting for a person's decision: every side finished and
    /// no decision yet (or "skip", which records none, or a judge's decision, which the person confirms).
    public static func isUndecidedCompare(_ turn: Turn, in conversation: Conversation) -> Bool {
        guard turn.role == .user, let round = turn.compare else { return false }
        if let decision = round.decision, decision.verdict != .skip, decision.judge == nil { return false }
        return round.sides.allSatisfy { conversation.turns.indices.contains($0.reply) && conversation[$0.reply].isComplete }
    }

    /// The unreviewed items of `conversations`, in queue order: single replies (`isUnreviewed`), and undecided
    /// compare rounds as one item each, keyed by their user turn (their replies are not queued on their own).
    public static func items(in conversations: [Conversation]) -> [ReviewItemKey] {
        conversations.flatMap { conversation in
            conversation.turns.filter { turn in
                if turn.role == .user { return isUndecidedCompare(turn, in: conversation) }
                return isUnreviewed(turn) && conversation.compareParent(of: turn.id) == nil
            }.map { ReviewItemKey(transcript: conversation.id, turn: $0.id) }
        }.sorted()
    }

    /// Where to start: the saved position if it is still queued, else the first item after it, else the first.
    public static func startIndex(of items: [ReviewItemKey], resumingAt saved: ReviewItemKey?) -> Int {
        guard let saved else { return 0 }
        return items.firstIndex { $0 >= saved } ?? 0
    }
}

/// The review queue's remembered position: `.review-queue.json` in the transcript folder (hidden, so never listed as a transcript).
public struct ReviewPositionFile: Sendable {
    public let url: URL

    /// The position file of the transcript folder `directory`.
    public init(transcriptDirectory directory: URL) {
        url = directory.appendingPathComponent(".review-queue.json")
    }

    /// The saved position; nil when none was saved or the file is unreadable (the queue then starts at the top).
    public func load() -> ReviewItemKey? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Stored.self, from: data).position
    }

    /// Saves `position` durably (nil: the queue was finished).
    public func save(_ position: ReviewItemKey?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(Stored(position: position))
        data.append(0x0A)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try DurableFile.write(data, to: url)
    }

    private struct Stored: Codable {
        var format = "dramatis-review-queue"
        var position: ReviewItemKey?
    }
}

/// What the review queue screen opens with: the transcripts that hold unreviewed replies, the replies, and where to resume.
public struct ReviewQueueSnapshot: Sendable, Hashable {
    /// Only the transcripts that hold an item.
    public var conversations: [Conversation]
    public var items: [ReviewItemKey]
    /// The index to start at (the remembered position, see `ReviewQueue.startIndex`).
    public var start: Int
    /// Transcripts that could not be read (their replies are not in the queue).
    public var unreadable: Int

    public init(conversations: [Conversation], items: [ReviewItemKey], start: Int, unreadable: Int = 0) {
        self.conversations = conversations
        self.items = items
        self.start = start
        self.unreadable = unreadable
    }

    /// The queue of every transcript in `store`, resuming where `ReviewPositionFile` of its folder says.
    public static func load(from store: TranscriptStore) -> ReviewQueueSnapshot {
        let (all, failures) = store.loadAll()
        let items = ReviewQueue.items(in: all)
        let holding = Set(items.map(\.transcript))
        let start = ReviewQueue.startIndex(of: items, resumingAt: ReviewPositionFile(transcriptDirectory: store.directory).load())
        return ReviewQueueSnapshot(conversations: all.filter { holding.contains($0.id) }, items: items, start: start,
                                   unreadable: failures.count)
    }
}
