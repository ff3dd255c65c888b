import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis stats`: what a persona's dataset holds, how far it is from useful, what it costs and what is wrong in it.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a persona's dataset: examples, progress, tokens, cost, problems (with their source turn), marks.",
        discussion: """
            Computed from the transcripts (the source of truth), exactly as the recorder derives sft.jsonl and
            preference.jsonl. Without --persona every persona with transcripts is shown.
            """)

    @OptionGroup var location: TranscriptsLocationOptions
    @OptionGroup var personas: PersonasLocationOptions
    @Option(help: "Only this persona id.") var persona: String?
    @Flag(help: "Print JSON (an array with one object per persona).") var json = false
    @Option(help: "Hosted model whose tokenizer, training context and price apply.") var model = "gpt-4o-mini"
    @Option(help: "Folder holding o200k_base.tiktoken and cl100k_base.tiktoken (default: the Dramatis cache).")
    var tokenizerDirectory: String?

    func run() throws {
        let trainingModel = TrainingModel.named(model)
        let directory = tokenizerDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? AppPaths.fromEnvironment().tokenizerDirectory
        let tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer.load(encoding: trainingModel.encoding, directory: directory)
        } catch {
            printError("dramatis stats: \(TerminalSanitizer.sanitize(String(describing: error)))")
            throw ExitCode(2)
        }
        let loaded = location.store.loadAll(includeSubfolders: false)
        for failure in loaded.failures { printError("skipped \(TerminalSanitizer.sanitize(String(describing: failure)))") }
        let ids = persona.map { [$0] } ?? Array(Set(loaded.conversations.map(\.persona.id))).sorted()
        let library = personas.library()
        let validator = DatasetValidator(tokenizer: tokenizer, options: ValidationOptions(model: trainingModel), workers: 1)
        let all = ids.map { id in
            DatasetStatistics.compute(personaID: id, conversations: loaded.conversations,
                                      currentSystemPrompt: (try? library.resolve(id))?.systemPrompt, validator: validator)
        }
        if json {
            print(DatasetStatisticsRendering.json(all))
        } else {
            if all.isEmpty { print("No transcripts\(persona.map { " of \($0)" } ?? "") in \(location.url.path).") }
            for statistics in all { print(DatasetStatisticsRendering.text(statistics)) }
        }
    }
}
