import DramatisCore

/// What the dataset screen shows for one persona: the same numbers as `dramatis stats`, with each finding and
/// each example pointing at the conversation turn it came from.
public struct DatasetOverview: Sendable, Hashable {
    /// One row that points at a source turn: a problem in the data, or an example.
    public struct Entry: Sendable, Hashable {
        /// The finding's category (`personal_data`, `withheld`, `system_prompt_changed`…), or `example`.
        public var category: String
        /// `transcript turn N (file:line)`.
        public var place: String
        public var message: String
        /// The transcript it came from, when known (then Enter opens it).
        public var transcript: String?
        /// The turn in that transcript, when known.
        public var turn: TurnID?

        public init(category: String, place: String, message: String, transcript: String?, turn: TurnID?) {
            self.category = category
            self.place = place
            self.message = message
            self.transcript = transcript
            self.turn = turn
        }
    }

    public var personaID: String
    public var transcripts: Int
    /// Counts, progress toward 10/50/100/1,000 examples, tokens and cost (as `dramatis stats` prints them).
    public var summary: [String]
    /// Findings grouped by category, in category order.
    public var findings: [Entry]
    /// The SFT examples, in file order.
    public var examples: [Entry]
    /// Marks by source and by day.
    public var marks: [String]

    public init(personaID: String, transcripts: Int, summary: [String], findings: [Entry], examples: [Entry] = [], marks: [String]) {
        self.personaID = personaID
        self.transcripts = transcripts
        self.summary = summary
        self.findings = findings
        self.examples = examples
        self.marks = marks
    }

    /// Every row that can be highlighted: the findings, then the examples.
    public var entries: [Entry] { findings + examples }

    /// The overview of computed statistics.
    public init(_ statistics: DatasetStatistics) {
        self.init(personaID: statistics.personaID, transcripts: statistics.transcripts,
                  summary: DatasetStatisticsRendering.summaryLines(statistics),
                  findings: statistics.findings.flatMap { group in
                      group.items.map { item in
                          Entry(category: group.category, place: DatasetStatisticsRendering.place(of: item),
                                  message: TerminalSanitizer.sanitize(item.message), transcript: item.transcript, turn: item.turn)
                      }
                  },
                  examples: statistics.examples.map { example in
                      Entry(category: "example", place: "\(example.transcript) turn \(example.turn)",
                            message: TerminalSanitizer.sanitize(example.question) + " → " + TerminalSanitizer.sanitize(example.answer),
                            transcript: example.transcript, turn: example.turn)
                  },
                  marks: DatasetStatisticsRendering.markLines(statistics))
    }
}
