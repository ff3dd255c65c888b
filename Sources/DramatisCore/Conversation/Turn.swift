import Foundation

/// Index of a turn inside its conversation; ids are assigned in creation order from 0.
public typealias TurnID = Int

/// One message in the conversation tree: a user message or an assistant reply.
public struct Turn: Codable, Sendable, Hashable, Identifiable {
    public let id: TurnID
    /// The turn this one answers or follows; nil for a first message.
    public let parent: TurnID?
    public let role: ChatRole
    /// Raw text as typed or received (sanitize before display).
    public var text: String
    public var origin: TurnOrigin
    public var createdAt: Date
    /// False while a reply is still streaming.
    public var isComplete: Bool
    /// Backend details for generated replies.
    public var reply: ReplyMetadata?
    public var mark: MarkRecord?
    /// For an edited reply, the reply it replaces (kept as the rejected version).
    public var editedFrom: TurnID?
    /// A judge persona's verdict on this reply (`dramatis autopilot --judge`, `replay --judge`); nil when never judged.
    public var verdict: JudgeVerdict?
    /// Children in creation order: the alternatives that follow this turn.
    public internal(set) var children: [TurnID]
    /// Which child the active branch follows.
    public internal(set) var selectedChild: TurnID?
    /// On a user turn answered in compare mode: the replies side by side, their sources and the decision.
    public internal(set) var compare: CompareRound?
    /// On a simulated user turn: the user-simulator persona that wrote it (`dramatis autopilot --user`); nil otherwise.
    public var simulatedBy: String?

    public init(id: TurnID, parent: TurnID?, role: ChatRole, text: String, origin: TurnOrigin, createdAt: Date,
                isComplete: Bool = true, reply: ReplyMetadata? = nil, mark: MarkRecord? = nil, editedFrom: TurnID? = nil,
                children: [TurnID] = [], selectedChild: TurnID? = nil, verdict: JudgeVerdict? = nil,
                compare: CompareRound? = nil, simulatedBy: String? = nil) {
        self.id = id
        self.parent = parent
        self.role = role
        self.text = text
        self.origin = origin
        self.createdAt = createdAt
        self.isComplete = isComplete
        self.reply = reply
        self.mark = mark
        self.editedFrom = editedFrom
        self.children = children
        self.selectedChild = selectedChild
        self.verdict = verdict
        self.compare = compare
        self.simulatedBy = simulatedBy
    }

    /// The text sent back to a model as this message: the reply text, or for a reply that only refused, the refusal.
    public var historyText: String {
        if text.isEmpty, let refusal = reply?.refusal, !refusal.isEmpty { return refusal }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case id, parent, role, text, origin, reply, mark, children, verdict, compare
        case createdAt = "created_at"
        case isComplete = "complete"
        case editedFrom = "edited_from"
        case selectedChild = "selected_child"
        case simulatedBy = "simulated_by"
    }
}
