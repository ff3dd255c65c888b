import ArgumentParser
import DramatisCore
import Foundation

/// The `--dataset DIR` option of the training commands and `ask`/`replay --adapter`: the root of the
/// persona dataset folders, where each persona's training runs live.
struct DatasetLocationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Root of the fine-tuning files (default: $DRAMATIS_DATASETS, else Datasets/ of the project or the user data folder).", valueName: "DIR"))
    var dataset: String?

    /// The root folder.
    var root: URL { Self.resolve(dataset) }

    /// `option`, else `$DRAMATIS_DATASETS`, else `Datasets/` of the project around the working directory or of the user data folder.
    static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = option ?? environment["DRAMATIS_DATASETS"] {
            return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        }
        return ProjectLocation.current(environment: environment).datasets
    }

    /// The training runs of `personaID`.
    func runs(personaID: String) -> TrainingRuns { TrainingRuns(datasetRoot: root, personaID: personaID) }
}
