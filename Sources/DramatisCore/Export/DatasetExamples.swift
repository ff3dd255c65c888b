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
    /// Index in `prompt` of the persona's greeting, if it is there (ShareGPT leaves it out).
    public var greetingIndex: Int?
    public var chosenTurn: TurnID
    public var chosen: String
    public var rejectedTurn: TurnID
    public var rejected: String
}

/// One marked reply with its history: an unpaired thumbs up or down (KTO).
public struct LabeledCompletion: Sendable, Hashable {
    public var conversationID: String
    public var prompt: [ChatMessage]
    /// Index in `prompt` of the persona's greeting, if it is there (ShareGPT leaves it out).
    public var greetingIndex: Int?
    public var turn: TurnID
    public var completion: String
    /// true for a good mark, false for a bad one.
    public var label: Bool
}

/// Which parts of a conversation go into the examples: the persona's `train_*` settings (which the recorder and
/// `stats` follow), or `export`'s flags, which replace them.
public struct ExampleSelection: Sendable, Hashable, Codable {
    /// Which replies of an SFT example are trained on.
    public enum TrainedReplies: String, Sendable, Hashable, CaseIterable, Codable {
        /// Every good-marked reply on the branch has weight 1.
        case all
        /// Only the example's last good reply has weight 1; earlier good replies are context (weight 0).
        case last
    }

    /// Include the persona's few-shot examples as messages.
    public var fewShot: Bool
    /// Include the persona's greeting (the first assistant turn).
    public var greeting: Bool
    public var trainedReplies: TrainedReplies
    /// Put each trained reply's reasoning before its answer as `<think>…</think>` (off: reasoning is never trained).
    public var includeReasoning: Bool

    enum CodingKeys: String, CodingKey {
        case fewShot = "few_shot"
        case greeting
        case trainedReplies = "trained_replies"
        case includeReasoning = "include_reasoning"
    }

    public init(fewShot: Bool = true, greeting: Bool = true, trainedReplies: TrainedReplies = .all, includeReasoning: Bool = false) {
        self.fewShot = fewShot
        self.greeting = greeting
        self.trainedReplies = trainedReplies
        self.includeReasoning = includeReasoning
    }
}

/// A marked reply that is deliberately not written to the datasets, and why.
public struct WithheldExample: Sendable, Hashable {
    /// Why an example is withheld.
    public enum Reason: Sendable, Hashable {
        /// The good and the bad reply at one point are identical ignoring whitespace: no preference pair
        /// (and no KTO labels for either, which would contradict each other).
        case identicalPair(rejected: TurnID)
        /// A good mark on a reply with concerns that the person has not confirmed.
        case unconfirmed([ReplyConcern])
    }

    public var conversationID: String
    /// The good-marked reply.
    public var turn: TurnID
    public var reason: Reason

    /// What to tell the person, e.g. "Not written as a preference pair: the good and the bad reply are identical (ignoring whitespace)."
    public var message: String {
        switch reason {
        case .identicalPair:
            "Not written as a preference pair: the good and the bad reply are identical (ignoring whitespace)."
        case .unconfirmed(let concerns):
            "Not written: the reply marked good \(ReplyConcern.describe(concerns)); confirm the mark to train on it."
        }
    }
}

/// Derives training examples from a conversation's marks (the transcript is the source of truth).
///
/// Never derived (see `withheld(from:)`): a preference pair whose replies are identical ignoring whitespace, and
/// a good mark on a cut-off, empty or refusing reply that the person did not confirm (it counts as unmarked).
/// A reply's trained text is its answer; a reply that only refused trains as its refusal text (a refusal marked
/// bad is a natural negative example). Reasoning stays out unless `ExampleSelection.includeReasoning`, then it comes
/// first as `<think>…</think>`. A reply with no text at all is never written as an example (see `warnings(for:)`).
public enum DatasetExamples {
    /// Whether `turn` is a good-marked reply that may be trained on (no concern, or confirmed; never an empty text,
    /// which no uploader accepts).
    public static func isTrainableGood(_ turn: Turn) -> Bool {
        guard turn.role == .assistant, let mark = turn.mark, mark.value == .good, isUsable(turn) else { return false }
        return mark.isConfirmed || ReplyConcern.concerns(of: turn).isEmpty
    }

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

    /// One example per distinct "last good reply" over all root-to-leaf branches, by end turn id.
    public static func sft(from conversation: Conversation, selection chosen: ExampleSelection? = nil) -> [SFTExample] {
        let selection = chosen ?? conversation.persona.training
        var ends = Set<TurnID>()
        let trainable = Set(conversation.turns.filter(isTrainableGood).map(\.id))
        if trainable.isEmpty { return [] }
        for leaf in conversation.turns where leaf.children.isEmpty {
            if let end = conversation.path(to: leaf.id).last(where: trainable.contains) {
                ends.insert(end)
            }
        }
        let preamble = preambleMessages(conversation.persona, selection)
        return ends.sorted().map { end in
            var messages = preamble.map {
                WeightedMessage(role: $0.role, content: $0.content, weight: $0.role == .assistant ? 0 : nil)
            }
            for id in conversation.path(to: end) {
                let turn = conversation[id]
                if turn.origin == .greeting, !selection.greeting { continue }
                // A reply that never got text (a failed request) carries nothing and would make the line invalid.
                if turn.role == .assistant, !isUsable(turn) { continue }
                var weight: Int?
                if turn.role == .assistant {
                    let trained = trainable.contains(id) && (selection.trainedReplies == .all || id == end)
                    weight = trained ? 1 : 0
                }
                let content = turn.role == .assistant
                    ? trainedText(of: turn, includeReasoning: selection.includeReasoning && weight == 1) : turn.text
                messages.append(WeightedMessage(role: turn.role, content: content, weight: weight, isGreeting: turn.origin == .greeting))
            }
            return SFTExample(conversationID: conversation.id, endTurn: end, messages: messages)
        }
    }

    /// Every (good, bad) pair of sibling replies, ordered by good then bad turn id; pairs identical ignoring
    /// whitespace and unconfirmed good replies with concerns are left out.
    public static func preferencePairs(from conversation: Conversation, selection chosen: ExampleSelection? = nil) -> [PreferencePair] {
        let selection = chosen ?? conversation.persona.training
        var pairs: [PreferencePair] = []
        for turn in conversation.turns where isTrainableGood(turn) {
            let siblings = conversation.alternatives(of: turn.id)
            for rejected in siblings where conversation[rejected].role == .assistant && conversation[rejected].mark?.value == .bad {
                if !isUsable(conversation[rejected]) { continue }
                if NormalizedText.equalIgnoringWhitespace(turn.historyText, conversation[rejected].historyText) { continue }
                let (messages, greeting) = prompt(conversation, after: turn.parent, selection)
                pairs.append(PreferencePair(conversationID: conversation.id, prompt: messages, greetingIndex: greeting,
                                            chosenTurn: turn.id,
                                            chosen: trainedText(of: turn, includeReasoning: selection.includeReasoning),
                                            rejectedTurn: rejected,
                                            rejected: trainedText(of: conversation[rejected], includeReasoning: selection.includeReasoning)))
            }
        }
        return pairs
    }

    /// Every good or bad mark, by turn id; unconfirmed good marks with concerns are left out, and so are both
    /// labels of a good and a bad sibling that are identical ignoring whitespace (they would contradict each other).
    public static func labeledCompletions(from conversation: Conversation, selection chosen: ExampleSelection? = nil) -> [LabeledCompletion] {
        let selection = chosen ?? conversation.persona.training
        let contradicted = Set(identicalPairs(in: conversation).flatMap { [$0.good, $0.bad] })
        return conversation.turns.compactMap { turn in
            guard turn.role == .assistant, let mark = turn.mark, isUsable(turn), !contradicted.contains(turn.id) else { return nil }
            if mark.value == .good && !isTrainableGood(turn) { return nil }
            let (messages, greeting) = prompt(conversation, after: turn.parent, selection)
            return LabeledCompletion(conversationID: conversation.id, prompt: messages, greetingIndex: greeting,
                                     turn: turn.id, completion: trainedText(of: turn, includeReasoning: selection.includeReasoning),
                                     label: mark.value == .good)
        }
    }

    /// The marks of `conversation` that are not written, with the reason (for the TUI's notice and `stats`).
    public static func withheld(from conversation: Conversation) -> [WithheldExample] {
        var result: [WithheldExample] = []
        for turn in conversation.turns where turn.role == .assistant && turn.mark?.value == .good && !isTrainableGood(turn) {
            result.append(WithheldExample(conversationID: conversation.id, turn: turn.id, reason: .unconfirmed(ReplyConcern.concerns(of: turn))))
        }
        for pair in identicalPairs(in: conversation) {
            result.append(WithheldExample(conversationID: conversation.id, turn: pair.good, reason: .identicalPair(rejected: pair.bad)))
        }
        return result
    }

    /// Good/bad sibling replies whose texts are identical ignoring whitespace.
    private static func identicalPairs(in conversation: Conversation) -> [(good: TurnID, bad: TurnID)] {
        var pairs: [(good: TurnID, bad: TurnID)] = []
        for turn in conversation.turns where turn.role == .assistant && turn.mark?.value == .good {
            for other in conversation.alternatives(of: turn.id) where conversation[other].role == .assistant && conversation[other].mark?.value == .bad {
                if NormalizedText.equalIgnoringWhitespace(turn.text, conversation[other].text) { pairs.append((turn.id, other)) }
            }
        }
        return pairs
    }

    /// The persona's preamble with the few-shot examples left out when the selection says so.
    private static func preambleMessages(_ persona: Persona, _ selection: ExampleSelection) -> [ChatMessage] {
        selection.fewShot ? persona.preambleMessages : persona.preambleMessages.filter { $0.role == .system }
    }

    /// The messages a reply after `parent` answered, shaped by the selection (few-shot and greeting), and where
    /// the greeting is among them.
    private static func prompt(_ conversation: Conversation, after parent: TurnID?, _ selection: ExampleSelection) -> ([ChatMessage], Int?) {
        var messages = preambleMessages(conversation.persona, selection)
        var greeting: Int?
        if let parent {
            for id in conversation.path(to: parent) where selection.greeting || conversation[id].origin != .greeting {
                if conversation[id].role == .assistant, conversation[id].text.isEmpty { continue }
                if conversation[id].origin == .greeting { greeting = messages.count }
                messages.append(ChatMessage(role: conversation[id].role, content: conversation[id].text))
            }
        }
        return (messages, greeting)
    }
}
