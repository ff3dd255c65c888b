import Foundation

/// Why a tiktoken vocabulary could not be loaded.
public struct TokenizerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The vocabulary file involved.
    public var file: String
    /// 1-based line number inside the vocabulary file, when the problem is on one line.
    public var line: Int?
    /// What went wrong.
    public var reason: String

    /// Creates an error about `file` (and optionally one of its lines).
    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
