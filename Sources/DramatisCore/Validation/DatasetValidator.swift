import Foundation

/// Validates JSONL fine-tuning datasets (chat, DPO, KTO, ShareGPT), streaming the file line by line.
///
/// Reproduces the OpenAI data-prep notebook's checks and statistics and adds the checks an
/// upload needs (JSON/UTF-8 validity, weights, minimum example count, duplicates, over-long examples).
public struct DatasetValidator: Sendable {
    /// The tokenizer that counts (should match `options.model.encoding`).
    public let tokenizer: BPETokenizer
    /// Settings.
    public let options: ValidationOptions

    /// A validator counting with `tokenizer`.
    public init(tokenizer: BPETokenizer, options: ValidationOptions = ValidationOptions()) {
        self.tokenizer = tokenizer
        self.options = options
    }

    /// Validates the file at `path`; throws only when it cannot be read.
    public func validate(fileAt path: String) throws(ValidationFileError) -> ValidationReport {
        var reader = try LineReader(path: path)
        var run = ValidationRun(file: path, tokenizer: tokenizer, options: options)
        do {
            try reader.forEachLine { line, number in run.consume(line, number: number) }
        } catch {
            throw ValidationFileError(file: path, reason: error.reason)
        }
        return run.finish(bytes: reader.bytesRead)
    }

    /// Validates in-memory JSONL `bytes` (tests, stdin); `name` labels the report.
    public func validate(bytes: [UInt8], name: String) -> ValidationReport {
        var run = ValidationRun(file: name, tokenizer: tokenizer, options: options)
        bytes.withUnsafeBufferPointer { all in
            var start = 0, number = 0
            while start < all.count {
                var end = start
                while end < all.count, all[end] != 0x0A { end += 1 }
                number += 1
                run.consume(UnsafeBufferPointer(rebasing: all[start ..< end]), number: number)
                start = end + 1
            }
        }
        return run.finish(bytes: bytes.count)
    }
}

/// The state of validating one file: issues, histograms and duplicate hashes.
struct ValidationRun {
    private var report: ValidationReport
    private let options: ValidationOptions
    private var inspector: LineInspector
    private var format: DatasetFormat?
    private var messages = Histogram()
    private var totals = Histogram()
    private var assistants = Histogram()
    /// Content hash -> first line with that content (8+8 bytes per distinct example).
    private var seen: [UInt64: Int] = [:]
    private var firstMissingSystem: Int?
    private var firstMissingUser: Int?
    private var labels = (positive: 0, negative: 0)

    init(file: String, tokenizer: BPETokenizer, options: ValidationOptions) {
        self.options = options
        self.format = options.format
        self.inspector = LineInspector(counter: TokenCounter(tokenizer: tokenizer))
        report = ValidationReport(file: file, format: options.format ?? .chat, formatDetected: options.format == nil,
                                  model: options.model.name)
        report.statistics.encoding = tokenizer.encoding
        report.statistics.tokenCountIsEstimate = options.model.isEstimate || tokenizer.encoding != options.model.encoding
        report.statistics.contextLimit = options.model.contextLimit
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

    /// Checks one line (without its `\n`).
    mutating func consume(_ rawLine: UnsafeBufferPointer<UInt8>, number: Int) {
        var line = rawLine
        if line.count > 0, line[line.count - 1] == 0x0D { line = UnsafeBufferPointer(rebasing: line[0 ..< line.count - 1]) }
        if number == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            record(.byteOrderMark, .warning, line: 1, "the file starts with a UTF-8 byte-order mark; some uploaders reject it")
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            record(.blankLine, .warning, line: number, "blank line (skipped; some uploaders reject blank lines)")
            return
        }
        report.statistics.examples += 1
        if let offset = UTF8Check.firstInvalidOffset(line) {
            record(.invalidUTF8, .error, line: number, "invalid UTF-8 at byte \(offset + 1) of the line")
            report.statistics.examplesWithErrors += 1
            return
        }
        guard inspector.parse(line) else {
            flushIssues(line: number)
            return
        }
        if format == nil {
            // The first line that is a JSON object decides the file's format.
            if let keys = inspector.topLevelKeys() {
                format = DatasetFormat.detect(keys: keys) ?? .chat
                report.format = format!
            }
        }
        let facts = inspector.inspect(as: format ?? .chat)
        flushIssues(line: number)
        account(facts, line: number)
    }

    private mutating func flushIssues(line: Int) {
        if inspector.issues.contains(where: { $0.1 == .error }) { report.statistics.examplesWithErrors += 1 }
        for (category, severity, message) in inspector.issues {
            record(category, severity, line: line, message)
        }
    }

    private mutating func account(_ facts: ExampleFacts, line: Int) {
        if let first = seen[facts.contentHash] {
            record(.duplicateExample, .warning, line: line, "same content as line \(first)")
        } else {
            seen[facts.contentHash] = line
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
        if facts.totalTokens > options.model.contextLimit {
            s.examplesOverLimit += 1
            report.statistics = s
            record(.exampleTooLong, .warning, line: line,
                   "\(facts.totalTokens) tokens, over the \(options.model.contextLimit)-token training context of \(options.model.name); it will be truncated")
            return
        }
        report.statistics = s
    }

    /// File-wide checks and the summary statistics.
    mutating func finish(bytes: Int) -> ValidationReport {
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
            record(.tooFewExamples, .error, line: nil,
                   "\(s.examples) example\(s.examples == 1 ? "" : "s"); fine-tuning needs at least \(options.minimumExamples), the upload would be refused")
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
