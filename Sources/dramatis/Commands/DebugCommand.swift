import ArgumentParser
import DramatisBackends
import DramatisCore
import Foundation

/// `dramatis debug`: hidden helpers for crash and durability tests.
struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Test helpers (hidden).", shouldDisplay: false,
        subcommands: [DebugRecordMarksCommand.self, DebugBenchRecordCommand.self, DebugSeedTranscriptCommand.self,
                      DebugMakeExampleCommand.self, DebugCountTokensCommand.self, DebugFrameBenchCommand.self, DebugInputLatencyBenchCommand.self,
                      DebugLongTranscriptCommand.self])
}

/// `dramatis debug record-marks`: records a long synthetic conversation mark after mark, printing
/// `ack <conversation> <turn> <good|bad|none>` only after each `Recorder.record` returned (i.e. after fsync).
/// A test kills it with SIGKILL at random moments and checks the files.
struct DebugRecordMarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-marks", abstract: "Record synthetic marks forever (for kill -9 tests).")

    @Option(help: "Transcript folder.") var transcripts: String
    @Option(help: "Dataset folder.") var dataset: String
    @Option(help: "Number of user turns to record (0 = until killed).") var turns: Int = 0
    @Option(help: "Seed for the mark pattern.") var seed: UInt64 = 1
    @Option(help: "Conversation id (default: a new one).") var id: String?
    @Option(name: .customLong("kill-at"), help: "Kill this process with SIGKILL at POINT of the N-th in-place dataset write (POINT:N; POINT is after-truncate, mid-append or before-fsync).")
    var killAt: String?

    func validate() throws {
        if let killAt, Self.killSwitch(killAt) == nil { throw ValidationError("--kill-at must be POINT:N, POINT one of \(RecorderKillSwitch.Point.allCases.map(\.rawValue).joined(separator: ", "))") }
    }

    /// Parses `POINT:N`.
    static func killSwitch(_ text: String) -> RecorderKillSwitch? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let point = RecorderKillSwitch.Point(rawValue: String(parts[0])), let write = Int(parts[1]), write > 0 else { return nil }
        return RecorderKillSwitch(point: point, write: write)
    }

    func run() throws {
        let recorder = Recorder(transcripts: TranscriptStore(directory: URL(fileURLWithPath: transcripts)),
                                datasetRoot: URL(fileURLWithPath: dataset), killSwitch: killAt.flatMap(Self.killSwitch))
        let persona = Persona(id: "crashtest", name: "Crash Test", systemPrompt: "You are a durable test persona.",
                              greeting: "Ready.", examples: [.init(user: "ping", assistant: "pong")])
        var generator = SplitMix64(seed: seed)
        var conversation = Conversation(id: id ?? TranscriptStore.newConversationID(personaID: persona.id, date: Date()),
                                        createdAt: Date(), persona: persona,
                                        backend: BackendDescriptor(name: "debug", kind: "debug", model: "none"),
                                        sampling: SamplingParameters())
        let output = FileHandle.standardOutput
        func acknowledge(_ text: String) {
            output.write(Data((text + "\n").utf8))
        }
        var index = 0
        while turns == 0 || index < turns {
            index += 1
            let user = conversation.appendUserMessage("question \(index) with \"quotes\" and ünïcödé", at: Date())
            let reply = conversation.startReply(after: user, backend: "debug", model: "none", at: Date())
            // Stream the reply in pieces, saving the transcript after each piece (an in-flight reply on disk).
            for piece in 0..<3 {
                conversation.appendReplyText("answer \(index).\(piece) ", to: reply)
                try recorder.transcripts.save(conversation)
            }
            conversation.finishReply(reply, reason: .stop, usage: TokenUsage(promptTokens: index, completionTokens: 3))
            try recorder.record(conversation)
            acknowledge("ack \(conversation.id) \(reply) none")
            let roll = generator.next() % 4
            switch roll {
            case 0:
                conversation.setMark(.good, on: reply, at: Date())
                try recorder.record(conversation)
                acknowledge("ack \(conversation.id) \(reply) good")
            case 1:
                conversation.setMark(.bad, on: reply, at: Date())
                try recorder.record(conversation)
                acknowledge("ack \(conversation.id) \(reply) bad")
            case 2:
                let edited = conversation.editReply(reply, to: "edited answer \(index)", at: Date())
                try recorder.record(conversation)
                acknowledge("ack \(conversation.id) \(reply) bad")
                acknowledge("ack \(conversation.id) \(edited) good")
            default:
                break
            }
        }
    }
}

/// `dramatis debug bench-record`: mark-to-durable latency of `Recorder.record` with a large dataset.
///
/// Builds `--conversations` transcripts with `--marks-per-conversation` good replies each (10,000 examples by
/// default) in a scratch folder, then times `--marks` marks on a fresh conversation. Prints JSON with p50/p99.
struct DebugBenchRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-record", abstract: "Measure mark-to-durable latency.")

    @Option(help: "Scratch folder (must not exist yet or be empty).") var directory: String
    @Option(help: "Existing conversations.") var conversations: Int = 1000
    @Option(name: .customLong("marks-per-conversation"), help: "Good-marked replies per existing conversation.") var marksPerConversation: Int = 10
    @Option(help: "Marks to time.") var marks: Int = 200

    func run() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let store = TranscriptStore(directory: root.appendingPathComponent("Transcripts"))
        let base = BenchDataset.date
        let setupStart = DispatchTime.now()
        try BenchDataset.write(conversations: conversations, marksPerConversation: marksPerConversation, to: store)
        let setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - setupStart.uptimeNanoseconds) / 1e9

        let recorder = Recorder(transcripts: store, datasetRoot: root.appendingPathComponent("Datasets"))
        var live = BenchDataset.conversation(conversations, turns: 0)
        let firstStart = DispatchTime.now()
        try recorder.prepare(personaID: BenchDataset.persona.id)   // first touch: rebuilds the dataset from every transcript
        let firstMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - firstStart.uptimeNanoseconds) / 1e6

        var latencies: [Double] = []
        for turn in 0..<marks {
            let user = live.appendUserMessage("Live question \(turn)", at: base)
            let reply = live.startReply(after: user, backend: "debug", model: "none", at: base)
            live.appendReplyText("Live answer \(turn).", to: reply)
            live.finishReply(reply, reason: .stop)
            live.setMark(turn % 3 == 2 ? .bad : .good, on: reply, at: base)
            let start = DispatchTime.now()
            try recorder.record(live)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
        }
        func percentile(_ p: Double) -> Double { NearestRank.percentile(latencies, p) }
        let sftSize = (try? FileManager.default.attributesOfItem(atPath: recorder.datasetDirectory(personaID: "bench").appendingPathComponent("sft.jsonl").path)[.size] as? Int) ?? 0
        let lines = (try? String(contentsOf: recorder.datasetDirectory(personaID: "bench").appendingPathComponent("sft.jsonl"), encoding: .utf8))?.split(separator: "\n").count ?? 0
        print(JSONValue.object([
            ("examples", .int(lines)), ("sft_bytes", .int(sftSize)), ("marks_timed", .int(marks)),
            ("setup_seconds", .double((setupSeconds * 1000).rounded() / 1000)),
            ("prepare_ms", .double((firstMilliseconds * 100).rounded() / 100)),
            ("p50_ms", .double((percentile(0.5) * 100).rounded() / 100)),
            ("p99_ms", .double((percentile(0.99) * 100).rounded() / 100)),
            ("max_ms", .double((percentile(1) * 100).rounded() / 100)),
        ]).serialized())
    }
}

/// `dramatis debug seed-transcript`: writes a transcript holding only user messages (and the persona's greeting),
/// for `dramatis replay` to fill with real replies (used to make `Transcripts/examples/`).
struct DebugSeedTranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed-transcript", abstract: "Write a transcript of user messages only.")

    @Option(help: "Persona name or file stem (./Personas, then the user folder).") var persona: String
    @Option(help: "Transcript id.") var id: String
    @Option(help: "Folder to write to.") var out: String
    @Option(name: .customLong("user"), help: "A user message (repeat for several turns).") var messages: [String]

    func run() throws {
        let resolved = try PersonaLibrary.loadDefault().resolve(persona)
        var conversation = Conversation(id: id, createdAt: Date(), persona: resolved,
                                        backend: BackendDescriptor(name: resolved.backend ?? "local", kind: "local",
                                                                   model: resolved.model ?? "SmolLM2-135M-Instruct"),
                                        sampling: resolved.sampling)
        for message in messages { conversation.appendUserMessage(message, at: Date()) }
        let store = TranscriptStore(directory: URL(fileURLWithPath: out, isDirectory: true))
        try store.save(conversation)
        print(store.url(for: id).path)
    }
}

/// `dramatis debug make-example`: a real conversation with a persona and backend from scripted user messages,
/// with optional marks and an edit, saved as a transcript (used to make `Transcripts/examples/`).
struct DebugMakeExampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "make-example", abstract: "Record a scripted conversation with a real backend.")

    @Option(help: "Persona name or file stem.") var persona: String
    @Option(help: "Transcript id.") var id: String
    @Option(help: "Folder to write to.") var out: String
    @Option(name: .customLong("user"), help: "A user message (repeat for several turns).") var messages: [String]
    @Option(help: "Marks for the replies in order: good, bad or none (comma-separated).") var marks: String = ""
    @Option(name: .customLong("edit-last"), help: "Rewrite the last reply into this text (an edit: original marked bad).") var editLast: String?
    @OptionGroup var backendOptions: BackendOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let workingDirectory = ProjectLocation.current().baseDirectory
        let resolved = try PersonaLibrary.loadDefault().resolve(persona)
        let configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        let factory = BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths))
        do {
            let backend = try await factory.makeBackend(named: backendOptions.backend ?? resolved.backend, model: backendOptions.model ?? resolved.model)
            var seed = Conversation(id: id + "-seed", createdAt: Date(), persona: resolved, backend: backend.descriptor, sampling: resolved.sampling)
            for message in messages { seed.appendUserMessage(message, at: Date()) }
            let engine = ReplayEngine(persona: resolved, backend: backend, model: backendOptions.model ?? resolved.model,
                                      sampling: resolved.sampling.overridden(by: backendOptions.samplingOverrides))
            let outcome = await engine.run(seed, newID: id)
            if let error = outcome.error { throw ValidationError("the backend failed: \(error)") }
            var conversation = outcome.conversation
            conversation.replayOf = nil
            let replies = outcome.turns.map(\.newReplyTurn)
            for (reply, mark) in zip(replies, marks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) {
                switch mark {
                case "good": conversation.setMark(.good, on: reply, at: Date())
                case "bad": conversation.setMark(.bad, on: reply, at: Date())
                default: break
                }
            }
            if let editLast, let last = replies.last { conversation.editReply(last, to: editLast, at: Date()) }
            let store = TranscriptStore(directory: URL(fileURLWithPath: out, isDirectory: true))
            try store.save(conversation)
            print(store.url(for: id).path)
        } catch {
            await factory.shutdown()
            throw error
        }
        await factory.shutdown()
    }
}
