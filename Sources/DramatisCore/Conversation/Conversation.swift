import Foundation

/// A conversation as a tree of turns with alternatives, marks and one active branch.
///
/// Pure value type: every change is a mutating method; persistence and display live elsewhere.
public struct Conversation: Codable, Sendable, Hashable, Identifiable {
    /// Unique, sortable id, also the transcript's file stem.
    public let id: String
    public var createdAt: Date
    /// The persona exactly as used (so a later edit of the file does not rewrite history).
    public var persona: Persona
    public var backend: BackendDescriptor
    public var sampling: SamplingParameters
    /// Id of the transcript this one replays, if any.
    public var replayOf: String?
    /// All turns; `turns[i].id == i`.
    public private(set) var turns: [Turn]
    /// First messages (alternatives at the top of the tree).
    public private(set) var roots: [TurnID]
    public private(set) var selectedRoot: TurnID?
    /// The active branch, kept current by `select` (every change of selection goes through it), so reading
    /// it is O(1) and it keeps one array identity between changes (renderers key their caches on it).
    private var storedActivePath: [TurnID] = []

    enum CodingKeys: String, CodingKey {
        case id, createdAt, persona, backend, sampling, replayOf, turns, roots, selectedRoot
    }

    /// Starts a conversation; records the persona's greeting as the first assistant turn.
    public init(id: String, createdAt: Date, persona: Persona, backend: BackendDescriptor,
                sampling: SamplingParameters, replayOf: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.persona = persona
        self.backend = backend
        self.sampling = sampling
        self.replayOf = replayOf
        self.turns = []
        self.roots = []
        self.selectedRoot = nil
        if let greeting = persona.greeting, !greeting.isEmpty {
            _ = add(parent: nil, role: .assistant, text: greeting, origin: .greeting, at: createdAt, isComplete: true)
        }
    }

    /// Decodes the stored fields, checks the tree like the loader does, and derives the active branch.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(id: try container.decode(String.self, forKey: .id),
                      createdAt: try container.decode(Date.self, forKey: .createdAt),
                      persona: try container.decode(Persona.self, forKey: .persona),
                      backend: try container.decode(BackendDescriptor.self, forKey: .backend),
                      sampling: try container.decode(SamplingParameters.self, forKey: .sampling),
                      replayOf: try container.decodeIfPresent(String.self, forKey: .replayOf),
                      turns: try container.decode([Turn].self, forKey: .turns),
                      roots: try container.decode([TurnID].self, forKey: .roots),
                      selectedRoot: try container.decodeIfPresent(TurnID.self, forKey: .selectedRoot))
    }

    /// Rebuilds a conversation from stored parts (used by the transcript loader).
    public init(id: String, createdAt: Date, persona: Persona, backend: BackendDescriptor, sampling: SamplingParameters,
                replayOf: String?, turns: [Turn], roots: [TurnID], selectedRoot: TurnID?) throws {
        for (index, turn) in turns.enumerated() {
            guard turn.id == index else { throw ConversationError.inconsistent("turn \(index) has id \(turn.id)") }
            if let parent = turn.parent, !(0..<index).contains(parent) {
                throw ConversationError.inconsistent("turn \(index) has parent \(parent), which does not precede it")
            }
            for child in turn.children where !turns.indices.contains(child) || turns[child].parent != index {
                throw ConversationError.inconsistent("turn \(index) lists child \(child), which is not its child")
            }
            if let selected = turn.selectedChild, !turn.children.contains(selected) {
                throw ConversationError.inconsistent("turn \(index) selects \(selected), which is not one of its children")
            }
            if let round = turn.compare, turn.role != .user || Set(round.sides.map(\.reply)).count != round.sides.count || round.sides.count < 2 {
                throw ConversationError.inconsistent("turn \(index) has a compare round that is not two or more distinct replies to a user message")
            }
            for side in turn.compare?.sides ?? [] where !turn.children.contains(side.reply) {
                throw ConversationError.inconsistent("turn \(index) compares reply \(side.reply), which is not one of its children")
            }
        }
        for root in roots where !turns.indices.contains(root) || turns[root].parent != nil {
            throw ConversationError.inconsistent("root \(root) is not a first message")
        }
        if let selectedRoot, !roots.contains(selectedRoot) {
            throw ConversationError.inconsistent("selected root \(selectedRoot) is not a root")
        }
        self.id = id
        self.createdAt = createdAt
        self.persona = persona
        self.backend = backend
        self.sampling = sampling
        self.replayOf = replayOf
        self.turns = turns
        self.roots = roots
        self.selectedRoot = selectedRoot
        self.storedActivePath = Self.walkActivePath(turns: turns, from: selectedRoot)
    }

    // MARK: - Reading

    public subscript(id: TurnID) -> Turn { turns[id] }

    /// Turn ids of the active branch, first message to latest.
    public var activePath: [TurnID] { storedActivePath }

    /// The chain of selected children from `root`.
    private static func walkActivePath(turns: [Turn], from root: TurnID?) -> [TurnID] {
        var path: [TurnID] = []
        var next = root
        while let id = next {
            path.append(id)
            next = turns[id].selectedChild
        }
        return path
    }

    /// The last turn of the active branch.
    public var lastTurn: Turn? { activePath.last.map { turns[$0] } }

    /// The last assistant turn of the active branch.
    public var lastReply: Turn? { activePath.last(where: { turns[$0].role == .assistant }).map { turns[$0] } }

    /// The turns that share `id`'s parent, including `id`, in creation order.
    public func alternatives(of id: TurnID) -> [TurnID] {
        if let parent = turns[id].parent { return turns[parent].children }
        return roots
    }

    /// The active branch's path from the first message to `id` (which must lie on some branch).
    public func path(to id: TurnID) -> [TurnID] {
        var path: [TurnID] = [id]
        var current = turns[id].parent
        while let parent = current {
            path.append(parent)
            current = turns[parent].parent
        }
        return path.reversed()
    }

    /// The messages to send to get a reply after `id` (or for a first reply when nil):
    /// persona preamble, then the branch up to and including `id`.
    public func requestMessages(after id: TurnID?) -> [ChatMessage] {
        requestMessages(after: id, as: persona)
    }

    /// The same with another persona's preamble (a compare source that answers as a different persona).
    public func requestMessages(after id: TurnID?, as speaker: Persona) -> [ChatMessage] {
        var messages = speaker.preambleMessages
        if let id {
            for turnID in path(to: id) {
                let turn = turns[turnID]
                messages.append(ChatMessage(role: turn.role, content: turn.historyText))
            }
        }
        return messages
    }

    /// How many assistant turns carry a mark.
    public var markCount: Int { turns.reduce(0) { $0 + ($1.mark == nil ? 0 : 1) } }

    /// First line of the first user message: the transcript's title.
    public var title: String {
        let firstUser = turns.first { $0.role == .user }?.text ?? ""
        return firstUser.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
    }

    // MARK: - Changing

    /// Adds a user message after the active branch and selects it.
    @discardableResult
    /// `simulatedBy` names the user-simulator persona that wrote a `simulated` turn.
    public mutating func appendUserMessage(_ text: String, origin: TurnOrigin = .typed, simulatedBy: String? = nil, at date: Date) -> TurnID {
        let id = add(parent: activePath.last, role: .user, text: text, origin: origin, at: date, isComplete: true)
        turns[id].simulatedBy = simulatedBy
        return id
    }

    /// Starts an (incomplete) assistant reply under `parent` and selects it. Used for first replies and regenerations.
    /// `adapter` names the training run whose adapter answers (nil: the base model).
    @discardableResult
    public mutating func startReply(after parent: TurnID?, backend: String, model: String, adapter: String? = nil,
                                    sampling: SamplingParameters? = nil, at date: Date) -> TurnID {
        let id = add(parent: parent, role: .assistant, text: "", origin: .generated, at: date, isComplete: false)
        turns[id].reply = ReplyMetadata(backend: backend, model: model, adapter: adapter, sampling: sampling)
        return id
    }

    /// Appends streamed text to a reply.
    public mutating func appendReplyText(_ delta: String, to id: TurnID) {
        turns[id].text += delta
    }

    /// Records one stream event in a reply: text, refusal and reasoning pieces and tool calls are appended;
    /// the finish reason, usage and timing wait for `finishReply(_:outcome:)`; retries change nothing.
    public mutating func apply(_ event: ChatEvent, toReply id: TurnID) {
        switch event {
        case .delta(let text): turns[id].text += text
        case .refusal(let text):
            if turns[id].reply?.refusal == nil { turns[id].reply?.refusal = "" }
            turns[id].reply?.refusal?.append(text)
        case .reasoning(let text):
            if turns[id].reply?.reasoning == nil { turns[id].reply?.reasoning = "" }
            turns[id].reply?.reasoning?.append(text)
        case .toolCall(let call):
            if turns[id].reply?.toolCalls == nil { turns[id].reply?.toolCalls = [] }
            turns[id].reply?.toolCalls?.append(call)
        case .retrying, .finished, .usage, .timing: break
        }
    }

    /// Completes a reply as `outcome` says (the one finish policy: see `TurnOutcome.reason`).
    public mutating func finishReply(_ id: TurnID, outcome: TurnOutcome) {
        finishReply(id, reason: outcome.reason, usage: outcome.usage, timing: outcome.timing, error: outcome.error?.message)
    }

    /// Completes a reply with what the backend reported.
    public mutating func finishReply(_ id: TurnID, reason: FinishReason, usage: TokenUsage? = nil,
                                     timing: ReplyTiming? = nil, error: String? = nil) {
        turns[id].isComplete = true
        turns[id].reply?.finishReason = reason
        if let usage { turns[id].reply?.usage = usage }
        if let timing { turns[id].reply?.timing = timing }
        turns[id].reply?.error = error
    }

    /// Sets or clears the mark of an assistant turn. A good mark on a reply with a `ReplyConcern` (cut off,
    /// empty, a refusal) reaches the datasets only with `confirmed: true`, the person's explicit "yes, train on it".
    public mutating func setMark(_ mark: Mark?, on id: TurnID, at date: Date, confirmed: Bool = false) {
        precondition(turns[id].role == .assistant, "only replies are marked")
        turns[id].mark = mark.map { MarkRecord($0, at: date, confirmed: confirmed && $0 == .good) }
    }

    /// Records a judge's verdict on a reply (replacing an earlier one).
    public mutating func setVerdict(_ verdict: JudgeVerdict?, on id: TurnID) {
        precondition(turns[id].role == .assistant, "only replies are judged")
        turns[id].verdict = verdict
    }

    /// Marks a reply as a judge's verdict suggests (`--auto-mark`), recording which judge set the mark; no mark for a middling score.
    public mutating func setJudgeMark(from verdict: JudgeVerdict, on id: TurnID, at date: Date) {
        precondition(turns[id].role == .assistant, "only replies are marked")
        guard let mark = verdict.suggestedMark else { return }
        turns[id].mark = MarkRecord(mark, at: date, judge: verdict.judge)
    }

    /// Rewrites a reply into the ideal answer: adds it as a new alternative marked good,
    /// marks the original bad (it becomes the rejected version), and selects the new one.
    @discardableResult
    public mutating func editReply(_ id: TurnID, to text: String, at date: Date) -> TurnID {
        precondition(turns[id].role == .assistant, "only replies are edited this way")
        let original = turns[id]
        let edited = add(parent: original.parent, role: .assistant, text: text, origin: .edited, at: date, isComplete: true)
        turns[edited].editedFrom = id
        turns[edited].reply = original.reply
        turns[edited].mark = MarkRecord(.good, at: date)
        turns[id].mark = MarkRecord(.bad, at: date)
        return edited
    }

    /// Adds a finished reply copied from another transcript as an alternative under `parent`, keeping the
    /// current selection (replay shows it beside the new reply; marking it works like any alternative).
    @discardableResult
    public mutating func addOriginalReply(_ reply: Turn, under parent: TurnID, at date: Date) -> TurnID {
        precondition(reply.role == .assistant && turns[parent].role == .user, "an original reply answers a user message")
        let selected = turns[parent].selectedChild
        let id = add(parent: parent, role: .assistant, text: reply.text, origin: .original, at: date, isComplete: true)
        turns[id].reply = reply.reply
        if let selected {
            select(selected)
        } else {
            turns[parent].selectedChild = nil
            storedActivePath = Self.walkActivePath(turns: turns, from: selectedRoot)
        }
        return id
    }

    /// The reply copied from the replayed transcript that sits beside `id`, if any.
    public func originalAlternative(of id: TurnID) -> TurnID? {
        guard turns[id].role == .assistant, turns[id].origin != .original else { return nil }
        return alternatives(of: id).first { turns[$0].origin == .original }
    }

    // MARK: - Compare

    /// The user turn whose compare round shows `reply` in one of its panes, if any.
    public func compareParent(of reply: TurnID) -> TurnID? {
        guard let parent = turns[reply].parent, turns[parent].compare?.side(of: reply) != nil else { return nil }
        return parent
    }

    /// The replies shown beside `reply` in its compare round, in pane order (empty outside compare mode).
    public func comparedReplies(with reply: TurnID) -> [TurnID] {
        guard let parent = compareParent(of: reply) else { return [] }
        return turns[parent].compare?.sides.map(\.reply) ?? []
    }

    /// Records that the replies under the user turn `user` are compared, in pane order, and selects pane A's
    /// reply (the branch continues from it until a decision picks another).
    /// In teacher/student mode `teacher` is the teacher source's letter and `student` the student persona's snapshot.
    public mutating func beginCompare(under user: TurnID, sides: [CompareSide], blind: Bool, teacher: String? = nil,
                                      student: CompareStudent? = nil) {
        precondition(turns[user].role == .user && sides.count >= 2, "a compare round answers a user message with two or more replies")
        precondition(sides.allSatisfy { turns[user].children.contains($0.reply) }, "each side is a reply to the user message")
        turns[user].compare = CompareRound(sides: sides, blind: blind, teacher: student == nil ? nil : teacher, student: teacher == nil ? nil : student)
        select(sides[0].reply)
    }

    /// Shows the regenerated reply `new` in the pane of `old` (which stays an alternative, its mark kept) and
    /// selects it; the round's decision is cleared (the next decision marks the sides shown then).
    public mutating func replaceCompareSide(_ old: TurnID, with new: TurnID) {
        guard let user = compareParent(of: old), var round = turns[user].compare, let pane = round.pane(of: old),
              turns[new].parent == user else { return }
        round.sides[pane].reply = new
        round.decision = nil
        turns[user].compare = round
        select(new)
    }

    /// Records a decision on the compare round under `user` and expresses it as marks and selection, so the
    /// recorder derives the datasets as from any marks:
    /// - `better`: the reply in `winnerPane` is marked good and selected (the branch continues from it); the
    ///   others are marked bad (each a preference pair against it);
    /// - `tie`: every side good (each an SFT example), the selection kept;
    /// - `bothBad`: every side bad, the selection kept (the person then rewrites the selected one into the ideal
    ///   answer with `editReply`, which is chosen against both);
    /// - `skip`: the sides' marks cleared, the selection kept.
    ///
    /// `judge` names the judge persona when its pairwise verdict decides (`--auto-mark`): the decision and the
    /// marks record it, so the review queue keeps the round for a person to confirm.
    public mutating func decideCompare(under user: TurnID, _ verdict: CompareDecision.Verdict, winnerPane: Int? = nil, at date: Date,
                                       judge: String? = nil) {
        guard var round = turns[user].compare else { preconditionFailure("turn \(user) has no compare round") }
        let winner = verdict == .better ? winnerPane.flatMap { round.sides.indices.contains($0) ? $0 : nil } : nil
        precondition(verdict != .better || winner != nil, "a better side needs its pane")
        round.decision = CompareDecision(verdict, winner: winner.map { round.sides[$0].source }, at: date, judge: judge)
        turns[user].compare = round
        for (pane, side) in round.sides.enumerated() {
            let mark: Mark? = switch verdict {
            case .better: pane == winner ? .good : .bad
            case .tie: .good
            case .bothBad: .bad
            case .skip: nil
            }
            if let judge {
                turns[side.reply].mark = mark.map { MarkRecord($0, at: date, judge: judge) }
            } else {
                setMark(mark, on: side.reply, at: date)
            }
        }
        if let winner { select(round.sides[winner].reply) }
    }

    /// Records a judge's pairwise verdict on the compare round under `user` (replacing an earlier one).
    public mutating func setCompareJudgement(_ verdict: PairwiseVerdict?, under user: TurnID) {
        guard turns[user].compare != nil else { preconditionFailure("turn \(user) has no compare round") }
        turns[user].compare?.judgement = verdict
    }

    /// Edits an earlier user message: a new branch starts from that point; the old one stays reachable.
    @discardableResult
    public mutating func editUserMessage(_ id: TurnID, to text: String, at date: Date) -> TurnID {
        precondition(turns[id].role == .user, "only user messages start a new branch")
        return add(parent: turns[id].parent, role: .user, text: text, origin: .typed, at: date, isComplete: true)
    }

    /// Makes `id` the selected alternative at its point (the branch below follows its own selection).
    public mutating func select(_ id: TurnID) {
        var child = id
        while true {
            if let parent = turns[child].parent {
                turns[parent].selectedChild = child
                child = parent
            } else {
                selectedRoot = child
                break
            }
        }
        storedActivePath = Self.walkActivePath(turns: turns, from: selectedRoot)
    }

    /// Selects the neighbouring alternative of `id` (offset -1 or +1, wrapping); returns the new selection.
    @discardableResult
    public mutating func selectAlternative(of id: TurnID, offset: Int) -> TurnID {
        let siblings = alternatives(of: id)
        guard let index = siblings.firstIndex(of: id), siblings.count > 1 else { return id }
        let next = siblings[((index + offset) % siblings.count + siblings.count) % siblings.count]
        select(next)
        return next
    }

    private mutating func add(parent: TurnID?, role: ChatRole, text: String, origin: TurnOrigin, at date: Date,
                              isComplete: Bool) -> TurnID {
        let id = turns.count
        turns.append(Turn(id: id, parent: parent, role: role, text: text, origin: origin, createdAt: date, isComplete: isComplete))
        if let parent {
            turns[parent].children.append(id)
        } else {
            roots.append(id)
        }
        if parent == storedActivePath.last, parent != nil || storedActivePath.isEmpty {
            // Extending the active branch (a new message at its end): no walk needed.
            if let parent { turns[parent].selectedChild = id } else { selectedRoot = id }
            storedActivePath.append(id)
        } else {
            select(id)
        }
        return id
    }
}

/// A stored conversation that does not form a valid tree.
public enum ConversationError: Error, Sendable, Hashable, CustomStringConvertible {
    case inconsistent(String)

    public var description: String {
        switch self {
        case .inconsistent(let reason): "inconsistent conversation tree: \(reason)"
        }
    }
}
