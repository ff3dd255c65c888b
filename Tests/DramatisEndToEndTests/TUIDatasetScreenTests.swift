import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The dataset screen in the real binary at 80×24: F2 from the picker, a finding opens its source turn, where a
/// key re-marks it and the transcript on disk changes.
@Suite struct TUIDatasetScreenTests {
    @Test func aFindingOpensItsSourceTurnWhereItCanBeUnmarked() async throws {
        try await onThread {
            // Nothing here sends a request; a closed port keeps the local engine from starting.
            let cacheParent = AppPaths.fromEnvironment().cacheRoot.deletingLastPathComponent().path
            let harness = try TUIChatHarness(backendURL: URL(string: "http://127.0.0.1:9/v1")!, arguments: [],
                                             environment: ["XDG_CACHE_HOME": cacheParent])
            let fixtures = BuiltProducts.packageRoot.appendingPathComponent("Tests/DramatisCoreTests/Fixtures/stats/Transcripts")
            try FileManager.default.createDirectory(at: harness.transcripts, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: fixtures.path) where file.hasSuffix(".json") {
                try FileManager.default.copyItem(at: fixtures.appendingPathComponent(file), to: harness.transcripts.appendingPathComponent(file))
            }
            let store = TranscriptStore(directory: harness.transcripts)
            let source = try store.load(idOrPath: StatsFixtures.withheldID)
            #expect(source[2].mark?.value == .good)

            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Clippy", timeout: 60)
            try tmux.type("clippy")
            try tmux.press("F2")
            let screen = try tmux.waitFor("Findings (", timeout: 60)
            #expect(screen.contains("Dataset — Clippy"))
            #expect(screen.contains("SFT examples: 4"))
            #expect(screen.contains("personal_data \(StatsFixtures.withheldID) turn 2 (sft.jsonl:3)"))
            // A finding names personal data, never shows it whole (the example's own text below it is the data itself).
            let finding = screen.split(separator: "\n").first { $0.contains("personal_data") } ?? ""
            #expect(finding.contains("(sft.jsonl:3)") && !finding.contains("jane.doe"))
            // The first finding is the e-mail address in turn 2's example: Enter opens that conversation at turn 2.
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 60, "the source conversation in the chat") { $0.contains("Sure.") && !$0.contains("Findings (") }
            try tmux.type("0")   // clear the mark of the turn under the cursor
            let saved = try harness.waitForSaved(store, id: StatsFixtures.withheldID) { $0[2].mark == nil }
            #expect(saved[2].mark == nil)
            #expect(saved.turns.filter { $0.mark != nil }.count == source.turns.filter { $0.mark != nil }.count - 1)
        }
    }
}

extension TUIChatHarness {
    /// The transcript `id` once `done` holds for it (recording runs off the UI thread).
    func waitForSaved(_ store: TranscriptStore, id: String, timeout: TimeInterval = TmuxSession.defaultTimeout,
                      until done: (Conversation) -> Bool) throws -> Conversation {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let saved = try? TranscriptStore(directory: store.directory).load(idOrPath: id), done(saved) { return saved }
            guard Date() < deadline else { throw HarnessError("waited \(Int(timeout)) s for transcript \(id)") }
            usleep(50_000)
        }
    }
}
