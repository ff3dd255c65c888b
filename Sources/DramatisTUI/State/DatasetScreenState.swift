import DramatisCore

/// The dataset screen: one persona's overview, loading or failed, and the highlighted finding.
public struct DatasetScreenState: Sendable, Hashable {
    public var personaID: String
    public var personaName: String
    /// nil while loading (or after a failure).
    public var overview: DatasetOverview?
    /// Why computing the overview failed, if it did.
    public var error: String?
    /// Index into `overview.entries` (findings, then examples) of the highlighted row.
    public var selection = 0
    /// Whether Esc goes back to the open chat (opened from it) rather than to the picker.
    public var returnsToChat: Bool

    public init(personaID: String, personaName: String, returnsToChat: Bool) {
        self.personaID = personaID
        self.personaName = personaName
        self.returnsToChat = returnsToChat
    }

    /// The highlighted finding or example, if any.
    public var selected: DatasetOverview.Entry? {
        guard let entries = overview?.entries, entries.indices.contains(selection) else { return nil }
        return entries[selection]
    }

    /// Moves the highlight by `delta` rows, kept in range.
    mutating func move(by delta: Int) { select(selection + delta) }

    /// Highlights row `index`, kept in range (`Int.max`: the last row).
    mutating func select(_ index: Int) {
        let count = overview?.entries.count ?? 0
        selection = count == 0 ? 0 : max(0, min(count - 1, index))
    }
}

/// Where to put the message cursor when a transcript opened from the dataset screen arrives.
public struct PendingTurnFocus: Sendable, Hashable {
    public var transcript: String
    public var turn: TurnID?
}
