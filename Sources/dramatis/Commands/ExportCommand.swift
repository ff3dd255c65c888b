import ArgumentParser
import DramatisCore
import Foundation

extension ExportFormat: ExpressibleByArgument {}

/// `dramatis export`: rebuilds a dataset file from transcripts.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Rebuild a fine-tuning dataset from transcripts and their marks.",
        discussion: """
        Formats: openai (chat SFT with weights), openai-dpo, trl-kto, trl-dpo, sharegpt.
        Identical examples are written once. The same transcripts always give byte-identical files. \
        A marked reply without text is left out and a refusal marked good is written; both are reported as \
        warnings on stderr. Reasoning is not trained unless --include-reasoning.
        """)

    @OptionGroup var location: TranscriptsLocationOptions
    @Option(help: "Output format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: ExportFormat = .openai
    @Option(help: "Only transcripts of this persona id.") var persona: String?
    @Option(help: ArgumentHelp("Only transcripts created on or after this date (YYYY-MM-DD or ISO-8601 UTC).", valueName: "DATE")) var since: String?
    @Option(name: .customLong("min-marks"), help: "Only transcripts with at least this many marks.") var minMarks: Int = 0
    @Option(help: ArgumentHelp("Write train/validation files with this fraction for training, e.g. 0.9.", valueName: "FRACTION")) var split: Double?
    @Option(help: "Seed of the train/validation split.") var seed: UInt64 = 42
    @Option(name: .shortAndLong, help: ArgumentHelp("Output file (with --split: a folder for train.jsonl and validation.jsonl). Default: standard output.", valueName: "PATH"))
    var out: String?
    @Flag(name: .customLong("include-subfolders"), help: "Also read transcripts in subfolders (e.g. examples/).") var includeSubfolders = false
    @Flag(name: .customLong("include-reasoning"), help: "Put each trained reply's reasoning before its text as <think>…</think> (default: reasoning is left out).")
    var includeReasoning = false

    func validate() throws {
        if let split, !(split > 0 && split < 1) { throw ValidationError("--split must be between 0 and 1 (exclusive), e.g. 0.9") }
        if split != nil, out == nil { throw ValidationError("--split needs --out DIR for train.jsonl and validation.jsonl") }
        if let since, TranscriptDate.date(from: since) == nil { throw ValidationError("--since \(since): expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ") }
        if minMarks < 0 { throw ValidationError("--min-marks must be 0 or more") }
    }

    func run() throws {
        let store = location.store
        let loaded = store.loadAll(includeSubfolders: includeSubfolders)
        for failure in loaded.failures { printError("skipped \(failure)") }
        let options = ExportOptions(format: format, personaID: persona, since: since.flatMap(TranscriptDate.date(from:)),
                                    minMarks: minMarks, split: split, seed: seed, includeReasoning: includeReasoning)
        let result = DatasetExporter(options: options).export(loaded.conversations)
        for warning in result.warnings { printError("warning: \(TerminalSanitizer.sanitize(warning))") }
        if let out {
            if split != nil {
                let folder = URL(fileURLWithPath: out, isDirectory: true)
                try DatasetExporter.write(result.train, to: folder.appendingPathComponent("train.jsonl"))
                try DatasetExporter.write(result.validation, to: folder.appendingPathComponent("validation.jsonl"))
                printError("wrote \(result.train.count) training and \(result.validation.count) validation example(s) to \(folder.path)")
            } else {
                try DatasetExporter.write(result.train, to: URL(fileURLWithPath: out))
                printError("wrote \(result.train.count) example(s) to \(out)")
            }
        } else {
            for line in result.train { print(line) }
        }
        printError("\(result.conversationsUsed) transcript(s) used, \(result.duplicatesDropped) duplicate example(s) dropped, \(loaded.failures.count) unreadable file(s) skipped")
    }
}
