import ArgumentParser
import DramatisBackends
import DramatisCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dramatis replay`: re-runs transcripts against today's persona and model, writes new transcripts and a report.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run saved transcripts against today's persona and model, with a comparison report.",
        discussion: """
        PATH is a transcript file, a folder of transcripts, or a transcript id. The user messages of each \
        transcript's selected branch are sent again, one by one; new transcripts are linked to their \
        originals (replay_of). Rate limits and server errors before the first token are retried by the backend; one failing transcript does not stop the others; \
        Ctrl-C stops cleanly and writes a partial report. With --batch-file, writes OpenAI/Azure Batch API \
        requests instead of calling a backend.
        """)

    @Argument(help: "Transcript files, folders or ids.") var paths: [String]
    @Option(help: "Persona to replay with (default: today's version of each transcript's persona).") var persona: String?
    @OptionGroup var backendOptions: BackendOptions
    @Option(help: "Transcripts replayed at the same time.") var concurrency: Int = 2
    @Option(help: ArgumentHelp("Folder for the new transcripts (default: the transcript folder).", valueName: "DIR")) var out: String?
    @Option(help: ArgumentHelp("Write the JSON report here (and a readable summary to FILE.txt).", valueName: "FILE")) var report: String?
    @Option(name: .customLong("batch-file"), help: ArgumentHelp("Write a Batch API input file instead of calling the backend.", valueName: "FILE"))
    var batchFile: String?
    @Option(name: .customLong("retry-delay"), help: ArgumentHelp("Seconds before the first retry after a rate limit or server error without Retry-After (doubles each time, with jitter).", valueName: "SECONDS"))
    var retryDelay: Double = 2
    @Option(help: ArgumentHelp("Replay on this training run's adapter (a run id or 'latest' of the persona; local model only).", valueName: "RUN"))
    var adapter: String?
    @Option(name: .customLong("compare-adapter"), help: ArgumentHelp("Replay a second time on this run's adapter, and show per turn the old reply, the first replay's and this one's.", valueName: "RUN"))
    var compareAdapter: String?
    @Option(help: ArgumentHelp("Score every old and new reply with this judge persona ('role: judge') and report the judged win rate of new vs old.", valueName: "PERSONA"))
    var judge: String?
    @OptionGroup var location: TranscriptsLocationOptions
    @OptionGroup var datasetLocation: DatasetLocationOptions

    func validate() throws {
        if batchFile != nil && judge != nil { throw ValidationError("--judge scores replies as they are replayed; it does not go with --batch-file") }
        if paths.isEmpty { throw ValidationError("give at least one transcript file, folder or id") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if retryDelay < 0 { throw ValidationError("--retry-delay must be 0 or more") }
        if batchFile != nil && (adapter != nil || compareAdapter != nil) {
            throw ValidationError("--adapter and --compare-adapter replay on the local model; they do not go with --batch-file")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let workingDirectory = ProjectLocation.current().baseDirectory
        let sources = try resolveSources()
        let library = PersonaLibrary.load(directories: PersonaLibrary.defaultDirectories(workingDirectory: workingDirectory, paths: paths, extra: []))
        let fixedPersona: Persona?
        if let persona {
            do { fixedPersona = try library.resolve(persona) } catch { throw ValidationError("--persona \(persona): \(error)") }
        } else {
            fixedPersona = nil
        }
        let configuration: BackendConfiguration
        do {
            configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        } catch {
            printError("dramatis replay: \(error)")
            throw ExitCode(2)
        }
        let resolver = PersonaResolver(library: library, fixed: fixedPersona)
        let judgePersona = try judge.map { try RoleResolution.persona($0, option: "--judge", role: .judge, library: library) }

        if let batchFile {
            try writeBatchFile(sources: sources, to: URL(fileURLWithPath: batchFile), resolver: resolver, configuration: configuration)
            return
        }

        // Adapters are loaded when the engine starts: resolve them first (among the runs of --persona, else of the
        // first transcript's persona).
        let runs: (primary: TrainingRuns.Run?, compare: TrainingRuns.Run?)
        do {
            runs = try resolveAdapters(sources: sources, resolver: resolver, configuration: configuration)
        } catch {
            printError("dramatis replay: \(error)")
            throw ExitCode(2)
        }
        let loaded = [runs.primary, runs.compare].compactMap { $0 }
        let factory = BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths), adapters: loaded.map(\.adapter),
                                     initialRetryBackoff: retryDelay)
        let primaryChoice = runs.primary.map { AdapterChoice.only(0, of: loaded.count, runID: $0.id) }
            ?? (loaded.isEmpty ? nil : .base(of: loaded.count))
        let judgeRunner: Judge?
        do {
            judgeRunner = try await judgePersona.asyncMap {
                try await RoleResolution.judge($0, factory: factory, fallbackBackend: backendOptions.backend,
                                               overrides: backendOptions.samplingOverrides)
            }
        } catch {
            await factory.shutdown()
            printError("dramatis replay: --judge: \(TerminalSanitizer.sanitize(String(describing: error)))")
            throw ExitCode(2)
        }
        let primary = await replay(sources, factory: factory, resolver: resolver, adapter: primaryChoice, judge: judgeRunner)
        var summary = primary.summary()
        var comparison: ReplayReport?
        if let compareRun = runs.compare, !primary.cancelled {
            printError("replaying again on adapter \(compareRun.id)…")
            let second = await replay(sources, factory: factory, resolver: resolver,
                                      adapter: .only(loaded.count - 1, of: loaded.count, runID: compareRun.id), judge: judgeRunner)
            summary += AdapterComparison.text(first: primary, firstLabel: primaryChoice?.runID ?? "base", second: second,
                                              secondLabel: compareRun.id)
            comparison = second
        }
        await factory.shutdown()

        print(summary, terminator: "")
        if let report {
            let url = URL(fileURLWithPath: report)
            try DurableFile.write(try primary.jsonData(), to: url)
            if let comparison {
                try DurableFile.write(try comparison.jsonData(), to: URL(fileURLWithPath: report + ".compare.json"))
            }
            try DurableFile.write(Data(summary.utf8), to: URL(fileURLWithPath: report + ".txt"))
            printError("report written to \(url.path) and \(url.path).txt" + (comparison == nil ? "" : " (second replay: \(url.path).compare.json)"))
        }
        if primary.cancelled || comparison?.cancelled == true { throw ExitCode(130) }
        if primary.totals.failed + (comparison?.totals.failed ?? 0) > 0 { throw ExitCode(1) }
    }

    /// Replays every source once (with `adapter`, or the base model), with progress and Ctrl-C handling.
    private func replay(_ sources: [URL], factory: BackendFactory, resolver: PersonaResolver, adapter: AdapterChoice?,
                        judge: Judge?) async -> ReplayReport {
        let options = backendOptions
        let runner = BatchReplayRunner(
            output: TranscriptStore(directory: out.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? location.url),
            concurrency: concurrency, judge: judge) { original in
                let persona = resolver.persona(for: original)
                let backend = try await factory.makeBackend(named: options.backend ?? persona.backend, model: options.model ?? persona.model)
                return ReplaySetup(persona: persona, backend: backend, model: options.model ?? persona.model,
                                   sampling: persona.sampling.overridden(by: options.samplingOverrides), adapter: adapter)
            }
        let progress = ReplayProgressPrinter(total: sources.count, interactive: isatty(STDERR_FILENO) == 1)
        let task = Task { await runner.run(sources) { progress.handle($0) } }
        // Ctrl-C cancels the run; the runner ends running turns cleanly and the report is still written.
        let interrupt = InterruptHandler {
            progress.note("interrupted: stopping after the current turns, writing a partial report…")
            task.cancel()
        }
        let result = await task.value
        interrupt.cancel()
        progress.finish()
        return result
    }

    /// The runs of `--adapter` (else the persona's `adapter:`) and `--compare-adapter`, among the persona's runs.
    private func resolveAdapters(sources: [URL], resolver: PersonaResolver,
                                 configuration: BackendConfiguration) throws -> (primary: TrainingRuns.Run?, compare: TrainingRuns.Run?) {
        guard let persona = try resolver.fixed ?? sources.first.map({ resolver.persona(for: try location.store.load($0)) }) else {
            return (nil, nil)
        }
        func run(_ reference: String?) throws -> TrainingRuns.Run? {
            try AdapterSelection.run(reference, persona: persona, backend: backendOptions.backend, configuration: configuration,
                                     datasetRoot: datasetLocation.root)
        }
        return (try run(adapter ?? persona.adapter), try run(compareAdapter))
    }

    /// Files, folders (their `.json` files) and ids, in the order given.
    private func resolveSources() throws -> [URL] {
        var result: [URL] = []
        let fileManager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
                let url = URL(fileURLWithPath: path, isDirectory: isDirectory.boolValue).standardizedFileURL
                if isDirectory.boolValue {
                    let files = TranscriptStore(directory: url).transcriptFiles(recursive: false).reversed()
                    if files.isEmpty { printError("dramatis replay: no transcripts in \(url.path)") }
                    result += files
                } else {
                    result.append(url)
                }
            } else {
                let store = location.store
                if let match = ([store.url(for: path)] + store.transcriptFiles()).first(where: {
                    $0.deletingPathExtension().lastPathComponent == path && fileManager.fileExists(atPath: $0.path)
                }) {
                    result.append(match)
                } else {
                    throw ValidationError("\(path): no such file, folder or transcript id in \(store.directory.path)")
                }
            }
        }
        return result
    }

    private func writeBatchFile(sources: [URL], to url: URL, resolver: PersonaResolver, configuration: BackendConfiguration) throws {
        let loader = location.store
        var lines: [String] = []
        var failures = 0
        for source in sources {
            do {
                let original = try loader.load(source)
                let persona = resolver.persona(for: original)
                let settings = try configuration.settings(named: backendOptions.backend ?? persona.backend)
                var sampled = persona
                sampled.sampling = persona.sampling.overridden(by: backendOptions.samplingOverrides)
                lines += BatchRequestFile.lines(for: original, persona: sampled, model: backendOptions.model ?? persona.model ?? settings.model)
            } catch {
                failures += 1
                printError("dramatis replay: skipped \(error)")
            }
        }
        try DatasetExporter.write(lines, to: url)
        printError("wrote \(lines.count) request(s) from \(sources.count - failures) transcript(s) to \(url.path)")
        if failures > 0 { throw ExitCode(1) }
    }
}

/// Today's persona for a transcript: `--persona`, else the library's persona with the transcript's id, else its snapshot.
struct PersonaResolver: Sendable {
    var library: PersonaLibrary
    var fixed: Persona?

    func persona(for original: Conversation) -> Persona {
        if let fixed { return fixed }
        if let current = try? library.resolve(original.persona.id) { return current }
        return original.persona
    }
}
