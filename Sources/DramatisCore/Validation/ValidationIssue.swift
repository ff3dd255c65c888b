/// One problem found in a dataset: an error (the upload or training would fail) or a warning.
public struct ValidationIssue: Sendable, Hashable, Codable {
    /// How serious an issue is.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    /// 1-based line number in the file, or `nil` for file-wide issues.
    public var line: Int?
    /// Stable machine-readable category (see `ValidationCategory`).
    public var category: String
    /// Human-readable explanation naming the field.
    public var message: String
    /// Error or warning.
    public var severity: Severity

    /// Creates an issue.
    public init(line: Int?, category: String, message: String, severity: Severity) {
        self.line = line
        self.category = category
        self.message = message
        self.severity = severity
    }
}
