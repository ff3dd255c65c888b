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

    public init(_ value: Mark, at: Date) {
        self.value = value
        self.at = at
    }
}
