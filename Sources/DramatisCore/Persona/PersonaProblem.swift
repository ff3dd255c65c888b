import Foundation

/// One mistake in a persona file, located by file, line and column (both 1-based).
public struct PersonaProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to the user (relative to the working directory when inside it).
    public var file: String
    /// 1-based line in the whole file (front-matter offset already added).
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// The front-matter field concerned (`temperature`, `examples[1].user`), or nil for file-level problems.
    public var field: String?
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    /// Creates a problem; `file` is the display path.
    public init(file: String, line: Int, column: Int, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `Personas/clippy.md:3:14: temperature: expected a number between 0 and 2, got "hot"`.
    public var description: String {
        if let field { return "\(file):\(line):\(column): \(field): \(message)" }
        return "\(file):\(line):\(column): \(message)"
    }

    /// The path of `url` relative to `base` (default: the working directory) when inside it, else the full path.
    public static func displayPath(for url: URL, relativeTo base: String = FileManager.default.currentDirectoryPath) -> String {
        let path = url.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        if path.hasPrefix(prefix), path.count > prefix.count { return String(path.dropFirst(prefix.count)) }
        return path
    }
}

/// Every problem found in one persona file (never empty).
public struct PersonaProblems: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems in file order.
    public var problems: [PersonaProblem]

    /// Wraps `problems`, sorted by position.
    public init(_ problems: [PersonaProblem]) {
        self.problems = problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
