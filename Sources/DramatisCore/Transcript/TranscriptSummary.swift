import Foundation

/// What a transcript list shows about one conversation.
public struct TranscriptSummary: Sendable, Hashable, Codable {
    public var id: String
    public var url: URL
    public var createdAt: Date
    /// Time of the newest turn or mark.
    public var updatedAt: Date
    public var personaID: String
    public var personaName: String
    public var backend: String
    public var model: String
    /// Number of turns (user messages and replies, every branch).
    public var turnCount: Int
    public var markCount: Int
    /// First line of the first user message.
    public var title: String
    public var replayOf: String?

    /// A summary from its parts (a transcript's stored header).
    public init(id: String, url: URL, createdAt: Date, updatedAt: Date, personaID: String, personaName: String,
                backend: String, model: String, turnCount: Int, markCount: Int, title: String, replayOf: String?) {
        self.id = id
        self.url = url
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.personaID = personaID
        self.personaName = personaName
        self.backend = backend
        self.model = model
        self.turnCount = turnCount
        self.markCount = markCount
        self.title = title
        self.replayOf = replayOf
    }

    /// Summarises a loaded conversation stored at `url`.
    public init(_ conversation: Conversation, url: URL) {
        id = conversation.id
        self.url = url
        createdAt = conversation.createdAt
        updatedAt = conversation.updatedAt
        personaID = conversation.persona.id
        personaName = conversation.persona.name
        backend = conversation.backend.name
        model = conversation.persona.model ?? conversation.backend.model
        turnCount = conversation.turns.count
        markCount = conversation.markCount
        title = conversation.title
        replayOf = conversation.replayOf
    }
}

extension Conversation {
    /// Time of the newest turn or mark (the creation time when there is none).
    public var updatedAt: Date {
        turns.reduce(createdAt) { latest, turn in max(latest, turn.createdAt, turn.mark?.at ?? turn.createdAt) }
    }
}

/// One entry of a transcript listing: a readable transcript or a file that failed to load.
public enum TranscriptListing: Sendable, Hashable {
    case valid(TranscriptSummary)
    case invalid(URL, String)

    /// The file this entry describes.
    public var url: URL {
        switch self {
        case .valid(let summary): summary.url
        case .invalid(let url, _): url
        }
    }
}
