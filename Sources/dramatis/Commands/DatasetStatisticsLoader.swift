import DramatisCore
import Foundation

/// Computes personas' dataset statistics from a transcript folder, for `dramatis stats` and the TUI's dataset screen.
struct DatasetStatisticsLoader {
    let store: TranscriptStore
    let library: PersonaLibrary
    /// The hosted model whose tokenizer, training context and price apply.
    let model: TrainingModel
    let tokenizerDirectory: URL

    /// The statistics of `personaIDs` (nil: every persona with transcripts, and every student persona of their
    /// teacher/student rounds) and the transcripts that failed to load.
    func compute(personaIDs: [String]?) throws -> (statistics: [DatasetStatistics], failures: [TranscriptError]) {
        let tokenizer = try BPETokenizer.load(encoding: model.encoding, directory: tokenizerDirectory)
        let loaded = store.loadAll(includeSubfolders: false)
        let ids = personaIDs ?? Array(Set(loaded.conversations.flatMap { [$0.persona.id] + StudentExamples.studentPersonaIDs(in: $0) })).sorted()
        let validator = DatasetValidator(tokenizer: tokenizer, options: ValidationOptions(model: model), workers: 1)
        let statistics = ids.map { id in
            DatasetStatistics.compute(personaID: id, conversations: loaded.conversations,
                                      currentSystemPrompt: (try? library.resolve(id))?.systemPrompt, validator: validator)
        }
        return (statistics, loaded.failures)
    }
}
