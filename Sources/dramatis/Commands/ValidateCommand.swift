import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis validate FILE…`: checks fine-tuning JSONL files and prints the notebook's statistics.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check fine-tuning JSONL files (chat, DPO, KTO, ShareGPT) and count their tokens exactly.",
        discussion: """
            Reproduces the OpenAI data-prep notebook's checks and statistics, streaming each file.
            Exit status: 0 no errors, 1 errors found, 2 a file (or the tokenizer) could not be read.
            Formats: chat, openai-dpo, trl-dpo, trl-kto, sharegpt (detected from the first valid line by default).
            Also flags what hurts training: identical and near-duplicate examples (clusters), conflicting replies to the
            same conversation, blank, refusing or cut-off trained replies, API keys, e-mail addresses and phone numbers
            (named by line, masked), examples over the model's context.
            """)

    @Argument(help: "JSONL files to check ('-' reads standard input).")
    var files: [String]

    @Option(help: "Dataset format: chat, openai-dpo, trl-dpo, trl-kto, sharegpt (default: detect per file).")
    var format: String?

    @Flag(help: "Print a machine-readable JSON report.")
    var json = false

    @Option(help: "Upload target whose rules apply: \(UploadTarget.allCases.map(\.rawValue).joined(separator: ", ")) (formats it reads, byte-order mark, minimum example count). Default: upload_target in dramatis.yaml.")
    var target: UploadTarget?

    @Option(help: "Model whose tokenizer and training context apply (OpenAI names count exactly; others are a labelled o200k_base estimate).")
    var model = "gpt-4o-mini"

    @Option(help: "How many issues of each category to list (all are counted).")
    var maxIssues = 1000

    @Option(help: "Folder holding o200k_base.tiktoken and cl100k_base.tiktoken (default: the Dramatis cache).")
    var tokenizerDirectory: String?

    @Option(help: "Threads checking lines (default: the number of cores, at most 8); reports do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let format, DatasetFormat(rawValue: format) == nil {
            throw ValidationError("unknown --format '\(format)'; use one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if maxIssues < 0 { throw ValidationError("--max-issues must be 0 or more") }
        if let threads, threads < 1 || threads > 64 { throw ValidationError("--threads must be between 1 and 64") }
    }

    func run() throws {
        let trainingModel = TrainingModel.named(model)
        let directory = tokenizerDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? AppPaths.fromEnvironment().tokenizerDirectory
        let tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer.load(encoding: trainingModel.encoding, directory: directory)
        } catch {
            FileHandle.standardError.write(Data("dramatis validate: \(TerminalSanitizer.sanitize(String(describing: error)))\n".utf8))
            throw ExitCode(2)
        }
        let options = ValidationOptions(format: format.flatMap(DatasetFormat.init(rawValue:)), model: trainingModel,
                                        maxIssuesPerCategory: maxIssues,
                                        target: try ConfiguredUploadTarget.resolve(target, command: "validate"))
        let validator = DatasetValidator(tokenizer: tokenizer, options: options, workers: threads)
        var reports: [ValidationReport] = []
        var unreadable = false
        for file in files {
            do {
                reports.append(try validator.validate(fileAt: file == "-" ? "/dev/stdin" : file))
                if file == "-" { reports[reports.count - 1].file = "-" }
            } catch {
                unreadable = true
                var report = ValidationReport(file: file, format: options.format ?? .chat, formatDetected: options.format == nil,
                                              model: trainingModel.name)
                report.errors = [ValidationIssue(line: nil, category: ValidationCategory.fileUnreadable.rawValue,
                                                 message: "cannot read the file: \(error.reason)", severity: .error)]
                report.errorCounts = [ValidationCategory.fileUnreadable.rawValue: 1]
                reports.append(report)
                if !json {
                    FileHandle.standardError.write(Data("dramatis validate: \(TerminalSanitizer.sanitize(file)): cannot read the file: \(error.reason)\n".utf8))
                }
            }
        }
        if json {
            print(reports.count == 1 ? ValidationReportRendering.json(reports[0]) : ValidationReportRendering.json(reports))
        } else {
            for report in reports where report.errorCounts[ValidationCategory.fileUnreadable.rawValue] == nil {
                print(ValidationReportRendering.text(report))
            }
        }
        if unreadable { throw ExitCode(2) }
        if reports.contains(where: { !$0.isValid }) { throw ExitCode(1) }
    }
}
