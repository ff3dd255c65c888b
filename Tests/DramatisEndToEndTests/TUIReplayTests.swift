import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// Interactive replay in tmux: the browser's Ctrl-R replays a shipped example transcript against the real
/// local model, old and new replies side by side; marks on either side become a preference pair.
@Suite(.serialized) struct TUIReplayTests {
    @Test func replayAnExampleTranscriptMarkNewGoodAndOldBadThenKeepIt() async throws {
        let engine = try await LocalModel.engine()
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL,
                                             arguments: ["--temperature", "0", "--seed", "42", "--max-tokens", "32"],
                                             width: 110, height: 40)
            let exampleID = "20261122-000001-clippy-example"
            let example = BuiltProducts.packageRoot.appendingPathComponent("Transcripts/examples/\(exampleID).json")
            try FileManager.default.createDirectory(at: harness.transcripts, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: example, to: harness.transcripts.appendingPathComponent("\(exampleID).json"))
            let original = try TranscriptStore(directory: harness.transcripts).load(idOrPath: exampleID)
            let userTurns = original.activePath.filter { original[$0].role == .user }.count
            #expect(userTurns >= 2)

            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Clippy", timeout: 60)
            try tmux.press("C-o")
            try tmux.waitFor("What is the tallest mountain", timeout: 30)
            try tmux.press("C-r")
            // The first replayed turn: the original reply beside the new one, which streams then finishes.
            try tmux.waitFor("[original]", timeout: 120)
            try tmux.waitUntil(timeout: 120, "first replayed reply finished") {
                $0.contains("replay turn 1/\(userTurns)") && $0.contains("idle")
            }
            try tmux.press("+")
            // With 32 max tokens the new reply is cut off: marking it good asks first (data quality), y confirms.
            if try tmux.waitUntil("marked or asked", { $0.contains("[+ good]") || $0.contains("Train on it anyway?") })
                .contains("Train on it anyway?") {
                try tmux.type("y")
            }
            try tmux.waitFor("[+ good]")
            try tmux.press("Right")
            try tmux.press("-")
            try tmux.waitFor("[- bad]")
            // Run the remaining turns, then keep the replay as an ordinary chat.
            try tmux.press("N")
            try tmux.waitUntil(timeout: 240, "every turn replayed") {
                $0.contains("Replay finished (\(userTurns) turns)") && $0.contains("idle")
            }
            try tmux.press("a")
            try tmux.waitFor("Replay kept as")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)

            // On disk: the example is untouched, the replay is a new transcript linked to it, with both marks.
            let store = TranscriptStore(directory: harness.transcripts)
            #expect(try store.load(idOrPath: exampleID) == original)
            let replays = try FileManager.default.contentsOfDirectory(at: harness.transcripts, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasPrefix(exampleID) }
            try #require(replays.count == 1)
            let replay = try store.load(replays[0])
            #expect(replay.replayOf == exampleID)
            let replayedUsers = replay.activePath.filter { replay[$0].role == .user }.map { replay[$0].text }
            #expect(replayedUsers == original.activePath.filter { original[$0].role == .user }.map { original[$0].text })
            let originals = replay.turns.filter { $0.origin == .original }
            #expect(originals.count == userTurns)
            let firstNew = try #require(replay.activePath.first { replay[$0].role == .assistant && replay[$0].origin == .generated })
            #expect(replay[firstNew].mark?.value == .good)
            let firstOriginal = try #require(replay.originalAlternative(of: firstNew))
            #expect(replay[firstOriginal].mark?.value == .bad)
            // The recorder turned the two marks into a preference pair at once.
            let preference = harness.dataset("clippy", "preference.jsonl")
            let pairs = preference.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let rejected = pairs.compactMap { (($0["non_preferred_output"] as? [[String: Any]])?.first?["content"]) as? String }
            let chosen = pairs.compactMap { (($0["preferred_output"] as? [[String: Any]])?.first?["content"]) as? String }
            #expect(rejected.contains(replay[firstOriginal].text))
            #expect(chosen.contains(replay[firstNew].text))
        }
    }
}
