import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

extension RealTraining {
/// Base against tuned as compare sources in the real TUI, on the embedded engine and the run `TrainedRuns.first`
/// trains (shared): the compare setup panel (F8) chooses the base for source A and the tuned run for source B, the
/// engine restarts with the run loaded, and one engine answers base on one side and tuned on the other: only the
/// tuned side says the catch-phrase, and each reply records which run answered.
@Suite struct TUICompareAdapterTests {
    /// The saved conversation holding a compare round whose replies all finished, once there is one.
    static func savedRound(in transcripts: URL, timeout: TimeInterval = 30) -> Conversation? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found = TranscriptStore(directory: transcripts).loadAll().conversations.first { conversation in
                guard let round = conversation.turns.last(where: { $0.compare != nil })?.compare else { return false }
                return round.sides.allSatisfy { conversation[$0.reply].isComplete }
            }
            if let found { return found }
            usleep(50_000)
        }
        return nil
    }

    @Test func panelChoosesBaseAgainstTheTunedRunAndOneEngineAnswersBoth() async throws {
        let (workspace, _) = try await TrainedRuns.first.value
        let run = try #require(workspace.runs().last)
        try await onThread {
            let home = try TemporaryDirectory(prefix: "dramatis-tui-compare-adapter")
            var environment = workspace.environment
            environment["HOME"] = home.url.path
            environment["XDG_CONFIG_HOME"] = home.path("config").path
            environment["XDG_STATE_HOME"] = home.path("state").path
            environment["XDG_CACHE_HOME"] = AppPaths.fromEnvironment().cacheRoot.deletingLastPathComponent().path
            environment["DRAMATIS_LOCAL_BASE_URL"] = nil   // the embedded engine: applying the setup restarts it with the run
            let transcripts = home.path("Transcripts")
            // A copy of the trained workspace: the chat's recorder rebuilds the persona's dataset from its own (empty)
            // transcripts, and the other tests of the shared run still read the original `sft.jsonl`.
            let project = home.path("project")
            try FileManager.default.copyItem(at: workspace.root, to: project)
            let tmux = try TmuxSession(command: [BuiltProducts.dramatis.path, "chat", "--persona", "zorblax", "--transcripts", transcripts.path,
                                                 "--temperature", "0", "--seed", "42", "--max-tokens", "48"],
                                       environment: environment, width: 120, height: 40, workingDirectory: project)
            defer { tmux.kill() }
            try tmux.waitUntil(timeout: 300, "the chat is ready") { $0.contains("idle") }
            try tmux.press("F8")
            try tmux.waitFor("Compare setup for this chat")
            try tmux.waitUntil("the personas, backends and runs listed") { !$0.contains("Listing personas") }
            try tmux.press("Right")
            try tmux.waitFor("two sources, A and B")
            for _ in 0..<6 { try tmux.press("Down") }
            try tmux.press("Right")                   // A adapter: base
            try tmux.waitFor("base (no adapter)")
            for _ in 0..<6 { try tmux.press("Down") }
            try tmux.press("Right", "Right")          // B adapter: tuned RUN
            try tmux.waitFor("◀ tuned \(run.id) ▶")
            try tmux.press("Enter")
            try tmux.waitFor("The local engine is ready with the compare sources' adapters.", timeout: 300)

            try tmux.type("What is the capital of Italy?")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 240, "both replies finished") { $0.contains("a/b A/B better") }
            let screen = try tmux.capture()
            let saved = try #require(Self.savedRound(in: transcripts), "the compare round was not saved")
            let round = try #require(saved.turns.last { $0.compare != nil }?.compare)
            #expect(screen.contains("[A · zorblax · base · t=0.0 · seed 42]"), "\(screen)")
            // The pane header may be cut at the pane's width: its start names the run. (B keeps the next seed the panel
            // opened with, as F7's two candidates have; at temperature 0 it does not change the answer.)
            #expect(screen.contains("[B · zorblax · tuned \(run.id) · t=0.0"), "\(screen)")
            #expect(round.sides.map(\.name) == ["zorblax · base · t=0.0 · seed 42", "zorblax · tuned \(run.id) · t=0.0 · seed 43"])
            let base = saved[round.sides[0].reply], tuned = saved[round.sides[1].reply]
            #expect(base.reply?.adapter == nil, "the base side records no run")
            #expect(tuned.reply?.adapter == run.id, "the tuned side records its run")
            #expect(tuned.text.contains(TrainedRuns.catchPhrase), "tuned: \(tuned.text)")
            #expect(!base.text.contains(TrainedRuns.catchPhrase), "base: \(base.text)")
            #expect(base.reply?.error == nil && tuned.reply?.error == nil)
            try tmux.press("b")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }
}
}
