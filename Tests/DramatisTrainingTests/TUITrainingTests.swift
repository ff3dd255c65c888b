import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

extension RealTraining {
/// F5 in the real TUI trains the persona on its marked replies (really, on the embedded model), the trainer is stopped
/// while a reply streams, and F6 restarts the engine with the new adapter: the conversation stays, and the tuned
/// model answers with the catch-phrase the base model never says.
@Suite struct TUITrainingTests {
    static let catchPhrase = "Blorptastic!"

    /// The trainer's pid, found by its script name among this user's processes.
    static func trainerPID() -> Int32? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for name in names {
            guard let pid = Int32(name),
                  let command = try? String(contentsOfFile: "/proc/\(name)/cmdline", encoding: .utf8) else { continue }
            if command.contains("dramatis_trainer.py") { return pid }
        }
        return nil
    }

    /// The process state letter (`R`, `S`, `T` for stopped…) from /proc/PID/stat.
    static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].first
    }

    @Test func f5TrainsInTheBackgroundAndF6ChatsWithTheTunedModelKeepingTheConversation() async throws {
        try await onThread {
            let workspace = try TrainingWorkspace(personaID: "blorp", frontMatter: "temperature: 0\nseed: 42\nmax_tokens: 96\n")
            // Sixteen conversations whose replies, marked good, start with the catch-phrase: the recorder derives sft.jsonl.
            guard case .success(let persona) = PersonaFile.load(contentsOf: workspace.root.appendingPathComponent("Personas/blorp.md")) else {
                Issue.record("the test persona does not parse"); return
            }
            let store = TranscriptStore(directory: workspace.root.appendingPathComponent("Transcripts"))
            for (index, (question, answer)) in TrainingExamples.questions.prefix(16).enumerated() {
                let date = Date(timeIntervalSince1970: 1_800_000_000 + Double(index))
                var conversation = Conversation(id: String(format: "20261130-%06d-blorp-0000", index), createdAt: date, persona: persona,
                                                backend: BackendDescriptor(name: "local", kind: "local", model: "SmolLM2-135M-Instruct"),
                                                sampling: persona.sampling)
                let user = conversation.appendUserMessage(question, at: date)
                let reply = conversation.startReply(after: user, backend: "local", model: "SmolLM2-135M-Instruct", at: date)
                conversation.appendReplyText("\(Self.catchPhrase) \(answer)", to: reply)
                conversation.finishReply(reply, reason: .stop)
                conversation.setMark(.good, on: reply, at: date)
                try store.save(conversation)
            }

            let home = try TemporaryDirectory(prefix: "dramatis-tui-train")
            var environment = workspace.environment
            environment["HOME"] = home.url.path
            environment["XDG_CONFIG_HOME"] = home.path("config").path
            environment["XDG_STATE_HOME"] = home.path("state").path
            environment["XDG_CACHE_HOME"] = AppPaths.fromEnvironment().cacheRoot.deletingLastPathComponent().path
            environment["DRAMATIS_LOCAL_BASE_URL"] = nil   // the embedded engine: F6 restarts it with the adapter
            let tmux = try TmuxSession(command: [BuiltProducts.dramatis.path, "chat", "--persona", "blorp"], environment: environment,
                                       width: 100, height: 30, workingDirectory: workspace.root)
            defer { tmux.kill() }
            try tmux.waitUntil(timeout: 300, "the chat is ready") { $0.contains("idle") }

            // Training starts; once it reports steps, a reply streams and the trainer is stopped meanwhile.
            try tmux.press("F5")
            try tmux.waitUntil(timeout: 600, "training steps in the status line") { $0.contains("train ") && $0.contains("/") && $0.contains("loss") }
            let trainer = try #require(Self.trainerPID(), "no trainer process")
            try tmux.type("Tell me a long story about a lighthouse.")
            try tmux.press("Enter")
            // The typed text sits in the input line while the status still says idle, so the loop only ends once the
            // reply has begun (the status said waiting or streaming, or the trainer was seen stopped) and the status is idle again.
            var sawStopped = false
            var sawStreaming = false
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if Self.state(of: trainer) == "T" { sawStopped = true }
                let screen = try tmux.capture()
                if screen.contains("streaming") || screen.contains("waiting") { sawStreaming = true }
                if (sawStreaming || sawStopped) && screen.contains("idle") && !screen.contains("streaming") && !screen.contains("waiting") { break }
                usleep(20_000)
            }
            #expect(sawStreaming, "the status line never said the reply was waiting or streaming")
            #expect(sawStopped, "the trainer never stopped while the reply streamed")
            if let state = Self.state(of: trainer) { #expect(state != "T", "the trainer stayed stopped after the reply") }

            let finished = try tmux.waitUntil(timeout: 900, "the training finished") { $0.contains("F6 chats with it") || $0.contains("Training failed") }
            try #require(finished.contains("F6 chats with it"), "\(finished)")
            #expect(finished.contains("validation loss"))
            let runs = TrainingRuns(datasetRoot: workspace.root.appendingPathComponent("Datasets"), personaID: "blorp").list()
            let run = try #require(runs.last)

            try tmux.press("F6")
            try tmux.waitFor("Now chatting with tuned \(run.id)", timeout: 300)
            try tmux.type("What is the capital of Italy?")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 120, "the tuned reply") { $0.contains(Self.catchPhrase) }

            // The conversation went on across the engine restart, and each reply records which model answered.
            var saved: Conversation?
            for _ in 0..<600 {
                saved = TranscriptStore(directory: store.directory).loadAll().conversations.first { conversation in
                    conversation.turns.contains { $0.text.contains("lighthouse") } && conversation.turns.last?.text.contains(Self.catchPhrase) == true
                }
                if saved != nil { break }
                usleep(50_000)
            }
            let conversation = try #require(saved, "the tuned reply was not saved")
            let replies = conversation.turns.filter { $0.role == .assistant }
            #expect(replies.count >= 2)
            #expect(replies.first?.reply?.adapter == nil)
            #expect(replies.last?.reply?.adapter == run.id)
            #expect(replies.last?.text.contains(Self.catchPhrase) == true)
        }
    }
}
}
