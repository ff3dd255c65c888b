import ArgumentParser
import DramatisCore
import DramatisRuntime
import DramatisTerminal
import DramatisTUI
import Foundation

/// A long, deterministic conversation for TUI benchmarks: alternating user and assistant messages of
/// varied length (English, code, CJK, emoji), ending with a user message.
enum SyntheticConversation {
    static let persona = Persona(id: "bench", name: "Bench", description: "Synthetic persona for benchmarks",
                                 systemPrompt: "You are a patient assistant.")

    private static let sentences = [
        "The quick brown fox jumps over the lazy dog.",
        "Could you explain how a B-tree keeps itself balanced after many inserts?",
        "東京は日本の首都で、世界最大の都市圏です。",
        "Sure 🙂 — here is the short version, then the details.",
        "let total = items.reduce(0) { $0 + $1.price }  // sum of prices",
        "A longer thought that runs on for a while, so that wrapping has real work to do at eighty columns and at forty.",
        "Ok.",
        "Emoji sequences like 👩‍💻 and 🇫🇷 take two columns each; combining marks like é do not add any.",
    ]

    /// `messages` turns; message `i` has 1–6 sentences chosen by a fixed pseudo-random sequence.
    static func make(messages: Int, id: String = "20261122-000000-bench") -> Conversation {
        var conversation = Conversation(id: id, createdAt: Date(timeIntervalSince1970: 1_800_000_000), persona: persona,
                                        backend: BackendDescriptor(name: "local", kind: "local", model: "bench"),
                                        sampling: SamplingParameters(temperature: 0, seed: 42))
        var seed: UInt64 = 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        let date = conversation.createdAt
        for index in 0..<messages {
            let text = (0...(next() % 6)).map { _ in sentences[next() % sentences.count] }.joined(separator: " ")
            if index % 2 == 0 {
                conversation.appendUserMessage(text, at: date)
            } else {
                let reply = conversation.startReply(after: conversation.activePath.last, backend: "local", model: "bench", at: date)
                conversation.appendReplyText(text, to: reply)
                conversation.finishReply(reply, reason: .stop)
            }
        }
        return conversation
    }
}

/// `dramatis debug frame-bench`: times reduce+render and ncurses draw per frame on the real terminal,
/// with a synthetic transcript of `--messages` messages (run it in tmux; see bench/tui.sh).
struct DebugFrameBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "frame-bench", abstract: "Time TUI frames (run in a terminal).")

    enum Scenario: String, ExpressibleByArgument {
        /// A reply streams in, one token per frame, at the bottom of the transcript.
        case stream
        /// The mouse wheel scrolls up and down through the transcript, one notch per frame.
        case scroll
    }

    @Option(help: "Messages in the transcript.") var messages = 10
    @Option(help: "Frames to time.") var frames = 300
    @Option(help: "stream or scroll.") var scenario = Scenario.stream
    @Option(help: "Write the JSON result here (the terminal is taken by curses while it runs).") var out: String

    func run() throws {
        var state = AppState(screen: .chat)
        state.chat = ChatState(conversation: SyntheticConversation.make(messages: messages))
        if scenario == .stream {
            // Send a message the way a user does; the reducer starts reply stream 1, which the frames feed.
            let now = Date()
            _ = Reducer.reduce(&state, .key(.paste("Go on.")), now: now)
            _ = Reducer.reduce(&state, .key(.enter), now: now)
        }
        let words = [" the", " quick", " brown", " fox", " 東京", " jumps", " over", " 🙂", " lazy", " dogs."]
        let scenario = self.scenario
        let timings = try FrameBenchmark.run(state: state, frames: frames, environment: ProcessInfo.processInfo.environment) { index in
            switch scenario {
            case .stream: .streamDelta(stream: 1, text: words[index % words.count])
            case .scroll: .key(index % 2 == 0 ? .wheelUp : .wheelDown)
            }
        }
        let result: [String: Any] = [
            "messages": messages, "frames": frames, "scenario": scenario.rawValue,
            "width": timings.width, "height": timings.height, "first_frame_s": timings.firstFrame,
            "render_s": timings.render, "draw_s": timings.draw,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: out), options: .atomic)
    }
}

/// `dramatis debug long-transcript`: saves the synthetic conversation as a transcript (for the TUI memory benchmark).
struct DebugLongTranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "long-transcript", abstract: "Write a synthetic transcript.")

    @Option(help: "Messages in the transcript.") var messages = 10_000
    @Option(help: "Transcript id.") var id = "20261122-000000-bench"
    @Option(help: "Folder to write to.") var out: String

    func run() throws {
        let store = TranscriptStore(directory: URL(fileURLWithPath: out, isDirectory: true))
        try store.save(SyntheticConversation.make(messages: messages, id: id))
        print(store.url(for: id).path)
    }
}

/// `dramatis debug input-latency-bench`: input-to-frame latency while marks are recorded, with a 10,000-example
/// dataset and a 10,000-message transcript open (run it in tmux; see bench/tui.sh). Rounds with marks and
/// rounds without them alternate in one run; the record time is what each mark would block input for if
/// recording ran on the UI thread.
struct DebugInputLatencyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "input-latency-bench",
                                                    abstract: "Time keys to frames while marks are written (run in a terminal).")

    @Option(help: "Scratch folder (must not exist yet or be empty).") var directory: String
    @Option(help: "Existing conversations in the dataset.") var conversations = 1000
    @Option(name: .customLong("marks-per-conversation"), help: "Good-marked replies per existing conversation.") var marksPerConversation = 10
    @Option(help: "Messages in the open transcript (even: it ends with a reply).") var messages = 10_000
    @Option(help: "Keys per round (cursor moves; every tenth key is a mark in the rounds with marks).") var keys = 200
    @Option(help: "Rounds of each kind, interleaved.") var rounds = 2
    @Option(help: "Seconds between keys.") var pace = 0.03
    @Option(help: "Write the JSON result here (the terminal is taken by curses while it runs).") var out: String

    func run() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let store = TranscriptStore(directory: root.appendingPathComponent("Transcripts"))
        try BenchDataset.write(conversations: conversations, marksPerConversation: marksPerConversation, to: store)
        let recorder = Recorder(transcripts: store, datasetRoot: root.appendingPathComponent("Datasets"))
        try recorder.prepare(personaID: BenchDataset.persona.id)
        let services = BenchRecordingServices(recorder: recorder)
        let conversation = SyntheticConversation.make(messages: messages)

        let marks: Set<KeyEvent> = [.character("+"), .character("-")]
        var withMarks: [Double] = [], withoutMarks: [Double] = []
        var marksPressed = 0, recorded = 0
        for round in 0..<(2 * rounds) {
            let marking = round % 2 == 0
            var state = AppState(screen: .chat)
            state.chat = ChatState(conversation: conversation)
            // Into the message cursor, which starts on the last message: a reply (the message count is even).
            _ = Reducer.reduce(&state, .key(.tab), now: Date())
            var sequence: [KeyEvent] = []
            for index in 0..<keys {
                sequence.append(index % 2 == 0 ? .up : .down)   // away from the reply and back
                if marking, index % 10 == 9 { sequence.append(sequence.count % 4 < 2 ? .character("+") : .character("-")) }
            }
            let inbox = try EventInbox()
            let runner = EffectRunner(services: services, inbox: inbox, environment: [:])
            let result = try InputLatencyBenchmark.run(state: state, keys: sequence, isMark: { marks.contains($0) }, pace: pace,
                                                       runner: runner, inbox: inbox, environment: ProcessInfo.processInfo.environment)
            if marking {
                withMarks += result.latencies
                marksPressed += result.marks
                recorded += result.recorded
            } else {
                withoutMarks += result.latencies
            }
        }
        guard recorded == marksPressed, marksPressed > 0 else {
            throw ValidationError("only \(recorded) of \(marksPressed) marks were recorded: the key sequence did not mark a reply")
        }
        let examples = (try? String(contentsOf: recorder.datasetDirectory(personaID: BenchDataset.persona.id)
            .appendingPathComponent("sft.jsonl"), encoding: .utf8))?.split(separator: "\n").count ?? 0
        /// Milliseconds at percentile `p` of `values` (seconds).
        func percentile(_ values: [Double], _ p: Double) -> Double { NearestRank.percentile(values, p) * 1000 }
        let recordTimes = services.recordSeconds
        let result: [String: Any] = [
            "examples": examples, "messages": messages, "marks": marksPressed, "recorded": recorded,
            "keys_timed_with_marks": withMarks.count, "keys_timed_without_marks": withoutMarks.count,
            "with_marks_ms": ["p50": percentile(withMarks, 0.5), "p99": percentile(withMarks, 0.99), "max": percentile(withMarks, 1)],
            "without_marks_ms": ["p50": percentile(withoutMarks, 0.5), "p99": percentile(withoutMarks, 0.99), "max": percentile(withoutMarks, 1)],
            "record_ms": ["p50": percentile(recordTimes, 0.5), "max": percentile(recordTimes, 1)],
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: out), options: .atomic)
    }
}

/// The runner's services for the input-latency benchmark: the real recorder, timed; nothing else is used.
final class BenchRecordingServices: ChatServices, @unchecked Sendable {
    // @unchecked: `times` is only touched under `lock`; the recorder locks itself.
    private let recorder: Recorder
    private let lock = NSLock()
    private var times: [Double] = []

    init(recorder: Recorder) { self.recorder = recorder }

    /// Seconds each record took on the writer.
    var recordSeconds: [Double] {
        lock.lock(); defer { lock.unlock() }
        return times
    }

    func record(_ conversation: Conversation) throws -> String {
        let start = DispatchTime.now()
        try recorder.record(conversation)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        lock.lock(); times.append(seconds); lock.unlock()
        return recorder.transcripts.url(for: conversation.id).path
    }

    func prepareRecording(for conversation: Conversation) throws { try recorder.prepare(personaID: conversation.persona.id) }
    func listPersonas() -> [PersonaListing] { [] }
    func persona(id: String) throws -> Persona { throw BenchServiceUnused(what: "personas") }
    func makeBackend(for persona: Persona) async throws -> any ChatBackend { throw BenchServiceUnused(what: "backends") }
    func newConversationID(for persona: Persona) -> String { TranscriptStore.newConversationID(personaID: persona.id, date: Date()) }
    func datasetOverview(personaID: String) throws -> DatasetOverview { throw BenchServiceUnused(what: "dataset screen") }
    func train(personaID: String, report: @escaping @Sendable (TrainingStatus) -> Void,
               started: @escaping @Sendable (TrainingControl) -> Void) async throws -> TrainedRun {
        throw BenchServiceUnused(what: "trainer")
    }
    func listTranscripts() throws -> [TranscriptRow] { [] }
    func reviewQueue() throws -> ReviewQueueSnapshot { ReviewQueueSnapshot.load(from: recorder.transcripts) }
    func saveReviewPosition(_ position: ReviewItemKey?) throws {
        try ReviewPositionFile(transcriptDirectory: recorder.transcripts.directory).save(position)
    }
    func loadTranscript(id: String) throws -> Conversation { try recorder.transcripts.load(idOrPath: id) }
    func makeBackend(for conversation: Conversation) async throws -> any ChatBackend { throw BenchServiceUnused(what: "backends") }
    func savePersonaSampling(_ sampling: SamplingParameters, personaID: String) throws -> PersonaSamplingSaver.Outcome {
        throw BenchServiceUnused(what: "persona files")
    }
    func shutdown() async {}
}

/// A service the input-latency benchmark does not offer (it opens no chat and talks to no model).
struct BenchServiceUnused: Error, CustomStringConvertible {
    var what: String
    var description: String { "the input-latency benchmark has no \(what)" }
}
