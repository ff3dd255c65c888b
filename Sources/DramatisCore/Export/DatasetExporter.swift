import Foundation

/// What to export and how: format, filters and an optional train/validation split.
public struct ExportOptions: Sendable, Hashable {
    public var format: ExportFormat
    /// Only conversations with this persona id.
    public var personaID: String?
    /// Only conversations created at or after this date.
    public var since: Date?
    /// Only conversations with at least this many marks.
    public var minMarks: Int
    /// Fraction of examples for the training file (e.g. 0.9); nil writes one file.
    public var split: Double?
    /// Seed of the deterministic split.
    public var seed: UInt64
    /// Few-shot examples, greeting, which replies are trained.
    public var selection: ExampleSelection?

    public init(format: ExportFormat, personaID: String? = nil, since: Date? = nil, minMarks: Int = 0,
                split: Double? = nil, seed: UInt64 = 42, selection: ExampleSelection? = nil) {
        self.format = format
        self.personaID = personaID
        self.since = since
        self.minMarks = minMarks
        self.split = split
        self.seed = seed
        self.selection = selection
    }
}

/// The lines of an export and what happened on the way.
public struct ExportResult: Sendable, Hashable {
    /// All lines (training lines when split), in conversation-id order, duplicates removed.
    public var train: [String]
    /// Validation lines when split, else empty.
    public var validation: [String]
    /// Conversations that passed the filters.
    public var conversationsUsed: Int
    /// Identical examples dropped (only the first is kept).
    public var duplicatesDropped: Int
    /// Marked replies left out (no text) or written with a caveat (a refusal marked good), one line each.
    public var warnings: [String] = []
}

/// Rebuilds a dataset from transcripts: filters, dedupes, splits; same input gives the same bytes.
public struct DatasetExporter: Sendable {
    public var options: ExportOptions

    public init(options: ExportOptions) {
        self.options = options
    }

    /// Whether `conversation` passes the persona, date and mark-count filters.
    public func includes(_ conversation: Conversation) -> Bool {
        if let personaID = options.personaID, conversation.persona.id != personaID { return false }
        if let since = options.since, conversation.createdAt < since { return false }
        return conversation.markCount >= options.minMarks
    }

    /// The conversations an export of `conversations` uses, by id: those passing the filters and, with a persona
    /// filter, the student views of conversations naming that persona as a teacher/student round's student (the
    /// teacher's good replies and teacher-vs-student pairs, as the recorder writes them).
    public func usedViews(_ conversations: [Conversation]) -> [Conversation] {
        let views = options.personaID.map { id in conversations.compactMap { StudentExamples.datasetView(of: $0, for: id) } } ?? conversations
        return views.filter(includes).sorted { $0.id < $1.id }
    }

    /// The export of `conversations` (any order; sorted by id here).
    public func export(_ conversations: [Conversation]) -> ExportResult {
        let used = usedViews(conversations)
        var seen = Set<String>()
        var lines: [String] = []
        var dropped = 0
        let warnings = used.flatMap(DatasetExamples.warnings(for:))
        for conversation in used {
            for line in options.format.lines(for: conversation, selection: options.selection) {
                if seen.insert(line).inserted { lines.append(line) } else { dropped += 1 }
            }
        }
        guard let split = options.split else {
            return ExportResult(train: lines, validation: [], conversationsUsed: used.count, duplicatesDropped: dropped, warnings: warnings)
        }
        let order = SplitMix64.shuffledIndices(lines.count, seed: options.seed)
        let trainCount = Int((Double(lines.count) * min(max(split, 0), 1)).rounded())
        let trainIndices = Set(order.prefix(trainCount))
        var train: [String] = [], validation: [String] = []
        for (index, line) in lines.enumerated() {
            if trainIndices.contains(index) { train.append(line) } else { validation.append(line) }
        }
        return ExportResult(train: train, validation: validation, conversationsUsed: used.count, duplicatesDropped: dropped, warnings: warnings)
    }

    /// Writes lines as JSONL (one line each, trailing newline), atomically with private permissions;
    /// `byteOrderMark` starts the file with the UTF-8 BOM (Azure's fine-tuning docs ask for one).
    public static func write(_ lines: [String], to url: URL, byteOrderMark: Bool = false) throws {
        var data = Data(byteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
        for line in lines {
            data.append(contentsOf: line.utf8)
            data.append(0x0A)
        }
        try DurableFile.write(data, to: url)
        // A killed earlier export leaves its temporary file next to the destination.
        DurableFile.removeAbandonedTemporaries(in: url.deletingLastPathComponent())
    }
}

/// A small seeded random generator (SplitMix64) so splits are the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `0..<count` shuffled by `seed`: our own Fisher-Yates (not the standard library's shuffle, whose algorithm may
    /// change between releases), so a seed gives the same order everywhere.
    public static func shuffledIndices(_ count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var generator = SplitMix64(seed: seed)
        if order.count > 1 {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
        }
        return order
    }
}
