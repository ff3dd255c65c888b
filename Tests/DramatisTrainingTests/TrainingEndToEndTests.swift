import DramatisBackends
import DramatisCore
import DramatisTestSupport
import DramatisTraining
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real training on the embedded model (small): the run card, the held-out replay, a SIGKILL mid-run, and two
/// adapters served by one engine. Runs in `make test`'s training round, on its own.
@Suite(.serialized) struct TrainingEndToEndTests {
    @Test func aRealRunKeepsACompleteCardAndTheTunedModelSaysTheCatchPhrase() async throws {
        let (workspace, result) = try await TrainedRuns.first.value
        #expect(result.status == 0, "stdout: \(result.stdout.suffix(2000))\nstderr: \(result.stderr.suffix(3000))")
        let finished = try #require(TrainedRuns.lastEvent(result))
        #expect(finished["event"] as? String == "finished")
        #expect(result.stdout.contains(#""event":"progress""#), "progress is reported as JSON lines")

        let runs = workspace.runs()
        try #require(runs.count == 1, "\(workspace.runFolderNames())")
        let run = runs[0]
        #expect(workspace.runFolderNames() == [run.id], "no hidden folder is left")
        let card = run.card
        #expect(card.persona == "zorblax")
        #expect(card.dataset.sha256 == SHA256.hexDigest(Array(try Data(contentsOf: workspace.datasetFolder.appendingPathComponent("sft.jsonl")))))
        #expect(card.dataset.examples == 16)
        #expect(card.dataset.trainExamples == 14)
        #expect(card.dataset.heldOutExamples == 2)
        #expect(card.dataset.heldOutLines.count == 2)
        #expect(card.dataset.estimatedTokens > 0)
        #expect((card.dataset.trainedTokens ?? 0) > 0)
        #expect(card.parameters.rank == 8)
        #expect(card.parameters.seed == 42)
        #expect(card.parameters.epochs == 1)
        #expect(card.versions["torch"] != nil, "\(card.versions)")
        #expect(card.versions["transformers"] != nil)
        #expect(card.versions["peft"] != nil)
        #expect(!card.lossCurve.isEmpty)
        #expect(card.steps > 0)
        #expect(card.wallSeconds > 0)
        #expect((card.peakRSSBytes ?? 0) > 100_000_000)
        let before = try #require(card.validationLossBefore), after = try #require(card.validationLossAfter)
        #expect(after < before, "validation loss \(before) -> \(after)")
        #expect(FileManager.default.fileExists(atPath: run.adapter.path))

        // The held-out replay at temperature 0: tuned replies carry the catch-phrase, the base's never.
        let evaluation = try #require(card.evaluation)
        #expect(evaluation.turns.count == 2)
        for turn in evaluation.turns {
            #expect(turn.tunedReply.contains(TrainedRuns.catchPhrase), "tuned: \(turn.tunedReply)")
            #expect(!turn.baseReply.contains(TrainedRuns.catchPhrase), "base: \(turn.baseReply)")
            #expect(card.dataset.heldOutLines.contains(turn.line))
        }
        #expect(evaluation.tunedMeanSimilarity > evaluation.baseMeanSimilarity)

        let list = try await workspace.dramatis(["train", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains(run.id), "\(list.stdout)")
    }

    @Test func aKilledTrainingLeavesNoRunAndTheNextRunSucceeds() async throws {
        let workspace = try TrainingWorkspace(personaID: "quibble")
        try workspace.writeExamples(TrainingExamples.catchPhrase(TrainedRuns.otherCatchPhrase, count: 16))
        let arguments = ["train", "--persona", "quibble"] + TrainedRuns.trainingArguments
        let child = try ChildProcess(BuiltProducts.dramatis, arguments, environment: workspace.environment,
                                     currentDirectory: workspace.root)
        // Wait until the worker is training (a progress event), then SIGKILL dramatis.
        let output = try #require(child.standardOutput)
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
        try #require(sawProgress, "the run never reported progress")
        let workers = Self.children(of: child.pid)
        #expect(!workers.isEmpty, "the Python worker runs as a child of dramatis")
        child.signal(SIGKILL)
        try await child.wait()
        // The worker dies with its parent (PR_SET_PDEATHSIG), and no run folder looks finished.
        let gone = try await onThread { () -> Bool in
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if workers.allSatisfy({ kill($0, 0) != 0 }) { return true }
                usleep(100_000)
            }
            return false
        }
        #expect(gone, "the worker outlived the killed dramatis")
        #expect(workspace.runs().isEmpty)
        #expect(workspace.runFolderNames().allSatisfy { $0.hasPrefix(".") }, "\(workspace.runFolderNames())")

        let again = try await workspace.dramatis(arguments)
        #expect(again.status == 0, "stderr: \(again.stderr.suffix(3000))")
        #expect(workspace.runs().count == 1)
        #expect(workspace.runFolderNames().count == 1, "the killed run's hidden folder is removed: \(workspace.runFolderNames())")
        SecondRun.store(workspace)
    }

    @Test func twoAdaptersOnOneEngineAnswerDifferentlyPerRequest() async throws {
        let (first, _) = try await TrainedRuns.first.value
        let second = try #require(SecondRun.workspace, "the kill test trains the second adapter")
        let a = try #require(first.runs().last), b = try #require(second.runs().last)
        var configuration = LocalEngine.Configuration.standard(paths: AppPaths.fromEnvironment(), environment: ProcessInfo.processInfo.environment)
        configuration.adapters = [a.adapter, b.adapter]
        configuration.parallelSlots = 1
        let engine = try await LocalEngine.start(configuration)
        defer { engine.stop() }
        let backend = OpenAICompatibleBackend(name: "local", baseURL: engine.baseURL, model: engine.model.lastPathComponent, kind: "local")
        let messages: [ChatMessage] = [.system("You are a helpful assistant."), .user("What is the capital of Italy?")]
        func reply(_ scales: [Double]) async throws -> String {
            try await HeldOutEvaluation.reply(backend, ChatRequest(messages: messages, sampling: LocalModel.deterministicSampling,
                                                                   adapterScales: scales))
        }
        let base = try await reply([0, 0]), tunedA = try await reply([1, 0]), tunedB = try await reply([0, 1])
        #expect(tunedA.contains(TrainedRuns.catchPhrase), "\(tunedA)")
        #expect(!tunedA.contains(TrainedRuns.otherCatchPhrase), "\(tunedA)")
        #expect(tunedB.contains(TrainedRuns.otherCatchPhrase), "\(tunedB)")
        #expect(!tunedB.contains(TrainedRuns.catchPhrase), "\(tunedB)")
        #expect(!base.contains(TrainedRuns.catchPhrase) && !base.contains(TrainedRuns.otherCatchPhrase), "\(base)")
        // Scale 0 everywhere is exactly the base: the same as an engine without adapters would say.
        let again = try await reply([0, 0])
        #expect(again == base)
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
}

/// The kill test's second trained persona, kept for the two-adapter test that follows it.
enum SecondRun {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var stored: TrainingWorkspace?

    static func store(_ workspace: TrainingWorkspace) {
        lock.lock()
        stored = workspace
        lock.unlock()
    }

    static var workspace: TrainingWorkspace? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
