import ArgumentParser
import DramatisCore
import Foundation

/// The `--dataset DIR` option of the training commands and `ask`/`replay --adapter`: the root of the
/// persona dataset folders, where each persona's training runs live.
struct DatasetLocationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Root of the fine-tuning files (default: $DRAMATIS_DATASETS or ./Datasets).", valueName: "DIR"))
    var dataset: String?

    /// The root folder.
    var root: URL {
        URL(fileURLWithPath: dataset ?? ProcessInfo.processInfo.environment["DRAMATIS_DATASETS"] ?? "Datasets", isDirectory: true)
            .standardizedFileURL
    }

    /// The training runs of `personaID`.
    func runs(personaID: String) -> TrainingRuns { TrainingRuns(datasetRoot: root, personaID: personaID) }
}
