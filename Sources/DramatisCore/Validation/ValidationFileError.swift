/// A dataset file that could not be read at all (exit status 2 in `dramatis validate`).
public struct ValidationFileError: Error, Sendable, CustomStringConvertible {
    /// The file as named.
    public var file: String
    /// Why it could not be read.
    public var reason: String

    /// Creates the error.
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
