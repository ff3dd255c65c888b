/// Previously sent inputs, browsed with Up/Down like a shell history. Pure value type.
public struct InputHistory: Sendable, Hashable {
    public private(set) var entries: [String]
    /// Index into `entries` while browsing; nil when editing a fresh line.
    public private(set) var position: Int?
    /// What was being typed before browsing started (restored when stepping past the newest entry).
    private var draft: String = ""

    public init(entries: [String] = []) {
        self.entries = entries
    }

    /// Remembers a sent input (consecutive duplicates are kept once) and stops browsing.
    public mutating func add(_ entry: String) {
        if !entry.isEmpty, entries.last != entry { entries.append(entry) }
        position = nil
        draft = ""
    }

    /// The entry before the current one, or nil when there is none. `current` is saved as the draft.
    public mutating func previous(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        switch position {
        case nil:
            draft = current
            position = entries.count - 1
        case let index? where index > 0:
            position = index - 1
        default:
            return nil
        }
        return entries[position!]
    }

    /// The entry after the current one, the saved draft after the newest, or nil when not browsing.
    public mutating func next() -> String? {
        guard let index = position else { return nil }
        if index + 1 < entries.count {
            position = index + 1
            return entries[index + 1]
        }
        position = nil
        return draft
    }

    /// Stops browsing (after the user edits a recalled entry).
    public mutating func reset() { position = nil }
}
