import ArgumentParser
import DramatisCore
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension UploadTarget: ExpressibleByArgument {}
extension ExampleSelection.TrainedReplies: ExpressibleByArgument {}

/// `dramatis export`: rebuilds a dataset file from transcripts.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Rebuild a fine-tuning dataset from transcripts and their marks.",
        discussion: """
        Formats: openai (chat SFT with weights), openai-dpo, trl-kto, trl-dpo, sharegpt, axolotl (writes
        FILE.axolotl.yaml next to the file), llamafactory, llamafactory-dpo, llamafactory-kto (write or update
        dataset_info.json next to the file).
        Identical examples are written once. The same transcripts always give byte-identical files.
        Never written: preference pairs whose replies are identical ignoring whitespace, and good marks on cut-off,
        empty or refusing replies that were not confirmed.
        A marked reply without text is left out; warnings go to stderr. Reasoning is not trained unless \
        --include-reasoning.
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
    @Option(help: "Upload target: \(UploadTarget.allCases.map(\.rawValue).joined(separator: ", ")) (azure: the file starts with a UTF-8 byte-order mark). Default: upload_target in dramatis.yaml, when it reads the format.")
    var target: UploadTarget?
    @Flag(name: .customLong("no-few-shot"), help: "Leave out the persona's few-shot examples (as train_few_shot: false does).") var noFewShot = false
    @Flag(name: .customLong("no-greeting"), help: "Leave out the persona's greeting (as train_greeting: false does).") var noGreeting = false
    @Option(name: .customLong("train-on"), help: "Which good replies of a supervised example are trained: all, or only the last (default: the persona's train_on, else all).")
    var trainOn: ExampleSelection.TrainedReplies?

    /// Formats whose trainer needs a file written next to the data (so they need --out).
    private var writesTrainerConfig: Bool { [.axolotl, .llamafactory, .llamafactoryDPO, .llamafactoryKTO].contains(format) }
    @Flag(name: .customLong("current-system-prompt"),
          help: "Give every example the persona file's system prompt as it is today (default: the prompt each conversation was made with).")
    var currentSystemPrompt = false
    @OptionGroup var personas: PersonasLocationOptions
    @Flag(name: .customLong("include-reasoning"), help: "Put each trained reply's reasoning before its text as <think>…</think> (default: reasoning is left out).")
    var includeReasoning = false

    func validate() throws {
        if let split, !(split > 0 && split < 1) { throw ValidationError("--split must be between 0 and 1 (exclusive), e.g. 0.9") }
        if split != nil, out == nil { throw ValidationError("--split needs --out DIR for train.jsonl and validation.jsonl") }
        if let since, TranscriptDate.date(from: since) == nil { throw ValidationError("--since \(since): expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ") }
        if minMarks < 0 { throw ValidationError("--min-marks must be 0 or more") }
        if writesTrainerConfig, out == nil { throw ValidationError("--format \(format.rawValue) needs --out: its trainer configuration is written next to the file") }
        if let target, !target.acceptedFormats.contains(format.datasetFormat) {
            throw ValidationError("--target \(target.rawValue) does not read \(format.rawValue) files; it takes \(target.acceptedFormats.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = location.store
        var loaded = store.loadAll(includeSubfolders: includeSubfolders)
        for failure in loaded.failures { printError("skipped \(failure)") }
        if currentSystemPrompt { loaded.conversations = try withCurrentSystemPrompts(loaded.conversations) }
        let configured = try ConfiguredUploadTarget.resolve(target, command: "export")
        // A configured default applies to the formats its service reads; --target was checked in validate().
        let target = configured.flatMap { $0.acceptedFormats.contains(format.datasetFormat) ? $0 : nil }
        // The flags apply on top of each persona's own train_* settings, which the examples follow.
        loaded.conversations = loaded.conversations.map { conversation in
            var conversation = conversation
            if noFewShot { conversation.persona.training.fewShot = false }
            if noGreeting { conversation.persona.training.greeting = false }
            if let trainOn { conversation.persona.training.trainedReplies = trainOn }
            if includeReasoning { conversation.persona.training.includeReasoning = true }
            return conversation
        }
        let options = ExportOptions(format: format, personaID: persona, since: since.flatMap(TranscriptDate.date(from:)),
                                    minMarks: minMarks, split: split, seed: seed)
        let result = DatasetExporter(options: options).export(loaded.conversations)
        let byteOrderMark = target?.wantsByteOrderMark == true
        for warning in result.warnings { printError("warning: \(TerminalSanitizer.sanitize(warning))") }
        if let out {
            var written: [URL] = []
            if split != nil {
                let folder = URL(fileURLWithPath: out, isDirectory: true)
                written = [folder.appendingPathComponent("train.jsonl"), folder.appendingPathComponent("validation.jsonl")]
                try DatasetExporter.write(result.train, to: written[0], byteOrderMark: byteOrderMark)
                try DatasetExporter.write(result.validation, to: written[1], byteOrderMark: byteOrderMark)
                printError("wrote \(result.train.count) training and \(result.validation.count) validation example(s) to \(folder.path)")
            } else {
                written = [URL(fileURLWithPath: out)]
                try DatasetExporter.write(result.train, to: written[0], byteOrderMark: byteOrderMark)
                printError("wrote \(result.train.count) example(s) to \(out)")
            }
            if writesTrainerConfig { try writeTrainerConfig(for: written) }
        } else {
            if byteOrderMark { FileHandle.standardOutput.write(Data([0xEF, 0xBB, 0xBF])) }
            for line in result.train { print(line) }
        }
        // The same views the export used: with --persona, a student's lines (teacher/student rounds) count too.
        let withheld = DatasetExporter(options: options).usedViews(loaded.conversations).flatMap(DatasetExamples.withheld(from:))
        if !withheld.isEmpty {
            printError("\(withheld.count) mark(s) withheld (identical pairs, unconfirmed cut-off/empty/refusing replies); `dramatis stats` lists them")
        }
        printError("\(result.conversationsUsed) transcript(s) used, \(result.duplicatesDropped) duplicate example(s) dropped, \(loaded.failures.count) unreadable file(s) skipped")
    }

    /// The conversations with each persona's system prompt replaced by its persona file's today (a persona whose
    /// file is gone keeps its own, with a warning).
    private func withCurrentSystemPrompts(_ conversations: [Conversation]) throws -> [Conversation] {
        let library = personas.library()
        var missing = Set<String>()
        let result = conversations.map { conversation -> Conversation in
            guard let current = try? library.resolve(conversation.persona.id) else {
                missing.insert(conversation.persona.id)
                return conversation
            }
            var updated = conversation
            updated.persona.systemPrompt = current.systemPrompt
            return updated
        }
        for id in missing.sorted() {
            printError("warning: no persona file for \(TerminalSanitizer.sanitize(id)): its examples keep the system prompt they were made with")
        }
        return result
    }

    /// Writes the Axolotl YAML entry or LLaMA-Factory's `dataset_info.json` next to the exported file(s).
    private func writeTrainerConfig(for files: [URL]) throws {
        let folder = files[0].deletingLastPathComponent()
        let validation = files.count > 1 ? files[1] : nil
        if format == .axolotl {
            let yaml = TrainerConfigFiles.axolotlYAML(train: files[0].path, validation: validation?.path)
            let url = split != nil ? folder.appendingPathComponent("axolotl.yaml")
                                   : files[0].deletingPathExtension().appendingPathExtension("axolotl.yaml")
            try DurableFile.write(Data(yaml.utf8), to: url)
            printError("wrote the Axolotl dataset entry to \(url.path)")
            return
        }
        let stem = "dramatis_" + (persona ?? "all").map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
        let kind = format == .llamafactory ? "" : "_" + format.rawValue.replacingOccurrences(of: "llamafactory-", with: "")
        var entries = [(name: stem + kind + (validation == nil ? "" : "_train"), file: files[0].lastPathComponent)]
        if let validation { entries.append((stem + kind + "_validation", validation.lastPathComponent)) }
        let url = folder.appendingPathComponent("dataset_info.json")
        let data = try TrainerConfigFiles.llamaFactoryDatasetInfo(format: format, entries: entries, existing: try? Data(contentsOf: url))
        try DurableFile.write(data, to: url)
        printError("wrote LLaMA-Factory's dataset_info.json entry \(entries.map(\.name).joined(separator: ", ")) to \(url.path)")
    }
}
