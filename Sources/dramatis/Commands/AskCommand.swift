import ArgumentParser
import DramatisBackends
import DramatisCore
import Foundation

/// `dramatis ask`: one prompt, one streamed reply on stdout, non-zero exit on failure.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Send one prompt and stream the reply to stdout.",
        discussion: """
        The reply is printed as it arrives, with terminal escape sequences removed. On failure the \
        partial reply (if any) stays on stdout, the message goes to stderr, and the exit status is 1 \
        (2 for configuration errors). A refusal is printed like a reply, flagged on stderr, and exits 3; so \
        does a reply that ends with a tool call instead of text (the call is shown on stderr). The model's \
        reasoning, if it sends any, goes to stderr (dimmed on a terminal), never to stdout. Retries (rate \
        limits, server errors before the first token) are announced on stderr. Use '-' as PROMPT to read it from stdin. The exchange is saved \
        as a transcript (a failed reply is kept, marked incomplete) unless --no-save is given.
        """)

    /// Used when no persona is given and no `default` persona file exists.
    static let defaultSystemPrompt = "You are a helpful assistant."

    @Option(name: .long, help: "Persona to talk to (file stem or name in ./Personas or the user persona folder; default: 'default' if present).")
    var persona: String?

    @OptionGroup var backendOptions: BackendOptions

    @Option(name: .long, help: ArgumentHelp("Answer with this training run's adapter (a run id or 'latest'; local model only; default: the persona's adapter).", valueName: "RUN"))
    var adapter: String?

    @OptionGroup var datasetLocation: DatasetLocationOptions

    @Flag(name: .long, help: "Print one JSON object (text, finish_reason, refusal, reasoning, tool_calls, usage, timing) instead of streaming text.")
    var json = false

    @OptionGroup var transcripts: TranscriptsLocationOptions

    @Flag(name: .customLong("no-save"), help: "Do not save the conversation as a transcript.")
    var noSave = false

    @Argument(help: "The prompt, or '-' to read it from stdin.")
    var prompt: String

    mutating func run() async throws {
        var standardError = StandardError()
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let workingDirectory = ProjectLocation.current().baseDirectory

        let promptText: String
        if prompt == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            promptText = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            promptText = prompt
        }
        guard !promptText.isEmpty else {
            print("dramatis ask: the prompt is empty", to: &standardError)
            throw ExitCode(2)
        }

        let chosenPersona: Persona
        let library = PersonaLibrary.loadDefault(workingDirectory: workingDirectory, paths: paths)
        if let persona {
            do {
                chosenPersona = try library.resolve(persona)
            } catch {
                print("dramatis ask: \(TerminalSanitizer.sanitize(String(describing: error)))", to: &standardError)
                throw ExitCode(2)
            }
        } else if let fallback = library.lookup("default")?.persona {
            chosenPersona = fallback
        } else {
            chosenPersona = Persona(id: "assistant", name: "Assistant", systemPrompt: Self.defaultSystemPrompt)
        }

        let configuration: BackendConfiguration
        do {
            configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        } catch {
            print("dramatis ask: \(TerminalSanitizer.sanitize(String(describing: error)))", to: &standardError)
            throw ExitCode(2)
        }
        let chosenAdapter: TrainingRuns.Run?
        do {
            chosenAdapter = try AdapterSelection.run(adapter ?? chosenPersona.adapter, persona: chosenPersona,
                                                     backend: backendOptions.backend, configuration: configuration,
                                                     datasetRoot: datasetLocation.root)
        } catch {
            print("dramatis ask: \(TerminalSanitizer.sanitize(String(describing: error)))", to: &standardError)
            throw ExitCode(2)
        }
        let factory = BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths, environment: environment),
                                     adapters: chosenAdapter.map { [$0.adapter] } ?? [])
        let transcriptStore = transcripts.store
        var store: TranscriptSaver?
        if !noSave {
            store = { @Sendable (conversation: Conversation) throws -> String in
                try transcriptStore.save(conversation)
                return transcriptStore.url(for: conversation.id).path
            }
        }
        let saver = store
        let backendName = backendOptions.backend, model = backendOptions.model, overrides = backendOptions.samplingOverrides
        let json = self.json
        let adapterID = chosenAdapter?.id
        let work = Task {
            await Self.ask(factory: factory, backendName: backendName, model: model, overrides: overrides,
                           persona: chosenPersona, adapter: adapterID, prompt: promptText, json: json, store: saver)
        }
        // Ctrl-C (or SIGTERM) stops the reply: the connection is closed and the partial reply saved.
        let interrupts = Task {
            let waiter = SignalWaiter(signals: [SIGINT, SIGTERM])
            if await waiter.next() != 0 { work.cancel() }
        }
        let outcome = await work.value
        interrupts.cancel()
        await factory.shutdown()
        if let saveError = outcome.saveError {
            print("dramatis ask: the transcript was not saved: \(TerminalSanitizer.sanitize(saveError))", to: &standardError)
        }
        if let error = outcome.error {
            print("dramatis ask: \(error.message)", to: &standardError)
            throw ExitCode(error.kind == .configuration ? 2 : 1)
        }
        if outcome.cancelled {
            print("dramatis ask: stopped; partial reply kept", to: &standardError)
            throw ExitCode(130)
        }
        if outcome.saveError != nil { throw ExitCode(1) }
        if outcome.unanswered { throw ExitCode(3) }
    }

    /// What `ask` ended with.
    struct Outcome: Sendable {
        var error: BackendError?
        var saveError: String?
        /// The user stopped the reply.
        var cancelled = false
        /// The model refused or ended with a tool call instead of answering.
        var unanswered = false
    }

    /// Streams the reply (or prints JSON), records it in a conversation and saves that to `store`. With `adapter` (a run
    /// id) the local engine, started with that one adapter, applies it.
    static func ask(factory: BackendFactory, backendName requestedBackend: String?, model requestedModel: String?,
                    overrides: SamplingParameters, persona: Persona, adapter: String? = nil, prompt: String, json: Bool,
                    store: TranscriptSaver?) async -> Outcome {
        let backendName = requestedBackend ?? persona.backend
        let model = requestedModel ?? persona.model
        let sampling = persona.sampling.overridden(by: overrides)
        let backend: any ChatBackend
        do {
            backend = try await factory.makeBackend(named: backendName, model: model)
        } catch {
            let failure = error as? BackendError ?? BackendError(kind: .configuration, message: "\(error)")
            if json { printJSON(AskResult(backend: backendName ?? factory.configuration.defaultBackendName, model: model ?? "", error: failure)) }
            return Outcome(error: failure)
        }
        let now = Date()
        var conversation = Conversation(id: TranscriptStore.newConversationID(personaID: persona.id, date: now), createdAt: now,
                                        persona: persona, backend: backend.descriptor, sampling: sampling)
        let userTurn = conversation.appendUserMessage(prompt, at: now)
        let service = TurnService(backend: backend)
        let chosenModel = TurnService.model(chosen: requestedModel, persona: persona)
        var result = AskResult(backend: backend.descriptor.name, model: chosenModel ?? backend.descriptor.model, adapter: adapter)
        var printer = AskPrinter(json: json)
        // Streamed on the HTTP clients' event loop: each chunk is decoded and shown on the thread that read it.
        let (replyTurn, outcome) = await withTaskExecutorPreference(EventLoopTaskExecutor.httpClients) {
            await service.run(in: &conversation, after: userTurn, model: chosenModel, sampling: sampling,
                              adapter: adapter.map { AdapterChoice(runID: $0, scales: [1]) },
                              at: Date()) { printer.show($0) }
        }
        let reply = conversation[replyTurn]
        result.text = reply.text
        result.finishReason = outcome.reason.wireValue
        result.usage = outcome.usage
        result.timing = outcome.timing
        result.error = outcome.error
        result.refusalText = reply.reply?.refusal
        result.reasoning = reply.reply?.reasoning
        result.toolCalls = reply.reply?.toolCalls ?? []
        if let store {
            do {
                result.transcript = try store(conversation)
            } catch {
                result.saveError = String(describing: error)
            }
        }
        if json {
            printJSON(result)
        } else {
            printer.finish(toolCalls: result.toolCalls, finishReason: result.finishReason ?? "")
        }
        return Outcome(error: result.error, saveError: result.saveError, cancelled: outcome.cancelled,
                       unanswered: outcome.error == nil && !outcome.cancelled && reply.text.isEmpty
                           && (reply.reply?.isRefusal == true || !result.toolCalls.isEmpty))
    }

    private static func printJSON(_ result: AskResult) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONEncoder escapes control characters, so raw model text is safe to print here.
        if let data = try? encoder.encode(result) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}

/// Saves a conversation and returns the file's path.
typealias TranscriptSaver = @Sendable (Conversation) throws -> String

/// The `--json` output of `dramatis ask`.
struct AskResult: Encodable {
    var backend: String
    var model: String
    /// The training run whose adapter answered; nil: the base model.
    var adapter: String? = nil
    var text = ""
    var finishReason: String?
    /// The refusal text, when the model refused.
    var refusalText: String?
    var reasoning: String?
    var toolCalls: [ToolCallRecord] = []
    var usage: TokenUsage?
    var timing: ReplyTiming?
    var error: BackendError?
    /// Path of the saved transcript, if saved.
    var transcript: String?
    /// Why saving failed (not encoded; reported on stderr).
    var saveError: String?

    enum CodingKeys: String, CodingKey {
        case backend, model, adapter, text, usage, timing, error, transcript, refusal, reasoning
        case finishReason = "finish_reason"
        case refusalText = "refusal_text"
        case toolCalls = "tool_calls"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(backend, forKey: .backend)
        try container.encode(model, forKey: .model)
        try container.encode(adapter, forKey: .adapter)
        try container.encode(text, forKey: .text)
        try container.encode(finishReason, forKey: .finishReason)
        try container.encode(!(refusalText ?? "").isEmpty, forKey: .refusal)
        try container.encode(refusalText, forKey: .refusalText)
        try container.encode(reasoning, forKey: .reasoning)
        try container.encode(toolCalls, forKey: .toolCalls)
        try container.encode(usage, forKey: .usage)
        try container.encode(timing, forKey: .timing)
        if let error {
            try container.encode(["kind": error.kind.rawValue, "message": error.message], forKey: .error)
        } else {
            try container.encodeNil(forKey: .error)
        }
        try container.encode(transcript, forKey: .transcript)
    }
}

/// Lets `print(…, to:)` write to stderr.
private struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
