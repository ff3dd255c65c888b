import ArgumentParser
import DramatisBackends
import DramatisCore
import DramatisTUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dramatis autopilot`: conversations that drive themselves (a simulated user or a prompt list against a persona).
struct AutopilotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autopilot",
        abstract: "Run conversations unattended: a simulated user or a prompt list talks to a persona; transcripts are saved.",
        discussion: """
        With --user, a user-simulator persona writes every user turn (origin 'simulated') for --turns turns in each of \
        --conversations conversations. With --prompts FILE, each line (or JSON Lines entry with "prompt" and optional \
        "follow_ups") opens one conversation (origin 'listed'). Transcripts are saved after every turn. Nothing is \
        marked unless --judge and --auto-mark are both given: the judge's 4–5 becomes a good mark, 1–2 a bad one. \
        The simulator and the judge use their persona's backend and model when set, else --backend; --temperature, \
        --seed and --max-tokens apply to all three. With --compare… (as in 'dramatis chat'), every turn is answered by \
        two or more candidates and recorded as an undecided compare round (A/B/tie items in the review queue); a judge \
        then gives a pairwise preference, which --auto-mark turns into the round's decision. See docs/autopilot.md.
        """)

    @Option(help: "The persona being built (answers as the assistant).") var persona: String
    @Option(help: ArgumentHelp("A persona that plays the user (normally one with 'role: user-simulator').", valueName: "PERSONA"))
    var user: String?
    @Option(help: ArgumentHelp("A prompt list: one prompt a line, or JSON Lines with \"prompt\" and optional \"follow_ups\".", valueName: "FILE"))
    var prompts: String?
    @Option(help: "User turns per conversation (with --user).") var turns: Int = 3
    @Option(help: "Conversations to run (with --prompts: at most one per entry; default: every entry).") var conversations: Int?
    @Option(help: "Conversations run at the same time.") var concurrency: Int = 1
    @Option(help: ArgumentHelp("A judge persona ('role: judge') that scores every reply.", valueName: "PERSONA")) var judge: String?
    @Flag(name: .customLong("auto-mark"), help: "Mark replies as the judge scores them (4–5 good, 1–2 bad; in compare rounds its preference); needs --judge.")
    var autoMark = false
    @OptionGroup var compareOptions: CompareOptions
    @OptionGroup var backendOptions: BackendOptions
    @OptionGroup var personaLocation: PersonasLocationOptions
    @OptionGroup var location: TranscriptsLocationOptions
    @OptionGroup var datasetLocation: DatasetLocationOptions

    func validate() throws {
        if (user == nil) == (prompts == nil) { throw ValidationError("give either --user PERSONA (a simulated user) or --prompts FILE") }
        if turns < 1 { throw ValidationError("--turns must be at least 1") }
        if let conversations, conversations < 1 { throw ValidationError("--conversations must be at least 1") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if autoMark && judge == nil { throw ValidationError("--auto-mark marks replies as a judge scores them: add --judge PERSONA") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let workingDirectory = ProjectLocation.current().baseDirectory
        let library = personaLocation.library()
        let assistant: Persona
        do { assistant = try library.resolve(persona) } catch { throw ValidationError("--persona \(persona): \(error)") }
        if assistant.role != .assistant {
            throw ValidationError("--persona \(persona): \(assistant.id) has 'role: \(assistant.role.rawValue)'; the persona being built is an assistant")
        }
        let simulatorPersona = try user.map { try RoleResolution.persona($0, option: "--user", role: .userSimulator, library: library) }
        let judgePersona = try judge.map { try RoleResolution.persona($0, option: "--judge", role: .judge, library: library) }
        var scripts: [PromptScript] = []
        if let prompts {
            do {
                scripts = try PromptList.load(contentsOf: URL(fileURLWithPath: prompts))
            } catch {
                printError("dramatis autopilot: \(TerminalSanitizer.sanitize(String(describing: error)))")
                throw ExitCode(2)
            }
        }
        let configuration: BackendConfiguration
        do {
            configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        } catch {
            printError("dramatis autopilot: \(TerminalSanitizer.sanitize(String(describing: error)))")
            throw ExitCode(2)
        }
        let compareChoice = try compareOptions.choice(command: "autopilot", configuration: configuration, defaultBackend: backendOptions.backend,
                                                      shuffleSeed: UInt64.random(in: 0...UInt64.max)) { try library.resolve($0) }
        let factory = BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths, environment: environment))
        let overrides = backendOptions.samplingOverrides
        let runner: AutopilotRunner
        do {
            let backend = try await factory.makeBackend(named: backendOptions.backend ?? assistant.backend, model: backendOptions.model ?? assistant.model)
            let userSide: AutopilotUserSide
            if let simulatorPersona {
                let simulatorBackend = try await factory.makeBackend(named: simulatorPersona.backend ?? backendOptions.backend ?? assistant.backend,
                                                                     model: simulatorPersona.model)
                userSide = .simulator(UserSimulator(persona: simulatorPersona, backend: simulatorBackend, model: simulatorPersona.model,
                                                    sampling: simulatorPersona.sampling.overridden(by: overrides)), turns: turns)
            } else {
                userSide = .prompts(scripts)
            }
            let judgeRunner = try await judgePersona.asyncMap {
                try await RoleResolution.judge($0, factory: factory, fallbackBackend: backendOptions.backend ?? assistant.backend, overrides: overrides)
            }
            let sampling = assistant.sampling.overridden(by: overrides)
            var compare: AutopilotCompare?
            if let compareChoice {
                // The chat's compare sources: A is the run's own source, B (or the further candidates) as chosen.
                let setup = compareChoice.setup(persona: assistant, sampling: sampling)
                var candidates: [AutopilotCandidate] = []
                for source in setup.sources {
                    let sourceBackend = try await source.backend.asyncMap { try await factory.makeBackend(named: $0, model: source.model) } ?? backend
                    candidates.append(AutopilotCandidate(letter: source.letter, name: source.name, persona: source.persona, backend: sourceBackend,
                                                         model: source.model ?? backendOptions.model ?? assistant.model, sampling: source.sampling))
                }
                let letters = setup.sources.map(\.letter)
                compare = AutopilotCompare(candidates: candidates, blind: setup.blind, paneOrder: { user in
                    setup.paneOrder(forTurn: user).compactMap { source in letters.firstIndex(of: source.letter) }
                })
            }
            let store = location.store
            let recorder = Recorder(transcripts: store, datasetRoot: datasetLocation.root)
            let marks = autoMark
            runner = AutopilotRunner(
                persona: assistant, backend: backend, model: backendOptions.model ?? assistant.model,
                sampling: sampling, userSide: userSide,
                conversations: conversations ?? (prompts == nil ? 1 : scripts.count), concurrency: concurrency,
                judge: judgeRunner, autoMark: marks, compare: compare,
                save: { conversation in
                    // Marks go through the recorder, so they reach the datasets at once; without marks a plain save.
                    if marks { try recorder.record(conversation) } else { try store.save(conversation) }
                })
        } catch {
            await factory.shutdown()
            printError("dramatis autopilot: \(TerminalSanitizer.sanitize(String(describing: error)))")
            throw ExitCode(2)
        }
        let printer = AutopilotProgressPrinter(total: runner.conversations, runner: runner)
        let task = Task { await runner.run { printer.handle($0) } }
        // Ctrl-C stops starting conversations and ends the running ones after their current request (saved so far).
        let interrupt = InterruptHandler {
            printer.note("interrupted: stopping after the current requests…")
            task.cancel()
        }
        let report = await task.value
        interrupt.cancel()
        await factory.shutdown()
        print(report.summary(judged: judgePersona != nil), terminator: "")
        printError("transcripts in \(location.url.path)")
        if report.cancelled { throw ExitCode(130) }
        if report.count(.failed) > 0 { throw ExitCode(1) }
    }
}

extension Optional {
    /// `map` for an async, throwing transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
