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
        let directory = tokenizerDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? AppPaths.fromEnvironment().tokenizerDirectory
        let loader = DatasetStatisticsLoader(store: location.store, library: personas.library(), model: TrainingModel.named(model),
                                             tokenizerDirectory: directory)
        let all: [DatasetStatistics]
        do {
            let result = try loader.compute(personaIDs: persona.map { [$0] })
            for failure in result.failures { printError("skipped \(TerminalSanitizer.sanitize(String(describing: failure)))") }
            all = result.statistics
        } catch {
            printError("dramatis stats: \(TerminalSanitizer.sanitize(String(describing: error)))")
            throw ExitCode(2)
        }
        if json {
            print(DatasetStatisticsRendering.json(all))
        } else {
            if all.isEmpty { print("No transcripts\(persona.map { " of \($0)" } ?? "") in \(location.url.path).") }
            for statistics in all { print(DatasetStatisticsRendering.text(statistics)) }
        }
    }
}
