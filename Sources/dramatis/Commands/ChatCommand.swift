import ArgumentParser
import DramatisBackends
import DramatisCore
import DramatisRuntime
import DramatisTerminal
import DramatisTraining
import DramatisTUI
import Foundation
import Glibc

/// `dramatis chat`: the full-screen chat TUI (persona picker, chat, marking, transcript browser).
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a persona in the terminal UI; marks and edits are recorded as fine-tuning data.",
        discussion: """
        Opens the persona picker, or goes straight to a chat with --persona. Every finished reply, \
        mark and edit is saved at once: the transcript under --transcripts, the persona's sft.jsonl \
        and preference.jsonl under --dataset. Press F1 in the program for every key.
        """)

    @Option(name: .long, help: "Start chatting with this persona (file stem or name) instead of showing the picker.")
    var persona: String?

    @OptionGroup var personaLocation: PersonasLocationOptions
    @OptionGroup var transcriptLocation: TranscriptsLocationOptions
    @OptionGroup var backendOptions: BackendOptions

    @OptionGroup var compareOptions: CompareOptions

    @Option(name: .customLong("teacher"), help: ArgumentHelp("Compare mode, teacher/student: source A (the chat's persona) or B (the compared one) is the teacher; its winning and tied replies are also recorded into the other (student) persona's dataset, with the student's system prompt.", valueName: "A|B"))
    var teacher: String?

    @Option(name: .customLong("compare-adapter"), help: ArgumentHelp("Compare mode on the local model: source B answers with this training run of its persona (or `base`, no adapter), source A as the chat; one engine loads both and each side's request names its adapter.", valueName: "RUN|base"))
    var compareAdapter: String?

    @Option(name: .long, help: ArgumentHelp("Root of the fine-tuning files (default: $DRAMATIS_DATASETS, else Datasets/ of the project or the user data folder).", valueName: "DIR"))
    var dataset: String?

    mutating func validate() throws {
        if let teacher {
            guard ["A", "B"].contains(teacher.uppercased()) else { throw ValidationError("--teacher must be A or B (got \(teacher))") }
            guard compareOptions.comparePersona != nil else {
                throw ValidationError("--teacher needs --compare PERSONA: the student is the other persona (A is the chat's, B the compared one)")
            }
            if compareOptions.compareCandidates != nil {
                throw ValidationError("--teacher compares two sources; it does not go with --compare-candidates")
            }
        }
    }

    mutating func run() async throws {
        ProcessMemory.useOneArena()
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let workingDirectory = ProjectLocation.current().baseDirectory
        let configuration: BackendConfiguration
        do {
            configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        } catch {
            FileHandle.standardError.write(Data("dramatis chat: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let datasetRoot = DatasetLocationOptions.resolve(dataset, environment: environment)
            .standardizedFileURL
        let store = transcriptLocation.store
        let services = LiveChatServices(
            personaDirectories: personaLocation.directories,
            factory: BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths)),
            recorder: Recorder(transcripts: store, datasetRoot: datasetRoot),
            store: store,
            options: backendOptions)

        var state = AppState(screen: .picker)
        state.compareChoice = try compareOptions.choice(command: "chat", configuration: configuration, defaultBackend: backendOptions.backend,
                                                        shuffleSeed: UInt64.random(in: 0...UInt64.max)) { try services.persona(id: $0) }
        state.compareChoice?.teacher = teacher?.uppercased()
        if let compareAdapter {
            var choice = state.compareChoice ?? CompareChoice(shuffleSeed: UInt64.random(in: 0...UInt64.max))
            choice.adapter = compareAdapter == "base" ? .base : .tuned(compareAdapter)
            if let name = choice.backend {
                // Both sides answer from the chat's own local engine, restarted with the run: not from another backend.
                let kind = (try? configuration.settings(named: name))?.kind.rawValue ?? "unknown"
                FileHandle.standardError.write(Data("dramatis chat: --compare-adapter: base and tuned sources answer from the chat's own local engine; it does not go with --compare-backend \(TerminalSanitizer.sanitize(name)) (\(kind))\n".utf8))
                throw ExitCode(2)
            }
            if case .tuned(let run) = choice.adapter!, let owner = choice.otherPersona?.id ?? persona {
                // Checked now when B's persona is known (the compared one, else --persona); else when the chat connects.
                do {
                    let personaB = try services.persona(id: owner)
                    // `latest` becomes the run's id, which the replies record.
                    if let resolved = try AdapterSelection.run(run, persona: personaB, backend: choice.backend ?? personaB.backend,
                                                               configuration: configuration, datasetRoot: datasetRoot) {
                        choice.adapter = .tuned(resolved.id)
                    }
                } catch {
                    FileHandle.standardError.write(Data("dramatis chat: --compare-adapter \(TerminalSanitizer.sanitize(run)): \(TerminalSanitizer.sanitize("\(error)"))\n".utf8))
                    throw ExitCode(2)
                }
            }
            state.compareChoice = choice
        }
        var effects: [Effect] = [.loadPersonas]
        if let persona {
            state.screen = .loading("Starting a chat with \(persona)…")
            effects.append(.startChat(personaID: persona))
        }
        let app = TerminalApp(services: services, initialState: state, initialEffects: effects, environment: environment)
        do {
            let final = try await app.run()
            if let chat = final.chat, let location = chat.savedLocation {
                print("Transcript: \(TerminalSanitizer.sanitize(location))")
            }
            // Workaround: after the TUI ended, the process hung in exit handlers (a runtime thread
            // blocked in poll; seen in tmux tests). Everything is saved and shut down here, so leave
            // with _exit after flushing stdout.
            try? FileHandle.standardOutput.synchronize()
            Glibc._exit(0)
        } catch let error as TerminalError {
            await services.shutdown()
            FileHandle.standardError.write(Data("dramatis chat: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// The real services behind the TUI: persona library, backend factory, recorder and transcript store.
struct LiveChatServices: ChatServices {
    let personaDirectories: [URL]
    let factory: BackendFactory
    let recorder: Recorder
    let store: TranscriptStore
    let options: BackendOptions

    func listPersonas() -> [PersonaListing] {
        // User simulators and judges never answer as the assistant: they stay out of the picker (autopilot takes them).
        PersonaLibrary.load(directories: personaDirectories).entries.filter { $0.persona?.role.isPickable ?? true }.map { entry in
            switch entry {
            case .valid(let persona, let source):
                let backend = options.backend ?? persona.backend ?? factory.configuration.defaultBackendName
                let model = options.model ?? persona.model
                return PersonaListing(id: persona.id, name: persona.name, description: persona.description,
                                      backendLabel: model.map { "\(backend) · \($0)" } ?? backend,
                                      systemPrompt: persona.systemPrompt, greeting: persona.greeting,
                                      source: PersonaProblem.displayPath(for: source))
            case .invalid(let source, let problems):
                return PersonaListing(id: entry.stem, name: entry.displayName, source: PersonaProblem.displayPath(for: source),
                                      problems: problems.map(\.description))
            }
        }
    }

    /// The persona with command-line overrides applied (`--model`, sampling options), its `adapter:` resolved to a
    /// run id (`latest` becomes the newest run), so the conversation records which run answers.
    func persona(id: String) throws -> Persona {
        var persona = try PersonaLibrary.load(directories: personaDirectories).resolve(id)
        if let model = options.model { persona.model = model }
        if let backend = options.backend { persona.backend = backend }
        persona.sampling = persona.sampling.overridden(by: options.samplingOverrides)
        persona.adapter = try AdapterSelection.run(persona.adapter, persona: persona, backend: persona.backend,
                                                   configuration: factory.configuration, datasetRoot: recorder.datasetRoot)?.id
        return persona
    }

    func makeBackend(named name: String, model: String?) async throws -> any ChatBackend {
        try await factory.makeBackend(named: name, model: model)
    }

    func makeBackend(for persona: Persona) async throws -> any ChatBackend {
        return try await backend(named: persona.backend, model: persona.model, persona: persona)
    }

    func listBackends() -> [BackendListing] {
        let configuration = factory.configuration
        return configuration.orderedNames.compactMap { name in
            configuration.backends[name].map { BackendListing(name: name, kind: $0.kind.rawValue) }
        }
    }

    func defaultBackendName() -> String {
        options.backend ?? factory.configuration.defaultBackendName
    }

    func completedRuns(personaID: String) -> [String] {
        TrainingRuns(datasetRoot: recorder.datasetRoot, personaID: personaID).list().reversed().map(\.id)
    }

    /// The local engine restarted with every run of `adapters` loaded (each checked: a finished run of its persona, on
    /// the local model); the chat's own requests use `persona`'s run among them, or the base model.
    func makeBackend(for persona: Persona, adapters: [AdapterRun]) async throws -> any ChatBackend {
        let name = options.backend ?? persona.backend
        var runs: [TrainingRuns.Run] = []
        for adapter in adapters {
            var owner = persona
            if adapter.personaID != persona.id { owner = try PersonaLibrary.load(directories: personaDirectories).resolve(adapter.personaID) }
            guard let run = try AdapterSelection.run(adapter.runID, persona: owner, backend: name, configuration: factory.configuration,
                                                     datasetRoot: recorder.datasetRoot) else { continue }
            runs.append(run)
        }
        let settings = try factory.configuration.settings(named: name)
        guard settings.kind == .local else {
            throw TrainingRunsError(message: "base and tuned compare sources need the local model, and the chat's backend '\(settings.name)' is \(settings.kind.rawValue)")
        }
        await factory.useAdapters(runs.map(\.adapter))
        let backend = try await factory.makeBackend(named: name, model: options.model ?? persona.model)
        let own = persona.adapter.flatMap { id in adapters.firstIndex { $0.personaID == persona.id && $0.runID == id } }
        let choice = own.map { AdapterChoice.only($0, of: runs.count, runID: persona.adapter!) } ?? .base(of: runs.count)
        return AdapterSelectingBackend(base: backend, choice: choice)
    }

    /// The backend; for a persona with an adapter, the local engine restarted with that adapter if needed, and
    /// every request applying it.
    private func backend(named name: String?, model: String?, persona: Persona) async throws -> any ChatBackend {
        guard let run = try AdapterSelection.run(persona.adapter, persona: persona, backend: name,
                                                 configuration: factory.configuration, datasetRoot: recorder.datasetRoot) else {
            // No adapter: an engine that loaded one for an earlier persona would apply it to requests that name none.
            await factory.useAdapters([])
            return try await factory.makeBackend(named: name, model: model)
        }
        await factory.useAdapters([run.adapter])
        let backend = try await factory.makeBackend(named: name, model: model)
        return AdapterSelectingBackend(base: backend, choice: .only(0, of: 1, runID: run.id))
    }

    func newConversationID(for persona: Persona) -> String {
        TranscriptStore.newConversationID(personaID: persona.id, date: Date())
    }

    func record(_ conversation: Conversation) throws -> String {
        try recorder.record(conversation)
        return store.url(for: conversation.id).path
    }

    func prepareRecording(for conversation: Conversation) throws {
        if conversation.turns.isEmpty {
            try recorder.prepare(personaID: conversation.persona.id)
        } else {
            try recorder.prepare(with: conversation)
        }
    }

    func train(personaID: String, report: @escaping @Sendable (TrainingStatus) -> Void,
               started: @escaping @Sendable (TrainingControl) -> Void) async throws -> TrainedRun {
        let persona = try PersonaLibrary.load(directories: personaDirectories).resolve(personaID)
        let settings = try factory.configuration.settings(named: options.backend ?? persona.backend)
        if let refusal = LocalTrainingRefusal.message(persona: persona.id, settings: settings) { throw TrainingError.refused(refusal) }
        let paths = AppPaths.fromEnvironment()
        // The venv's first-time set-up prints progress: into a log, never over the screen.
        try FileManager.default.createDirectory(at: paths.logDirectory, withIntermediateDirectories: true)
        let log = paths.logDirectory.appendingPathComponent("train-tui.log").path
        let descriptor = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer { if descriptor >= 0 { close(descriptor) } }
        let context = TrainingContext(personaID: persona.id, datasetRoot: recorder.datasetRoot, paths: paths,
                                      environment: ProcessInfo.processInfo.environment,
                                      setupProgress: descriptor >= 0 ? descriptor : 2)
        var trainingOptions = TrainingOptions()
        trainingOptions.niceness = 10   // the chat stays responsive; the trainer also stops while a reply streams
        let run = try await TrainingSession.run(context, options: trainingOptions, update: { update in
            switch update {
            case .note(let text): report(TrainingStatus(stage: text))
            case .evaluating(let done, let total): report(TrainingStatus(stage: "comparing base and tuned \(done)/\(total)"))
            case .worker(.progress(let progress)):
                report(TrainingStatus(stage: progress.stage, step: progress.step, totalSteps: progress.totalSteps,
                                      loss: progress.loss, etaSeconds: progress.etaSeconds))
            case .worker(.stage(let name, let message)): report(TrainingStatus(stage: message ?? name))
            case .worker: break
            }
        }, started: { worker in
            started(TrainingControl(pause: { worker.pause() }, resume: { worker.resume() }))
        })
        return TrainedRun(personaID: persona.id, runID: run.id, validationLossBefore: run.card.validationLossBefore,
                          validationLossAfter: run.card.validationLossAfter)
    }

    func datasetOverview(personaID: String) throws -> DatasetOverview {
        let loader = DatasetStatisticsLoader(store: store, library: PersonaLibrary.load(directories: personaDirectories),
                                             model: TrainingModel.named("gpt-4o-mini"),
                                             tokenizerDirectory: AppPaths.fromEnvironment().tokenizerDirectory)
        guard let statistics = try loader.compute(personaIDs: [personaID]).statistics.first else {
            throw TranscriptError(path: store.directory.path, problem: "no statistics for \(personaID)")
        }
        return DatasetOverview(statistics)
    }

    func reviewQueue() throws -> ReviewQueueSnapshot { ReviewQueueSnapshot.load(from: store) }

    func saveReviewPosition(_ position: ReviewItemKey?) throws {
        try ReviewPositionFile(transcriptDirectory: store.directory).save(position)
    }

    func listTranscripts() throws -> [TranscriptRow] {
        store.list().map { listing in
            switch listing {
            case .valid(let summary):
                return TranscriptRow(id: summary.id, personaID: summary.personaID, personaName: summary.personaName,
                                     title: summary.title, createdAt: summary.createdAt, turnCount: summary.turnCount,
                                     markCount: summary.markCount)
            case .invalid(let url, let message):
                return TranscriptRow(id: url.deletingPathExtension().lastPathComponent, personaID: "", personaName: "?",
                                     title: url.lastPathComponent, createdAt: Date(timeIntervalSince1970: 0),
                                     turnCount: 0, markCount: 0, problem: message)
            }
        }
    }

    /// The transcript, to continue; when the training run it was talking to has been removed since, it continues on
    /// the base model (its earlier replies keep the run they were stamped with).
    func loadTranscript(id: String) throws -> Conversation {
        var conversation = try store.load(idOrPath: id)
        if let adapter = conversation.persona.adapter,
           (try? TrainingRuns(datasetRoot: recorder.datasetRoot, personaID: conversation.persona.id).resolve(adapter)) == nil {
            conversation.persona.adapter = nil
        }
        return conversation
    }

    func makeBackend(for conversation: Conversation) async throws -> any ChatBackend {
        return try await backend(named: options.backend ?? conversation.backend.name, model: options.model ?? conversation.persona.model,
                                 persona: conversation.persona)
    }

    func savePersonaSampling(_ sampling: SamplingParameters, personaID: String) throws -> PersonaSamplingSaver.Outcome {
        try PersonaSamplingSaver.save(sampling, personaID: personaID, directories: personaDirectories)
    }

    func shutdown() async {
        await factory.shutdown()
    }
}
