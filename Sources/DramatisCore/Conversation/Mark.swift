import Foundation

/// A person's verdict on an assistant reply.
public enum Mark: String, Codable, Sendable, Hashable, CaseIterable {
    case good
    case bad
}

/// A mark with the time it was made.
public struct MarkRecord: Codable, Sendable, Hashable {
    public var value: Mark
    public var at: Date
    /// True when the person confirmed a good mark on a reply with a `ReplyConcern` (cut off, empty, refusal):
    /// only then does such a reply go into the datasets. Stored only when true (older transcripts stay byte-identical).
    public var confirmed: Bool?
    /// The judge persona whose verdict set this mark (`dramatis autopilot --judge J --auto-mark`); nil for a person's mark.
    public var judge: String?

    public init(_ value: Mark, at: Date, confirmed: Bool = false, judge: String? = nil) {
        self.value = value
        self.at = at
        self.confirmed = confirmed ? true : nil
        self.judge = judge
    }

    /// Whether the mark was confirmed despite the reply's concerns.
    public var isConfirmed: Bool { confirmed == true }
}
