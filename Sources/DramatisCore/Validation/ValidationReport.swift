/// The outcome of validating one dataset file.
public struct ValidationReport: Sendable, Hashable {
    /// The file as named on the command line.
    public var file: String
    /// The format checked against (given or detected).
    public var format: DatasetFormat
    /// True when the format was detected from the first valid line.
    public var formatDetected: Bool
    /// The model whose limits and tokenizer were used.
    public var model: String
    /// Stored errors (at most `maxIssuesPerCategory` per category; see `errorCounts`).
    public var errors: [ValidationIssue] = []
    /// Stored warnings (same cap).
    public var warnings: [ValidationIssue] = []
    /// Every error, counted by category (including those beyond the cap).
    public var errorCounts: [String: Int] = [:]
    /// Every warning, counted by category.
    public var warningCounts: [String: Int] = [:]
    /// The statistics.
    public var statistics = ValidationStatistics()

    /// An empty report for `file`.
    public init(file: String, format: DatasetFormat, formatDetected: Bool, model: String) {
        self.file = file
        self.format = format
        self.formatDetected = formatDetected
        self.model = model
    }

    /// True when nothing was wrong enough to refuse the file.
    public var isValid: Bool { errorCounts.isEmpty }
    /// Total number of errors (stored or not).
    public var errorTotal: Int { errorCounts.values.reduce(0, +) }
    /// Total number of warnings (stored or not).
    public var warningTotal: Int { warningCounts.values.reduce(0, +) }
}
