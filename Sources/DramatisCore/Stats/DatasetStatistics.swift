import Foundation

/// One problem in a persona's dataset, traced to the transcript and turn it came from.
public struct DatasetFinding: Sendable, Hashable {
    /// A validator category (`ValidationCategory`), or `withheld` / `system_prompt_changed`.
    public var category: String
    public var message: String
    /// The transcript id and turn the example came from (the good reply it ends with), when known.
    public var transcript: String?
    public var turn: TurnID?
    /// The derived file and line the validator reported it on (`sft.jsonl`, `preference.jsonl`), if any.
    public var file: String?
    public var line: Int?
}

/// A step on the way to a useful dataset: how many examples and what that amount is good for.
public struct DatasetMilestone: Sendable, Hashable {
    public var examples: Int
    public var meaning: String

    /// 10 / 50 / 100 / 1,000 examples, with what each means (OpenAI's and Azure's guidance).
    public static let all = [
        DatasetMilestone(examples: 10, meaning: "the minimum OpenAI and Azure accept for an upload"),
        DatasetMilestone(examples: 50, meaning: "where improvements usually start to show (OpenAI suggests starting here)"),
        DatasetMilestone(examples: 100, meaning: "clear gains from 50-100 well-crafted examples; enough to judge the approach"),
        DatasetMilestone(examples: 1_000, meaning: "hundreds to thousands: preference training and robust style"),
    ]
}

/// What `dramatis stats` shows for one persona: counts, progress, tokens, cost, findings, marks.
public struct DatasetStatistics: Sendable {
    public var personaID: String
    public var transcripts: Int
    public var sftExamples: Int
    public var preferencePairs: Int
    public var ktoGood: Int
    public var ktoBad: Int
    /// The validator's report over the SFT lines (tokens, distributions, billed tokens).
    public var sftReport: ValidationReport
    /// The training model's price per million training tokens, when known.
    public var pricePerMillionTokens: Double?
    /// Findings grouped by category, each in transcript/turn order.
    public var findings: [(category: String, items: [DatasetFinding])]
    /// Marks by how the reply came to be (generated, edited, original, greeting).
    public var marksBySource: [(source: String, count: Int)]
    /// Marks by UTC day (YYYY-MM-DD) they were made.
    public var marksByDay: [(day: String, count: Int)]
    /// Every SFT example (deduplicated, in file order): where it ends and its last exchange, for the dataset screen.
    public var examples: [DatasetExampleSource] = []
    /// Compare-mode decisions over the persona's transcripts (empty when none was compared).
    public var compareTally = CompareTally()

    /// Estimated training cost in US dollars (billed tokens × price), when the price is known.
    public var estimatedCost: Double? {
        pricePerMillionTokens.map { Double(sftReport.statistics.billedTokens) / 1_000_000 * $0 }
    }

    /// Computes the statistics of `personaID`'s conversations; `currentSystemPrompt` is the persona file's prompt
    /// today (nil when the persona file is gone), `validator` counts tokens and finds problems.
    public static func compute(personaID: String, conversations: [Conversation], currentSystemPrompt: String?,
                               validator: DatasetValidator) -> DatasetStatistics {
        // The persona's own conversations and, as the recorder writes them, the student views of teacher/student
        // rounds naming it as the student (`StudentExamples`).
        let own = conversations.compactMap { StudentExamples.datasetView(of: $0, for: personaID) }.sorted { $0.id < $1.id }
        var sft = DerivedLines(), preference = DerivedLines()
        var ktoGood = 0, ktoBad = 0
        var withheld: [DatasetFinding] = []
        var changed: [DatasetFinding] = []
        var bySource: [String: Int] = [:], byDay: [String: Int] = [:]
        var examples: [DatasetExampleSource] = []
        var tally = CompareTally()
        // The compare tally counts the persona's own chats only.
        for conversation in conversations where conversation.persona.id == personaID { tally.add(conversation) }
        for conversation in own {
            for example in DatasetExamples.sft(from: conversation) {
                if sft.add(DatasetLine.openAI(example).serialized(), conversation.id, example.endTurn) {
                    examples.append(DatasetExampleSource(example))
                }
            }
            for pair in DatasetExamples.preferencePairs(from: conversation) {
                preference.add(DatasetLine.openAIDPO(pair).serialized(), conversation.id, pair.chosenTurn)
            }
            for item in DatasetExamples.labeledCompletions(from: conversation) {
                if item.label { ktoGood += 1 } else { ktoBad += 1 }
            }
            for item in DatasetExamples.withheld(from: conversation) {
                withheld.append(DatasetFinding(category: "withheld", message: item.message, transcript: conversation.id, turn: item.turn))
            }
            if let currentSystemPrompt, conversation.persona.systemPrompt != currentSystemPrompt, conversation.markCount > 0 {
                changed.append(DatasetFinding(category: "system_prompt_changed",
                                              message: "marked with an older system prompt of \(personaID) (the persona was edited since); its examples keep the prompt it was made with (`dramatis export --persona \(personaID) --current-system-prompt` uses today's)",
                                              transcript: conversation.id))
            }
            for turn in conversation.turns {
                guard let mark = turn.mark else { continue }
                bySource[turn.origin.rawValue, default: 0] += 1
                byDay[String(TranscriptDate.string(from: mark.at).prefix(10)), default: 0] += 1
            }
        }
        let sftReport = validator.validate(bytes: sft.bytes, name: Recorder.sftFileName)
        let preferenceReport = validator.validate(bytes: preference.bytes, name: Recorder.preferenceFileName)
        var grouped: [String: [DatasetFinding]] = [:]
        for (report, lines) in [(sftReport, sft), (preferenceReport, preference)] {
            for issue in report.errors + report.warnings {
                // File-wide counts (too few examples…) are what the progress shows; per-line issues name their source.
                guard let line = issue.line, line <= lines.sources.count else { continue }
                let source = lines.sources[line - 1]
                grouped[issue.category, default: []].append(DatasetFinding(category: issue.category, message: issue.message,
                                                                           transcript: source.transcript, turn: source.turn,
                                                                           file: report.file, line: line))
            }
        }
        if !withheld.isEmpty { grouped["withheld"] = withheld }
        if !changed.isEmpty { grouped["system_prompt_changed"] = changed }
        var statistics = DatasetStatistics(
            personaID: personaID, transcripts: own.count, sftExamples: sft.sources.count, preferencePairs: preference.sources.count,
            ktoGood: ktoGood, ktoBad: ktoBad, sftReport: sftReport,
            pricePerMillionTokens: TrainingCostEstimate.pricePerMillionTrainingTokens(model: validator.options.model.name),
            findings: grouped.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            marksBySource: bySource.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            marksByDay: byDay.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, examples: examples)
        statistics.compareTally = tally
        return statistics
    }
}

/// Derived dataset lines (deduplicated like the recorder and `export`) and where each came from.
private struct DerivedLines {
    private var seen = Set<String>()
    private(set) var bytes: [UInt8] = []
    private(set) var sources: [(transcript: String, turn: TurnID)] = []

    /// Adds the line unless an identical one is there; whether it was added.
    @discardableResult
    mutating func add(_ line: String, _ transcript: String, _ turn: TurnID) -> Bool {
        guard seen.insert(line).inserted else { return false }
        bytes += line.utf8
        bytes.append(0x0A)
        sources.append((transcript, turn))
        return true
    }
}

/// One SFT example as the dataset screen lists it: where it ends and the exchange it trains.
public struct DatasetExampleSource: Sendable, Hashable {
    public var transcript: String
    /// The example's last good reply.
    public var turn: TurnID
    /// The last user message before that reply.
    public var question: String
    /// That reply.
    public var answer: String

    /// The source of `example`.
    public init(_ example: SFTExample) {
        transcript = example.conversationID
        turn = example.endTurn
        answer = example.messages.last(where: { $0.role == .assistant })?.content ?? ""
        question = example.messages.last(where: { $0.role == .user })?.content ?? ""
    }
}
