import DramatisBackends
import DramatisCore
import Foundation

/// What a running training reports, in order: preparation steps, the worker's events, the evaluation, the end.
public enum TrainingUpdate: Sendable {
    /// A preparation step (checking the dataset, the venv, the split…), in words.
    case note(String)
    /// An event of the worker.
    case worker(TrainingEvent)
    /// The held-out replay: `done` of `total` prompts answered by base and tuned.
    case evaluating(done: Int, total: Int)
}

/// Where a run reads and writes: the persona's dataset folder, the app's cache and the engine.
public struct TrainingContext: Sendable {
    public var personaID: String
    /// Root of the datasets (`Datasets/`); the persona's examples are `<root>/<persona>/sft.jsonl`.
    public var datasetRoot: URL
    public var paths: AppPaths
    public var environment: [String: String]
    /// The trainer folder (nil: `TrainerLocation.resolve`).
    public var trainerDirectory: URL?
    /// Where the venv script's progress goes (a file descriptor; stderr by default).
    public var setupProgress: Int32

    public init(personaID: String, datasetRoot: URL, paths: AppPaths, environment: [String: String],
                trainerDirectory: URL? = nil, setupProgress: Int32 = 2) {
        self.personaID = personaID
        self.datasetRoot = datasetRoot
        self.paths = paths
        self.environment = environment
        self.trainerDirectory = trainerDirectory
        self.setupProgress = setupProgress
    }

    /// The persona's dataset folder.
    public var personaFolder: URL { datasetRoot.appendingPathComponent(personaID, isDirectory: true) }
    /// The persona's runs.
    public var runs: TrainingRuns { TrainingRuns(datasetRoot: datasetRoot, personaID: personaID) }
    /// The engine (binary and base model) the adapter is for and is evaluated on.
    public var engineLocation: LocalEngineLocation { .resolve(paths: paths, environment: environment) }
}

/// One training run from the persona's dataset to a committed run folder (adapter + run card).
public enum TrainingSession {
    /// Checks the input and the machine, trains, evaluates and commits the run; on any failure or cancellation
    /// no run folder is left (a killed process's hidden folder is removed by the next run).
    /// `started` receives the worker once it runs (to pause or cancel it).
    public static func run(_ context: TrainingContext, options: TrainingOptions,
                           update: @escaping @Sendable (TrainingUpdate) -> Void,
                           started: @escaping @Sendable (any TrainingWorker) -> Void = { _ in }) async throws -> TrainingRuns.Run {
        let clock = ContinuousClock(), began = clock.now, startDate = Date()
        guard TrainingOptions.methods.contains(options.method) else {
            throw TrainingError.refused("unknown method '\(options.method)'; use \(TrainingOptions.methods.joined(separator: " or "))")
        }
        // 1. The data, before anything slow.
        let tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer.load(encoding: .o200kBase, directory: context.paths.tokenizerDirectory)
        } catch {
            throw TrainingError.environment("cannot load the tokenizer the validator counts with: \(error) (run `make setup`)")
        }
        let sftFile = context.personaFolder.appendingPathComponent(Recorder.sftFileName)
        let dataset: TrainingDataset
        do {
            dataset = try TrainingDataset.load(sftFile, tokenizer: tokenizer)
        } catch let error as TrainingDatasetError {
            throw TrainingError.refused(error.description)
        }
        let split = dataset.split(validationFraction: options.validationFraction, seed: options.seed)
        var preferenceRows: [String]?
        if options.method == "sft+dpo" {
            let heldOutPrompts = Set(split.heldOut.compactMap { $0.evaluationPrompt()?.messages })
            preferenceRows = try PreferenceConversion.trlRows(
                from: context.personaFolder.appendingPathComponent(Recorder.preferenceFileName), excludingPrompts: heldOutPrompts)
        }
        try context.engineLocation.validate()
        // 2. The machine.
        let runs = context.runs
        try TrainingPreflight.check(runsDirectory: runs.directory, cacheDirectory: context.paths.cacheRoot)
        let trainerDirectory = try context.trainerDirectory ?? TrainerLocation.resolve(environment: context.environment)
        update(.note("preparing the trainer's Python environment (the first time downloads several GB)"))
        let environment = try await TrainerEnvironment.prepare(trainerDirectory: trainerDirectory, progress: context.setupProgress)

        // 3. The run folder, hidden until complete.
        let runID = runs.newRunID(date: startDate)
        let folder = try runs.makeTemporaryFolder(for: runID)
        do {
            let run = try await train(context: context, options: options, dataset: dataset, split: split, preferenceRows: preferenceRows,
                                      environment: environment, trainerDirectory: trainerDirectory, runID: runID, folder: folder,
                                      startDate: startDate, update: update, started: started,
                                      wallSeconds: { (clock.now - began).inSeconds })
            return run
        } catch {
            try? FileManager.default.removeItem(at: folder)
            if Task.isCancelled { throw TrainingError.cancelled }
            throw error
        }
    }

    private static func train(context: TrainingContext, options: TrainingOptions, dataset: TrainingDataset,
                              split: (train: [TrainingDataset.Example], heldOut: [TrainingDataset.Example]), preferenceRows: [String]?,
                              environment: TrainerEnvironment, trainerDirectory: URL, runID: String, folder: URL, startDate: Date,
                              update: @escaping @Sendable (TrainingUpdate) -> Void,
                              started: @escaping @Sendable (any TrainingWorker) -> Void,
                              wallSeconds: () -> Double) async throws -> TrainingRuns.Run {
        let data = folder.appendingPathComponent("data", isDirectory: true)
        let trainFile = data.appendingPathComponent("train.jsonl"), validationFile = data.appendingPathComponent("validation.jsonl")
        let preferenceFile = data.appendingPathComponent("preference.jsonl")
        try DatasetExporter.write(split.train.map(\.text), to: trainFile)
        if !split.heldOut.isEmpty { try DatasetExporter.write(split.heldOut.map(\.text), to: validationFile) }
        if let preferenceRows { try DatasetExporter.write(preferenceRows, to: preferenceFile) }
        let baseModel = context.engineLocation.model
        let request = TrainingRequest(
            baseGGUF: baseModel.path,
            baseCacheDirectory: context.paths.cacheRoot.appendingPathComponent("trainer/bases", isDirectory: true).path,
            converterDirectory: environment.converterDirectory.path, runDirectory: folder.path, sftTrain: trainFile.path,
            sftValidation: split.heldOut.isEmpty ? nil : validationFile.path, preferenceTrain: preferenceRows == nil ? nil : preferenceFile.path,
            method: options.method, epochs: options.epochs, learningRate: options.learningRate,
            dpoLearningRate: options.dpoLearningRate, dpoBeta: options.dpoBeta, rank: options.rank, alpha: options.effectiveAlpha,
            seed: options.seed, maxSequenceLength: options.maxSequenceLength, threads: options.threads, loraLayers: options.loraLayers)
        let logFile = folder.appendingPathComponent("train.log")
        var card = RunCard(
            runID: runID, persona: context.personaID, createdAt: startDate, baseModel: baseModel.lastPathComponent,
            adapter: TrainingRuns.adapterFileName,
            dataset: RunCard.DatasetFacts(file: dataset.file.path, sha256: dataset.contentHash, examples: dataset.examples.count,
                                          trainExamples: split.train.count, heldOutExamples: split.heldOut.count,
                                          heldOutLines: split.heldOut.map(\.line), estimatedTokens: dataset.statistics.totalTokens,
                                          preferencePairs: preferenceRows?.count),
            parameters: RunCard.Parameters(method: options.method, epochs: options.epochs, learningRate: options.learningRate,
                                           dpoLearningRate: options.method == "sft+dpo" ? options.dpoLearningRate : nil,
                                           rank: options.rank, alpha: options.effectiveAlpha,
                                           validationFraction: options.validationFraction, seed: options.seed,
                                           maxSequenceLength: options.maxSequenceLength))

        let worker = try PythonTrainerWorker(environment: environment, trainerDirectory: trainerDirectory, request: request,
                                             logFile: logFile, niceness: options.niceness)
        started(worker)
        var done: TrainingEvent.Done?
        var failure: TrainingError?
        try await withTaskCancellationHandler {
            for await event in worker.events {
                update(.worker(event))
                switch event {
                case let .hello(version, device, _, versions):
                    guard version == TrainingRequest.protocolVersion else {
                        worker.cancel()
                        throw TrainingError.environment("the trainer speaks protocol \(version), this dramatis \(TrainingRequest.protocolVersion)")
                    }
                    card.device = device
                    card.versions = versions
                case let .validation(when, loss, _):
                    if when == "before" { card.validationLossBefore = loss } else { card.validationLossAfter = loss }
                case .progress(let progress):
                    if let loss = progress.loss { card.lossCurve.append(RunCard.LossPoint(step: progress.step, loss: loss)) }
                case .done(let result):
                    done = result
                case let .error(kind, message, _, _):
                    failure = .worker(kind: kind, message: message)
                case .stage:
                    break
                }
            }
        } onCancel: {
            worker.cancel()
        }
        let status = await worker.exitStatus()
        if Task.isCancelled { throw TrainingError.cancelled }
        if let failure { throw failure }
        guard let done, status == 0 else { throw TrainingError.workerExited(status: status, log: logFile.path) }

        // The worker's numbers win over what the stream showed (its curve may be denser than the progress events).
        let adapter = folder.appendingPathComponent(done.adapterGGUF)
        guard FileManager.default.fileExists(atPath: adapter.path) else {
            throw TrainingError.worker(kind: "internal", message: "the trainer reported \(done.adapterGGUF) but wrote no such file")
        }
        card.adapter = done.adapterGGUF
        if let curve = done.lossCurve, !curve.isEmpty { card.lossCurve = curve.map { RunCard.LossPoint(step: $0.step, loss: $0.loss) } }
        card.validationLossBefore = done.validationLossBefore ?? card.validationLossBefore
        card.validationLossAfter = done.validationLossAfter ?? card.validationLossAfter
        card.steps = done.steps ?? card.lossCurve.last?.step ?? 0
        card.dataset.trainedTokens = done.trainedTokens
        card.peakRSSBytes = done.peakRSSBytes
        card.workerSeconds = done.seconds ?? [:]
        card.parameters.loraLayers = done.loraLayers
        card.parameters.modelLayers = done.modelLayers

        if options.evaluate && !split.heldOut.isEmpty {
            update(.evaluating(done: 0, total: split.heldOut.count))
            var engine = LocalEngine.Configuration.standard(paths: context.paths, environment: context.environment)
            engine.location = context.engineLocation
            card.evaluation = try await HeldOutEvaluation.run(examples: split.heldOut, adapter: adapter, engine: engine)
            update(.evaluating(done: split.heldOut.count, total: split.heldOut.count))
        }
        card.wallSeconds = (wallSeconds() * 10).rounded() / 10
        try Task.checkCancellation()
        return try context.runs.commit(folder, card: card)
    }
}
