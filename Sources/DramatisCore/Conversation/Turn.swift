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
    public var reply: ReplyMetadata? {
        get { replyStorage?.value }
        set { replyStorage = newValue.map(Boxed.init) }
    }
    public var mark: MarkRecord?
    /// For an edited reply, the reply it replaces (kept as the rejected version).
    public var editedFrom: TurnID?
    /// A judge persona's verdict on this reply (`dramatis autopilot --judge`, `replay --judge`); nil when never judged.
    public var verdict: JudgeVerdict? {
        get { verdictStorage?.value }
        set { verdictStorage = newValue.map(Boxed.init) }
    }
    /// Children in creation order: the alternatives that follow this turn.
    public internal(set) var children: [TurnID]
    /// Which child the active branch follows.
    public internal(set) var selectedChild: TurnID?
    /// On a user turn answered in compare mode: the replies side by side, their sources and the decision.
    public internal(set) var compare: CompareRound? {
        get { compareStorage?.value }
        set { compareStorage = newValue.map(Boxed.init) }
    }
    /// On a simulated user turn: the user-simulator persona that wrote it (`dramatis autopilot --user`); nil otherwise.
    public var simulatedBy: String?

    // The reply's metadata, a judge's verdict and a compare round are large (about 290, 110 and 220 bytes) and each
    // is on a part of the turns only, so they live on the heap: a turn takes about 180 bytes instead of 790, which is
    // what a 10,000-message transcript's turn arrays cost while it is decoded and while it is open.
    private var replyStorage: Boxed<ReplyMetadata>?
    private var verdictStorage: Boxed<JudgeVerdict>?
    private var compareStorage: Boxed<CompareRound>?

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
        self.replyStorage = reply.map(Boxed.init)
        self.mark = mark
        self.editedFrom = editedFrom
        self.children = children
        self.selectedChild = selectedChild
        self.verdictStorage = verdict.map(Boxed.init)
        self.compareStorage = compare.map(Boxed.init)
        self.simulatedBy = simulatedBy
    }

    // Written out because the heap-kept fields are not stored under their own names; the same keys, the same
    // optional fields left out, as the synthesized coding did.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(TurnID.self, forKey: .id)
        parent = try container.decodeIfPresent(TurnID.self, forKey: .parent)
        role = try container.decode(ChatRole.self, forKey: .role)
        text = try container.decode(String.self, forKey: .text)
        origin = try container.decode(TurnOrigin.self, forKey: .origin)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        isComplete = try container.decode(Bool.self, forKey: .isComplete)
        replyStorage = try container.decodeIfPresent(ReplyMetadata.self, forKey: .reply).map(Boxed.init)
        mark = try container.decodeIfPresent(MarkRecord.self, forKey: .mark)
        editedFrom = try container.decodeIfPresent(TurnID.self, forKey: .editedFrom)
        verdictStorage = try container.decodeIfPresent(JudgeVerdict.self, forKey: .verdict).map(Boxed.init)
        children = try container.decode([TurnID].self, forKey: .children)
        selectedChild = try container.decodeIfPresent(TurnID.self, forKey: .selectedChild)
        compareStorage = try container.decodeIfPresent(CompareRound.self, forKey: .compare).map(Boxed.init)
        simulatedBy = try container.decodeIfPresent(String.self, forKey: .simulatedBy)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(parent, forKey: .parent)
        try container.encode(role, forKey: .role)
        try container.encode(text, forKey: .text)
        try container.encode(origin, forKey: .origin)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(isComplete, forKey: .isComplete)
        try container.encodeIfPresent(reply, forKey: .reply)
        try container.encodeIfPresent(mark, forKey: .mark)
        try container.encodeIfPresent(editedFrom, forKey: .editedFrom)
        try container.encodeIfPresent(verdict, forKey: .verdict)
        try container.encode(children, forKey: .children)
        try container.encodeIfPresent(selectedChild, forKey: .selectedChild)
        try container.encodeIfPresent(compare, forKey: .compare)
        try container.encodeIfPresent(simulatedBy, forKey: .simulatedBy)
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
