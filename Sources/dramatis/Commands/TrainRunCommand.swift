import ArgumentParser
import DramatisBackends
import DramatisCore
import DramatisTraining
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dramatis train [run]`: one training run, with progress, refusals and the run card.
struct TrainRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train a LoRA adapter for the local model on the persona's sft.jsonl (the default subcommand).",
        discussion: """
        Exit status: 0 a run was kept, 2 refused (too few examples, invalid lines, a hosted backend, not enough \
        memory or disk), 1 the trainer failed, 130 interrupted (no run is kept).
        """)

    @Option(name: .long, help: "Persona whose examples to train on (default: 'default').")
    var persona = "default"
    @OptionGroup var location: DatasetLocationOptions
    @OptionGroup var personaLocation: PersonasLocationOptions
    @Option(name: .long, help: "sft, or sft+dpo (then DPO on preference.jsonl at a low learning rate).")
    var method = "sft"
    @Option(name: .long, help: "Passes over the training examples.")
    var epochs = 1
    @Option(name: .customLong("lr"), help: "Learning rate (SFT).")
    var learningRate = 1e-3
    @Option(name: .long, help: "LoRA rank.")
    var rank = 16
    @Option(name: .long, help: ArgumentHelp("LoRA on the model's top N transformer layers; 0 for every layer (default: the top half).",
                                            valueName: "N"))
    var loraLayers: Int?
    @Option(name: .long, help: "Share of the examples held out for validation and the replay evaluation (0 for none).")
    var validation = 0.1
    @Option(name: .long, help: "Seed of the held-out split and of training.")
    var seed: UInt64 = 42
    @Option(name: .long, help: "Torch threads (default: torch's choice).")
    var threads = 0
    @Flag(name: .customLong("no-eval"), help: "Skip the held-out replay on base and tuned after training.")
    var noEvaluation = false
    @Flag(name: .long, help: "Print JSON lines (events, then the run card) instead of text.")
    var json = false

    func validate() throws {
        if !TrainingOptions.methods.contains(method) {
            throw ValidationError("--method must be \(TrainingOptions.methods.joined(separator: " or ")) (got \(method))")
        }
        if epochs < 1 || epochs > 100 { throw ValidationError("--epochs must be between 1 and 100") }
        if !(learningRate > 0 && learningRate < 1) { throw ValidationError("--lr must be between 0 and 1") }
        if rank < 1 || rank > 256 { throw ValidationError("--rank must be between 1 and 256") }
        if !(0..<0.5).contains(validation) { throw ValidationError("--validation must be at least 0 and below 0.5") }
        if threads < 0 { throw ValidationError("--threads must be 0 or more") }
        if let loraLayers, loraLayers < 0 { throw ValidationError("--lora-layers must be 0 (every layer) or more") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let printer = TrainingProgressPrinter(mode: json ? .json : (isatty(STDOUT_FILENO) == 1 ? .terminal : .plain))
        if let refusal = backendRefusal(environment: environment, paths: paths) {
            printer.failure(refusal)
            throw ExitCode(2)
        }
        var options = TrainingOptions()
        options.method = method
        options.epochs = epochs
        options.learningRate = learningRate
        options.rank = rank
        options.loraLayers = loraLayers
        options.validationFraction = validation
        options.seed = seed
        options.threads = threads
        options.evaluate = !noEvaluation
        let personaID = (try? personaLocation.library().resolve(persona))?.id ?? persona
        let context = TrainingContext(personaID: personaID, datasetRoot: location.root, paths: paths, environment: environment)
        let task = Task { try await TrainingSession.run(context, options: options, update: { printer.show($0) }) }
        // Ctrl-C or SIGTERM stops the worker; the hidden run folder is removed, no run is kept.
        let interrupts = Task {
            let waiter = SignalWaiter(signals: [SIGINT, SIGTERM])
            if await waiter.next() != 0 { task.cancel() }
        }
        defer { interrupts.cancel() }
        do {
            let run = try await task.value
            printer.finished(run, datasetRoot: location.root)
        } catch let error as TrainingError {
            printer.failure(error.description)
            if case .cancelled = error { throw ExitCode(130) }
            throw ExitCode(error.isRefusal ? 2 : 1)
        } catch let error as BackendError {
            printer.failure(error.message)
            throw ExitCode(1)
        } catch {
            printer.failure(String(describing: error))
            throw ExitCode(1)
        }
    }

    /// Why this persona cannot be trained here (its backend is not the local model), or nil.
    private func backendRefusal(environment: [String: String], paths: AppPaths) -> String? {
        guard let found = try? personaLocation.library().resolve(persona) else { return nil }
        let workingDirectory = ProjectLocation.current().baseDirectory
        guard let configuration = try? BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment),
              let settings = try? configuration.settings(named: found.backend) else { return nil }
        return LocalTrainingRefusal.message(persona: persona, settings: settings)
    }
}
