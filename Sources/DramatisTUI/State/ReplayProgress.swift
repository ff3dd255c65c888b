import DramatisCore

/// Which of two compared replies the message cursor is on during replay.
public enum ComparisonSide: Sendable, Hashable {
    /// The reply generated now.
    case new
    /// The reply copied from the replayed transcript.
    case original
}

/// An interactive replay running in the chat screen: the replayed transcript's user turns, sent one by one.
///
/// The chat's conversation is the new transcript (linked to the original by `replayOf`); each replayed
/// user turn gets the new reply (selected) and the original reply as its alternative, so either can be marked.
public struct ReplayProgress: Sendable, Hashable {
    /// One user turn of the original and the reply that followed it there.
    public struct Step: Sendable, Hashable {
        public var userText: String
        public var originalReply: Turn?
    }

    /// Id of the transcript being replayed.
    public var originalID: String
    public var steps: [Step]
    /// Index of the next step to send.
    public var nextIndex = 0
    /// Send the next turn as soon as a reply finishes (instead of pausing for marks).
    public var runsToEnd = false

    /// Prepares the replay of the active branch of `original`.
    public init(original: Conversation) {
        originalID = original.id
        steps = ReplayEngine.userTurns(of: original).map { Step(userText: $0.user.text, originalReply: $0.reply) }
    }

    /// True once every user turn was sent.
    public var isComplete: Bool { nextIndex >= steps.count }
}
