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
///
/// A reply's trained text is its answer; a reply that only refused trains as its refusal text (a refusal marked
/// bad is a natural negative example). Reasoning stays out unless `includeReasoning`, then it comes first as
/// `<think>…</think>`. A reply with no text at all is never written as an example (see `warnings(for:)`).
public enum DatasetExamples {
    /// The text a reply contributes to a dataset.
    public static func trainedText(of turn: Turn, includeReasoning: Bool = false) -> String {
        let answer = turn.historyText
        guard includeReasoning, let reasoning = turn.reply?.reasoning, !reasoning.isEmpty else { return answer }
        return "<think>\n\(reasoning.trimmingCharacters(in: .whitespacesAndNewlines))\n</think>\n\n" + answer
    }

    /// Whether a reply can be a training target: it has an answer or a refusal.
    static func isUsable(_ turn: Turn) -> Bool { !turn.historyText.isEmpty }

    /// What an export of `conversation` leaves out or writes with a caveat: marked replies that are empty
    /// (left out) and refusals marked good (written, but rarely what a persona should learn).
    public static func warnings(for conversation: Conversation) -> [String] {
        conversation.turns.compactMap { turn in caveat(for: turn).map { "\(conversation.id): \($0)" } }
    }

    /// Why a marked reply is left out of datasets or written with a caveat, e.g. "reply 4 is a refusal marked
    /// good; it is written as a good example"; nil for an ordinary mark.
    public static func caveat(for turn: Turn) -> String? {
        guard turn.role == .assistant, let mark = turn.mark else { return nil }
        if !isUsable(turn) {
            return "reply \(turn.id) is marked \(mark.value == .good ? "good" : "bad") but has no text; left out of the dataset"
        }
        if mark.value == .good, turn.text.isEmpty, turn.reply?.isRefusal == true {
            return "reply \(turn.id) is a refusal marked good; it is written as a good example"
        }
        return nil
    }

    /// One example per distinct "last good reply" over all root-to-leaf branches, by end turn id. Replies
    /// without text never end an example and weigh 0 inside one.
    public static func sft(from conversation: Conversation, includeReasoning: Bool = false) -> [SFTExample] {
        var ends = Set<TurnID>()
        for leaf in conversation.turns where leaf.children.isEmpty {
            if let end = conversation.path(to: leaf.id).last(where: {
                conversation[$0].role == .assistant && conversation[$0].mark?.value == .good && isUsable(conversation[$0])
            }) {
                ends.insert(end)
            }
        }
        return ends.sorted().map { end in
            var messages = conversation.persona.preambleMessages.map {
                WeightedMessage(role: $0.role, content: $0.content, weight: $0.role == .assistant ? 0 : nil)
            }
            for id in conversation.path(to: end) {
                let turn = conversation[id]
                let weight: Int? = turn.role == .assistant ? (turn.mark?.value == .good && isUsable(turn) ? 1 : 0) : nil
                let content = turn.role == .assistant ? trainedText(of: turn, includeReasoning: includeReasoning && weight == 1) : turn.text
                messages.append(WeightedMessage(role: turn.role, content: content, weight: weight, isGreeting: turn.origin == .greeting))
            }
            return SFTExample(conversationID: conversation.id, endTurn: end, messages: messages)
        }
    }

    /// Every (good, bad) pair of sibling replies with text, ordered by good then bad turn id.
    public static func preferencePairs(from conversation: Conversation, includeReasoning: Bool = false) -> [PreferencePair] {
        var pairs: [PreferencePair] = []
        for turn in conversation.turns where turn.role == .assistant && turn.mark?.value == .good && isUsable(turn) {
            let siblings = conversation.alternatives(of: turn.id)
            for rejected in siblings where conversation[rejected].role == .assistant && conversation[rejected].mark?.value == .bad
                && isUsable(conversation[rejected]) {
                pairs.append(PreferencePair(conversationID: conversation.id,
                                            prompt: conversation.requestMessages(after: turn.parent),
                                            chosenTurn: turn.id, chosen: trainedText(of: turn, includeReasoning: includeReasoning),
                                            rejectedTurn: rejected,
                                            rejected: trainedText(of: conversation[rejected], includeReasoning: includeReasoning)))
            }
        }
        return pairs
    }

    /// Every good or bad mark on a reply with text, by turn id.
    public static func labeledCompletions(from conversation: Conversation, includeReasoning: Bool = false) -> [LabeledCompletion] {
        conversation.turns.compactMap { turn in
            guard turn.role == .assistant, let mark = turn.mark, isUsable(turn) else { return nil }
            return LabeledCompletion(conversationID: conversation.id, prompt: conversation.requestMessages(after: turn.parent),
                                     turn: turn.id, completion: trainedText(of: turn, includeReasoning: includeReasoning),
                                     label: mark.value == .good)
        }
    }
}
