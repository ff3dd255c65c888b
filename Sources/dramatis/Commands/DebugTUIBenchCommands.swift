import ArgumentParser
import DramatisCore
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
