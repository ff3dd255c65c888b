/// A chat message in a supervised example, with its training weight (assistant messages only).
public struct WeightedMessage: Sendable, Hashable {
    public var role: ChatRole
    public var content: String
    /// 1 = train on this reply, 0 = context only; nil for system and user messages.
    public var weight: Int?
    /// Whether this message came from the persona's greeting (ShareGPT drops it).
    public var isGreeting: Bool

    public init(role: ChatRole, content: String, weight: Int? = nil, isGreeting: Bool = false) {
        self.role = role
        self.content = content
        self.weight = weight
        self.isGreeting = isGreeting
    }
}

/// One supervised example: a branch from the preamble to its last good-marked reply.
public struct SFTExample: Sendable, Hashable {
    public var conversationID: String
    /// The last good-marked reply; two branches ending at the same reply give one example.
    public var endTurn: TurnID
    public var messages: [WeightedMessage]
}

/// A good and a bad reply at the same point of a conversation, with the shared history.
public struct PreferencePair: Sendable, Hashable {
    public var conversationID: String
    public var prompt: [ChatMessage]
    public var chosenTurn: TurnID
    public var chosen: String
    public var rejectedTurn: TurnID
    public var rejected: String
}

/// One marked reply with its history: an unpaired thumbs up or down (KTO).
public struct LabeledCompletion: Sendable, Hashable {
    public var conversationID: String
    public var prompt: [ChatMessage]
    public var turn: TurnID
    public var completion: String
    /// true for a good mark, false for a bad one.
    public var label: Bool
}

/// Derives training examples from a conversation's marks (the transcript is the source of truth).
public enum DatasetExamples {
    /// One example per distinct "last good reply" over all root-to-leaf branches, by end turn id.
    public static func sft(from conversation: Conversation) -> [SFTExample] {
        var ends = Set<TurnID>()
        for leaf in conversation.turns where leaf.children.isEmpty {
            if let end = conversation.path(to: leaf.id).last(where: { conversation[$0].role == .assistant && conversation[$0].mark?.value == .good }) {
                ends.insert(end)
            }
        }
        return ends.sorted().map { end in
            var messages = conversation.persona.preambleMessages.map {
                WeightedMessage(role: $0.role, content: $0.content, weight: $0.role == .assistant ? 0 : nil)
            }
            for id in conversation.path(to: end) {
                let turn = conversation[id]
                let weight: Int? = turn.role == .assistant ? (turn.mark?.value == .good ? 1 : 0) : nil
                messages.append(WeightedMessage(role: turn.role, content: turn.text, weight: weight, isGreeting: turn.origin == .greeting))
            }
            return SFTExample(conversationID: conversation.id, endTurn: end, messages: messages)
        }
    }

    /// Every (good, bad) pair of sibling replies, ordered by good then bad turn id.
    public static func preferencePairs(from conversation: Conversation) -> [PreferencePair] {
        var pairs: [PreferencePair] = []
        for turn in conversation.turns where turn.role == .assistant && turn.mark?.value == .good {
            let siblings = conversation.alternatives(of: turn.id)
            for rejected in siblings where conversation[rejected].role == .assistant && conversation[rejected].mark?.value == .bad {
                pairs.append(PreferencePair(conversationID: conversation.id,
                                            prompt: conversation.requestMessages(after: turn.parent),
                                            chosenTurn: turn.id, chosen: turn.text,
                                            rejectedTurn: rejected, rejected: conversation[rejected].text))
            }
        }
        return pairs
    }

    /// Every good or bad mark, by turn id.
    public static func labeledCompletions(from conversation: Conversation) -> [LabeledCompletion] {
        conversation.turns.compactMap { turn in
            guard turn.role == .assistant, let mark = turn.mark else { return nil }
            return LabeledCompletion(conversationID: conversation.id, prompt: conversation.requestMessages(after: turn.parent),
                                     turn: turn.id, completion: turn.text, label: mark.value == .good)
        }
    }
}
