import DramatisBackends
import DramatisCore
import DramatisTestSupport
import DramatisTraining
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The suites that really train or serve adapters, one test at a time (two trainers, or a trainer and an engine, on
/// 2 cores slow each other down far more than 2x). `make test` runs them in a round of their own.
@Suite(.serialized) enum RealTraining {}

extension RealTraining {
/// Real training on the embedded model (small): the run card, the held-out replay, a SIGKILL mid-run, and two
/// adapters served by one engine.
@Suite struct TrainingEndToEndTests {
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
        let scenario = try await TrainedRuns.killedThenRetrained.value
        try #require(scenario.sawProgress, "the run never reported progress")
        #expect(scenario.workerCount > 0, "the Python worker runs as a child of dramatis")
        #expect(scenario.workersGone, "the worker outlived the killed dramatis (PR_SET_PDEATHSIG)")
        #expect(scenario.runsAfterKill == 0, "a killed run is never listed")
        #expect(scenario.folderNamesAfterKill.allSatisfy { $0.hasPrefix(".") }, "\(scenario.folderNamesAfterKill)")
        #expect(scenario.again.status == 0, "stderr: \(scenario.again.stderr.suffix(3000))")
        #expect(scenario.workspace.runs().count == 1)
        #expect(scenario.workspace.runFolderNames().count == 1,
                "the killed run's hidden folder is removed: \(scenario.workspace.runFolderNames())")
    }

    @Test func twoAdaptersOnOneEngineAnswerDifferentlyPerRequest() async throws {
        let (first, _) = try await TrainedRuns.first.value
        let second = try await TrainedRuns.killedThenRetrained.value.workspace
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
        // Per request: the base again after both adapters answered is the same reply (nothing sticks to the slot).
        let again = try await reply([0, 0])
        #expect(again == base)
    }
}
}
