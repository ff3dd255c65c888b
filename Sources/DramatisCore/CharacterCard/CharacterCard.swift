/// A SillyTavern-style character card (V1, V2 `chara_card_v2` or V3 `chara_card_v3`), as read from JSON or PNG.
public struct CharacterCard: Sendable, Hashable {
    /// Which card specification the file declares.
    public enum Spec: String, Sendable, Hashable {
        case v1 = "V1"
        case v2 = "chara_card_v2"
        case v3 = "chara_card_v3"
    }

    public var spec: Spec
    public var name: String
    public var description: String
    public var personality: String
    public var scenario: String
    /// `first_mes`: the character's first message.
    public var firstMessage: String
    /// `mes_example`: example dialogue in `<START>` blocks.
    public var messageExamples: String
    /// `creator_notes`: for humans, never for prompts.
    public var creatorNotes: String
    public var systemPrompt: String
    public var postHistoryInstructions: String
    public var alternateGreetings: [String]
    /// Card tags: metadata, never part of a prompt.
    public var tags: [String]
    /// Card author: metadata, never part of a prompt.
    public var creator: String
    public var characterVersion: String
    /// V3: replaces `{{char}}` when set.
    public var nickname: String

    /// Creates a card; every text field defaults to empty.
    public init(spec: Spec, name: String, description: String = "", personality: String = "", scenario: String = "",
                firstMessage: String = "", messageExamples: String = "", creatorNotes: String = "", systemPrompt: String = "",
                postHistoryInstructions: String = "", alternateGreetings: [String] = [], tags: [String] = [],
                creator: String = "", characterVersion: String = "", nickname: String = "") {
        self.spec = spec
        self.name = name
        self.description = description
        self.personality = personality
        self.scenario = scenario
        self.firstMessage = firstMessage
        self.messageExamples = messageExamples
        self.creatorNotes = creatorNotes
        self.systemPrompt = systemPrompt
        self.postHistoryInstructions = postHistoryInstructions
        self.alternateGreetings = alternateGreetings
        self.tags = tags
        self.creator = creator
        self.characterVersion = characterVersion
        self.nickname = nickname
    }
}
