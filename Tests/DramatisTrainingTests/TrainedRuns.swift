import DramatisCore
import DramatisTestSupport
import Foundation

/// Real training runs shared by the end-to-end tests (each trained once per test process, on demand).
enum TrainedRuns {
    /// The catch-phrase of the first persona; the base model never says it.
    static let catchPhrase = "Zorblax!"
    /// The second persona's, for the two-adapter test.
    static let otherCatchPhrase = "Quibbleflux!"

    /// Options small enough to train 16 examples well under a minute, strong enough to learn a catch-phrase.
    static let trainingArguments = ["--epochs", "1", "--rank", "8", "--seed", "42", "--json"]

    /// A persona trained on 16 examples starting with `catchPhrase`: its workspace, the command's output and the run.
    static let first = Task<(TrainingWorkspace, ProcessResult), Error> {
        let workspace = try TrainingWorkspace(personaID: "zorblax")
        try workspace.writeExamples(TrainingExamples.catchPhrase(catchPhrase, count: 16))
        let result = try await workspace.dramatis(["train", "--persona", "zorblax"] + trainingArguments)
        return (workspace, result)
    }

    /// The last JSON line of `dramatis train --json` (the finished run or the failure).
    static func lastEvent(_ result: ProcessResult) -> [String: Any]? {
        guard let line = result.stdout.split(separator: "\n").last else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
