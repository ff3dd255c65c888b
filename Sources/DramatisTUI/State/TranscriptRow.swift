import Foundation

/// A saved transcript as the browser lists it.
public struct TranscriptRow: Sendable, Hashable, Identifiable {
    public var id: String
    public var personaID: String
    public var personaName: String
    /// First line of the first user message.
    public var title: String
    public var createdAt: Date
    public var turnCount: Int
    public var markCount: Int
    /// Why the file does not load, for a broken transcript (listed, not openable).
    public var problem: String?

    public init(id: String, personaID: String, personaName: String, title: String, createdAt: Date,
                turnCount: Int, markCount: Int, problem: String? = nil) {
        self.problem = problem
        self.id = id
        self.personaID = personaID
        self.personaName = personaName
        self.title = title
        self.createdAt = createdAt
        self.turnCount = turnCount
        self.markCount = markCount
    }

    /// Whether the filter matches the persona (name or id) or the title (case-insensitive).
    public func matches(_ filter: String) -> Bool {
        let needle = filter.lowercased()
        if needle.isEmpty { return true }
        return [personaName, personaID, title, id].contains { $0.lowercased().contains(needle) }
    }
}
