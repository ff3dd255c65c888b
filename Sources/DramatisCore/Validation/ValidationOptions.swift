/// Settings of one validation run.
public struct ValidationOptions: Sendable {
    /// The format to check, or `nil` to detect it per file from the first valid line.
    public var format: DatasetFormat?
    /// The model whose tokenizer and context limit apply.
    public var model: TrainingModel
    /// How many issues of one category are kept in the report (all are counted).
    public var maxIssuesPerCategory: Int
    /// Fewer examples than this is an error (OpenAI and Azure refuse the upload).
    public var minimumExamples: Int
    /// Fewer examples than this is a warning (OpenAI's guidance: start with about 50).
    public var recommendedExamples: Int
    /// The service the file is for: its accepted formats, byte-order-mark rule and minimum count apply.
    public var target: UploadTarget?

    /// Options with the documented defaults.
    public init(format: DatasetFormat? = nil, model: TrainingModel = .named("gpt-4o-mini"),
                maxIssuesPerCategory: Int = 1000, minimumExamples: Int? = nil, recommendedExamples: Int = 50,
                target: UploadTarget? = nil) {
        self.format = format
        self.model = model
        self.maxIssuesPerCategory = maxIssuesPerCategory
        self.minimumExamples = minimumExamples ?? target?.minimumExamples ?? 10
        self.recommendedExamples = recommendedExamples
        self.target = target
    }
}
