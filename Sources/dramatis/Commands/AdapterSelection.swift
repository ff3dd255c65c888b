import DramatisBackends
import DramatisCore
import Foundation

/// Resolves `--adapter RUN` / a persona's `adapter:` to a finished training run, for the local model only.
enum AdapterSelection {
    /// The run `reference` names among `persona`'s runs (nil when no adapter is asked for); throws when the run does
    /// not exist or the backend (`backend`, else the persona's) is not the local model.
    static func run(_ reference: String?, persona: Persona, backend: String?, configuration: BackendConfiguration,
                    datasetRoot: URL) throws -> TrainingRuns.Run? {
        guard let reference else { return nil }
        let settings = try configuration.settings(named: backend ?? persona.backend)
        guard settings.kind == .local else {
            throw TrainingRunsError(message: "adapter \(reference): adapters apply to the local model only, and backend "
                + "'\(settings.name)' is \(settings.kind.rawValue)")
        }
        return try TrainingRuns(datasetRoot: datasetRoot, personaID: persona.id).resolve(reference)
    }
}
