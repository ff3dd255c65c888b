import DramatisCore
import DramatisTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// What the kill scenario saw: a second persona's training SIGKILLed once it reported progress, then run again.
    struct KillScenario: Sendable {
        var workspace: TrainingWorkspace
        var sawProgress: Bool
        var workerCount: Int
        var workersGone: Bool
        var runsAfterKill: Int
        var folderNamesAfterKill: [String]
        var again: ProcessResult
    }

    /// The kill scenario, on a persona whose catch-phrase is `otherCatchPhrase` (its run is the second adapter).
    static let killedThenRetrained = Task<KillScenario, Error> {
        let workspace = try TrainingWorkspace(personaID: "quibble")
        try workspace.writeExamples(TrainingExamples.catchPhrase(otherCatchPhrase, count: 16))
        let arguments = ["train", "--persona", "quibble"] + trainingArguments
        let child = try ChildProcess(BuiltProducts.dramatis, arguments, environment: workspace.environment, currentDirectory: workspace.root)
        let output = child.standardOutput!
        // Wait until the worker is training (a progress event), then SIGKILL dramatis.
        let sawProgress = try await onThread { () -> Bool in
            var text = ""
            let deadline = Date().addingTimeInterval(600)
            while Date() < deadline {
                let data = output.availableData
                if data.isEmpty { return false }
                text += String(decoding: data, as: UTF8.self)
                if text.contains(#""event":"progress""#) { return true }
            }
            return false
        }
        let workers = children(of: child.pid)
        child.signal(SIGKILL)
        try await child.wait()
        let workersGone = try await onThread { () -> Bool in
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if workers.allSatisfy({ kill($0, 0) != 0 }) { return true }
                usleep(100_000)
            }
            return false
        }
        let runsAfterKill = workspace.runs().count, namesAfterKill = workspace.runFolderNames()
        let again = try await workspace.dramatis(arguments)
        return KillScenario(workspace: workspace, sawProgress: sawProgress, workerCount: workers.count, workersGone: workersGone,
                            runsAfterKill: runsAfterKill, folderNamesAfterKill: namesAfterKill, again: again)
    }

    /// Process ids whose parent is `pid` (from /proc).
    static func children(of pid: pid_t) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { return false }
            let fields = stat[close.upperBound...].split(separator: " ")
            return fields.count > 2 && pid_t(fields[1]) == pid
        }
    }

    /// The last JSON line of `dramatis train --json` (the finished run or the failure).
    static func lastEvent(_ result: ProcessResult) -> [String: Any]? {
        guard let line = result.stdout.split(separator: "\n").last else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
