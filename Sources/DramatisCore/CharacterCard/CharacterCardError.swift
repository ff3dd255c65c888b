/// Why a character card could not be imported; the import writes nothing when this is thrown.
public struct CharacterCardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The card file as shown to the user.
    public var file: String
    /// What is wrong.
    public var message: String

    /// Creates an error for `file`.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `cards/alice.png: no character card inside (no 'chara' or 'ccv3' tEXt chunk)`.
    public var description: String { "\(file): \(message)" }
}

/// Every card that failed in one import (never empty).
public struct CharacterCardErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failures, in the order the cards were given.
    public var errors: [CharacterCardError]

    /// Wraps `errors`.
    public init(_ errors: [CharacterCardError]) { self.errors = errors }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
