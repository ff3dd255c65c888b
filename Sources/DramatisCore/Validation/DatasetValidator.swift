import Foundation

/// Validates JSONL fine-tuning datasets (chat, DPO, KTO, ShareGPT), streaming the file block by block.
///
/// Reproduces the OpenAI data-prep notebook's checks and statistics and adds the checks an
/// upload needs (JSON/UTF-8 validity, weights, minimum example count, duplicates, over-long
/// examples). Blocks of lines are checked on several threads; results are merged in line order,
/// so reports do not depend on the thread count.
public struct DatasetValidator: Sendable {
    /// The tokenizer that counts (should match `options.model.encoding`).
    public let tokenizer: BPETokenizer
    /// Settings.
    public let options: ValidationOptions
    /// Threads checking blocks at once.
    public let workers: Int

    /// A validator counting with `tokenizer`; `workers` defaults to the number of active cores (at most 8).
    public init(tokenizer: BPETokenizer, options: ValidationOptions = ValidationOptions(), workers: Int? = nil) {
        self.tokenizer = tokenizer
        self.options = options
        self.workers = max(1, workers ?? min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Validates the file at `path`; throws only when it cannot be read.
    public func validate(fileAt path: String) throws(ValidationFileError) -> ValidationReport {
        var reader = try LineReader(path: path)
        defer { reader.close() }
        var run = ValidationRun(file: path, tokenizer: tokenizer, options: options, workers: workers)
        while true {
            var blocks: [[UInt8]] = []
            while blocks.count < workers, let block = try reader.nextBlock() { blocks.append(block) }
            if blocks.isEmpty { break }
            run.process(blocks)
        }
        return run.finish(bytes: reader.bytesRead)
    }

    /// Validates in-memory JSONL `bytes` (tests, small inputs); `name` labels the report.
    public func validate(bytes: [UInt8], name: String) -> ValidationReport {
        var run = ValidationRun(file: name, tokenizer: tokenizer, options: options, workers: 1)
        if !bytes.isEmpty { run.process([bytes]) }
        return run.finish(bytes: bytes.count)
    }
}

/// What checking one line found, before it is merged into the report.
struct LineOutcome {
    var blank = false
    var byteOrderMark = false
    var issues: [(ValidationCategory, ValidationIssue.Severity, String)] = []
    var facts: ExampleFacts?
}

/// Checks lines on its own (one per thread): parsing, format checks, token counts.
struct LineChecker {
    var inspector: LineInspector

    /// Checks one line as `format`; `isFirstLine` enables the byte-order-mark check.
    mutating func check(_ rawLine: UnsafeBufferPointer<UInt8>, isFirstLine: Bool, format: DatasetFormat) -> LineOutcome {
        var outcome = LineOutcome()
        var line = rawLine
        if line.count > 0, line[line.count - 1] == 0x0D { line = UnsafeBufferPointer(rebasing: line[0 ..< line.count - 1]) }
        if isFirstLine, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            outcome.byteOrderMark = true
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            outcome.blank = true
            return outcome
        }
        if let offset = UTF8Check.firstInvalidOffset(line) {
            outcome.issues = [(.invalidUTF8, .error, "invalid UTF-8 at byte \(offset + 1) of the line")]
            return outcome
        }
        guard inspector.parse(line) else {
            outcome.issues = inspector.issues
            return outcome
        }
        outcome.facts = inspector.inspect(as: format)
        outcome.issues = inspector.issues
        return outcome
    }

    /// The format the first JSON-object line of `block` suggests (nil when it has none).
    mutating func detectFormat(in block: UnsafeBufferPointer<UInt8>) -> DatasetFormat? {
        var detected: DatasetFormat?
        forEachLine(in: block) { line in
            guard detected == nil else { return }
            var body = line
            if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF { body = UnsafeBufferPointer(rebasing: body[3...]) }
            if body.count > 0, body[body.count - 1] == 0x0D { body = UnsafeBufferPointer(rebasing: body[0 ..< body.count - 1]) }
            guard UTF8Check.firstInvalidOffset(body) == nil, inspector.parse(body), let keys = inspector.topLevelKeys() else { return }
            detected = DatasetFormat.detect(keys: keys) ?? .chat
        }
        return detected
    }
}

/// Per-block slots shared with the worker threads. `@unchecked Sendable` because every access
/// goes through `lock`; each slot is also only ever used by the one thread checking that block.
private final class BlockSlots<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element]
    init(_ values: [Element]) { storage = values }

    subscript(index: Int) -> Element {
        get { lock.lock(); defer { lock.unlock() }; return storage[index] }
        set { lock.lock(); defer { lock.unlock() }; storage[index] = newValue }
    }

    /// A copy of every slot.
    var values: [Element] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// The state of validating one file: issues, histograms and duplicate hashes.
struct ValidationRun {
    private var report: ValidationReport
    private let options: ValidationOptions
    private var checkers: [LineChecker]
    private var format: DatasetFormat?
    private var lineNumber = 0
    private var messages = Histogram()
    private var totals = Histogram()
    private var assistants = Histogram()
    /// Content hash -> first line with that content (8+8 bytes per distinct example).
    private var seen: [UInt64: Int] = [:]
    /// Content hash -> every line with that content, for contents seen more than once.
    private var exactClusters: [UInt64: [Int]] = [:]
    /// Word-normalised hash -> first line and its content hash; clusters of lines sharing it.
    private var nearSeen: [UInt64: (line: Int, exact: UInt64)] = [:]
    private var nearClusters: [UInt64: [(line: Int, exact: UInt64)]] = [:]
    /// Context hash -> first line and its trained reply (supervised lines).
    private var trainedReplies: [UInt64: (line: Int, reply: UInt64)] = [:]
    /// Judgement key -> first line (preference and KTO lines).
    private var judgements: [UInt64: Int] = [:]
    private var byteOrderMarkSeen = false
    private var firstMissingSystem: Int?
    private var firstMissingUser: Int?
    private var labels = (positive: 0, negative: 0)

    init(file: String, tokenizer: BPETokenizer, options: ValidationOptions, workers: Int) {
        self.options = options
        self.format = options.format
        self.checkers = (0 ..< max(1, workers)).map { _ in
            LineChecker(inspector: LineInspector(counter: TokenCounter(tokenizer: tokenizer)))
        }
        report = ValidationReport(file: file, format: options.format ?? .chat, formatDetected: options.format == nil,
                                  model: options.model.name)
        report.statistics.encoding = tokenizer.encoding
        report.statistics.tokenCountIsEstimate = options.model.isEstimate || tokenizer.encoding != options.model.encoding
        report.statistics.contextLimit = options.model.contextLimit
    }

    /// Checks consecutive blocks of whole lines (in parallel when there are several) and merges them in order.
    mutating func process(_ blocks: [[UInt8]]) {
        if format == nil {
            for block in blocks where format == nil {
                format = block.withUnsafeBufferPointer { checkers[0].detectFormat(in: $0) }
            }
            if let format { report.format = format }
        }
        let format = self.format ?? .chat
        let firstBlockStartsFile = lineNumber == 0
        let results = BlockSlots<[LineOutcome]>(Array(repeating: [], count: blocks.count))
        let checkerSlots = BlockSlots(checkers)
        let work: @Sendable (Int) -> Void = { index in
            var outcomes: [LineOutcome] = []
            var checker = checkerSlots[index]
            var first = firstBlockStartsFile && index == 0
            blocks[index].withUnsafeBufferPointer { block in
                forEachLine(in: block) { line in
                    outcomes.append(checker.check(line, isFirstLine: first, format: format))
                    first = false
                }
            }
            checkerSlots[index] = checker
            results[index] = outcomes
        }
        if blocks.count == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: blocks.count, execute: work)
        }
        checkers = checkerSlots.values
        for outcomes in results.values {
            for outcome in outcomes {
                lineNumber += 1
                merge(outcome, line: lineNumber)
            }
        }
    }

    private mutating func record(_ category: ValidationCategory, _ severity: ValidationIssue.Severity, line: Int?, _ message: String) {
        let name = category.rawValue
        switch severity {
        case .error:
            let count = report.errorCounts[name, default: 0]
            report.errorCounts[name] = count + 1
            if count < options.maxIssuesPerCategory {
                report.errors.append(ValidationIssue(line: line, category: name, message: message, severity: .error))
            }
        case .warning:
            let count = report.warningCounts[name, default: 0]
            report.warningCounts[name] = count + 1
            if count < options.maxIssuesPerCategory {
                report.warnings.append(ValidationIssue(line: line, category: name, message: message, severity: .warning))
            }
        }
    }

    private mutating func merge(_ outcome: LineOutcome, line: Int) {
        if outcome.byteOrderMark {
            byteOrderMarkSeen = true
            if options.target?.wantsByteOrderMark != true {
                record(.byteOrderMark, .warning, line: line, "the file starts with a UTF-8 byte-order mark; some uploaders reject it")
            }
        }
        if outcome.blank {
            record(.blankLine, .warning, line: line, "blank line (skipped; some uploaders reject blank lines)")
            return
        }
        report.statistics.examples += 1
        if outcome.issues.contains(where: { $0.1 == .error }) { report.statistics.examplesWithErrors += 1 }
        for (category, severity, message) in outcome.issues {
            record(category, severity, line: line, message)
        }
        if let facts = outcome.facts { account(facts, line: line) }
    }

    private mutating func account(_ facts: ExampleFacts, line: Int) {
        if let first = seen[facts.contentHash] {
            exactClusters[facts.contentHash, default: [first]].append(line)
        } else {
            seen[facts.contentHash] = line
        }
        if facts.counted {
            if let first = nearSeen[facts.nearHash] {
                nearClusters[facts.nearHash, default: [first]].append((line, facts.contentHash))
            } else {
                nearSeen[facts.nearHash] = (line, facts.contentHash)
            }
        }
        var conflictReported = false
        for trained in facts.trainedReplies {
            if let first = trainedReplies[trained.context] {
                if first.reply != trained.reply, first.line != line, !conflictReported {
                    record(.conflictingReplies, .warning, line: line,
                           "the same conversation up to this reply as line \(first.line) is trained toward a different reply")
                    conflictReported = true
                }
            } else {
                trainedReplies[trained.context] = (line, trained.reply)
            }
        }
        if let judgement = facts.judgement {
            if let first = judgements[judgement.reversed], first != line {
                record(.conflictingReplies, .warning, line: line,
                       facts.label == nil ? "line \(first) prefers the other reply of this same pair"
                                          : "line \(first) labels the same completion to the same prompt \(facts.label! ? "false" : "true")")
            }
            if judgements[judgement.key] == nil { judgements[judgement.key] = line }
        }
        if let label = facts.label {
            if label { labels.positive += 1 } else { labels.negative += 1 }
        }
        guard facts.counted else { return }
        var s = report.statistics
        s.countedExamples += 1
        messages.add(facts.messages)
        totals.add(facts.totalTokens)
        assistants.add(facts.assistantTokens)
        s.assistantTokens += facts.assistantTokens
        s.trainedAssistantTokens += facts.trainedAssistantTokens
        s.billingTokensPerEpoch += min(options.model.contextLimit, facts.totalTokens)
        if !facts.hasSystem {
            s.examplesMissingSystem += 1
            if firstMissingSystem == nil { firstMissingSystem = line }
        }
        if !facts.hasUser {
            s.examplesMissingUser += 1
            if firstMissingUser == nil { firstMissingUser = line }
        }
        let overLimit = facts.totalTokens > options.model.contextLimit
        if overLimit { s.examplesOverLimit += 1 }
        report.statistics = s
        if overLimit {
            record(.exampleTooLong, .warning, line: line,
                   "\(facts.totalTokens) tokens, over the \(options.model.contextLimit)-token training context of \(options.model.name); it will be truncated")
        }
    }

    /// One warning per cluster of identical lines and per cluster of near-duplicates (same words ignoring case,
    /// whitespace and punctuation, not all identical), at the cluster's second line.
    private mutating func reportClusters() {
        func list(_ lines: [Int]) -> String {
            let shown = lines.prefix(10).map(String.init).joined(separator: ", ")
            return lines.count > 10 ? "\(shown) and \(lines.count - 10) more" : shown
        }
        for lines in exactClusters.values.sorted(by: { $0[1] < $1[1] }) {
            record(.duplicateExample, .warning, line: lines[1],
                   "same content as line \(lines[0]) (\(lines.count) identical examples: lines \(list(lines)))")
        }
        let near = nearClusters.values.filter { cluster in Set(cluster.map(\.exact)).count > 1 }
        for cluster in near.sorted(by: { $0[1].line < $1[1].line }) {
            // The first line that is not an exact copy of the cluster's first line.
            guard let second = cluster.first(where: { $0.exact != cluster[0].exact }) else { continue }
            record(.nearDuplicateExample, .warning, line: second.line,
                   "near-duplicate of line \(cluster[0].line): the same words ignoring case, whitespace and punctuation (lines \(list(cluster.map(\.line))))")
        }
    }

    /// File-wide checks and the summary statistics.
    mutating func finish(bytes: Int) -> ValidationReport {
        reportClusters()
        if let target = options.target {
            if target.wantsByteOrderMark, !byteOrderMarkSeen, report.statistics.examples > 0 {
                record(.byteOrderMark, .warning, line: nil,
                       "\(target.rawValue) wants UTF-8 with a byte-order mark and the file has none (dramatis export --target \(target.rawValue) writes one)")
            }
            if !target.acceptedFormats.contains(report.format) {
                record(.targetFormat, .error, line: nil,
                       "\(target.rawValue) does not read \(report.format.rawValue) files; it takes \(target.acceptedFormats.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var s = report.statistics
        s.bytes = bytes
        s.messagesPerExample = messages.summary()
        s.totalTokensPerExample = totals.summary()
        s.assistantTokensPerExample = assistants.summary()
        s.totalTokens = totals.sum
        s.epochs = TrainingCostEstimate.defaultEpochs(examples: s.examples)
        s.billedTokens = s.epochs * s.billingTokensPerEpoch
        report.statistics = s
        if s.examples < options.minimumExamples {
            let who = options.target.map { "\($0.rawValue) fine-tuning" } ?? "fine-tuning"
            record(.tooFewExamples, .error, line: nil,
                   "\(s.examples) example\(s.examples == 1 ? "" : "s"); \(who) needs at least \(options.minimumExamples), the upload would be refused")
        } else if s.examples < options.recommendedExamples {
            record(.fewExamples, .warning, line: nil,
                   "\(s.examples) examples; improvements are usually seen from \(options.recommendedExamples)–100 well-crafted examples")
        }
        if s.examplesMissingSystem > 0 {
            record(.missingSystemMessage, .warning, line: firstMissingSystem,
                   "\(s.examplesMissingSystem) example\(s.examplesMissingSystem == 1 ? " has" : "s have") no system message (first shown)")
        }
        if s.examplesMissingUser > 0 {
            record(.missingUserMessage, .warning, line: firstMissingUser,
                   "\(s.examplesMissingUser) example\(s.examplesMissingUser == 1 ? " has" : "s have") no user message (first shown)")
        }
        if report.format == .trlKTO, labels.positive + labels.negative > 0, labels.positive == 0 || labels.negative == 0 {
            record(.singleLabel, .warning, line: nil,
                   "every label is \(labels.positive > 0 ? "true" : "false"); KTO learns from both desirable and undesirable completions")
        }
        return report
    }
}
