import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL the real TUI (in tmux, against the loopback injector) while a reply streams: the
/// transcript and datasets on disk parse, and the mark whose badge was shown before the kill is in
/// both; a new `dramatis chat` opens the transcript again.
@Suite(.serialized) struct SigkillDuringChatTests {
    @Test func killMidStreamKeepsEveryAcknowledgedMark() async throws {
        let longStory = (1...80).map { "word\($0)" }.joined(separator: " ")
        try await withScriptedChat([
            ScriptedReplies.reply("Paris is the capital of France."),
            ScriptedReplies.reply(longStory, delay: 0.2),
        ], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            try tmux.waitUntil("reply finished") { $0.contains("Paris is the capital of France.") && $0.contains("tok/s") }
            try tmux.press("M-=")
            try tmux.waitFor("[+ good]")           // shown only after the recorder's fsync

            try tmux.type("Tell me a long story")
            try tmux.press("Enter")
            try tmux.waitUntil("streaming") { $0.contains("streaming") && $0.contains("word4") }
            let pid = try #require(Int32(try tmux.command(["display-message", "-p", "-t", tmux.target, "#{pane_pid}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8).contains("dramatis"))
            #expect(kill(pid, SIGKILL) == 0)
            let status = try tmux.waitForExit()
            #expect(status == 128 + SIGKILL, "dramatis ended with status \(status), not by SIGKILL")

            // Every transcript parses; the acknowledged mark is in the transcript and in sft.jsonl.
            let store = TranscriptStore(directory: harness.transcripts)
            for entry in store.list() {
                if case .invalid(let url, let message) = entry { Issue.record("\(url.path): \(message)") }
            }
            let saved = try harness.savedConversation()
            let marked = try #require(saved.turns.first { $0.text == "Paris is the capital of France." })
            #expect(marked.mark?.value == .good)
            let sft = harness.dataset("clippy", "sft.jsonl")
            #expect(sft.contains("Paris is the capital of France."))
            #expect(sft.hasSuffix("\n"))
            for line in sft.split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "torn line: \(line.prefix(80))")
            }
            let preference = harness.dataset("clippy", "preference.jsonl")
            for line in preference.split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "torn line: \(line.prefix(80))")
            }

            // The transcripts command reads it, and the export still has the marked reply.
            let show = try ProcessRunner.runBlocking(BuiltProducts.dramatis, ["transcripts", "show", saved.id, "--transcripts", harness.transcripts.path])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("Paris is the capital of France."))
            let export = try ProcessRunner.runBlocking(BuiltProducts.dramatis, ["export", "--transcripts", harness.transcripts.path])
            #expect(export.status == 0)
            #expect(export.stdout.contains("Paris is the capital of France."))
        }
    }
}
