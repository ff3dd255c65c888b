import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The TUI under abuse, in tmux against the loopback injector: a failed reply shown in the status
/// line and retried with Ctrl-R, a terminal shrunk to 10×3 and back, and a 10 MB single-line paste.
@Suite(.serialized) struct TUIRobustnessTests {
    @Test func serverErrorShowsInTheStatusLineAndCtrlRRetries() async throws {
        // The 503 is retried by the backend (3 retries, announced in the status line) before it is shown.
        let unavailable = FaultResponse.plain(status: 503, contentType: "application/json", body: "{\"error\":{\"message\":\"Loading model\",\"code\":503}}")
        try await withScriptedChat([
            ScriptedReplies.reply("Paris, obviously."),
            unavailable, unavailable, unavailable, unavailable,
            FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Rome, I thi"))\n\n"), .close]),
            ScriptedReplies.reply("Rome. Keep up."),
        ], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.type("Capital of France?")
            try tmux.press("Enter")
            try tmux.waitUntil("first reply") { $0.contains("Paris, obviously.") && $0.contains("tok/s") }

            try tmux.type("Capital of Italy?")
            try tmux.press("Enter")
            try tmux.waitFor("retrying in")
            let failed = try tmux.waitFor("error: local had a server error (503 Service Unavailable) after 3 retries")
            #expect(failed.contains("Capital of Italy?"))
            #expect(failed.contains("Paris, obviously."))

            // Ctrl-R: the server now breaks the stream midway — partial text kept, a new error shown.
            try tmux.press("C-r")
            try tmux.waitUntil("disconnect shown") {
                $0.contains("error: local closed the connection mid-reply") && $0.contains("Rome, I thi") && $0.contains("‹2/2›")
            }
            // Ctrl-R again, the fault has stopped: the reply arrives and the status is back to idle.
            try tmux.press("C-r")
            let recovered = try tmux.waitUntil("recovered") { $0.contains("Rome. Keep up.") && $0.contains("‹3/3›") && $0.contains("idle") }
            #expect(!recovered.contains("error:"))
            #expect(recovered.contains("Capital of Italy?"))
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)

            let saved = try harness.savedConversation()
            let path = saved.activePath.map { saved[$0] }
            #expect(path.map(\.text).suffix(4) == ["Capital of France?", "Paris, obviously.", "Capital of Italy?", "Rome. Keep up."])
            let alternatives = saved.alternatives(of: saved.activePath.last!).map { saved[$0] }
            #expect(alternatives.map(\.text) == ["", "Rome, I thi", "Rome. Keep up."])
            #expect(alternatives.map { $0.reply?.finishReason } == [.incomplete, .incomplete, .stop])
            #expect(alternatives[0].reply?.error == "local had a server error (503 Service Unavailable) after 3 retries: Loading model (503)")
            // The three attempts sent the same history, ending with the question.
            let histories = injector.requests.suffix(3).map { $0.json?["messages"] as? [[String: String]] ?? [] }
            #expect(histories.count == 3)
            #expect(histories.allSatisfy { $0 == histories[0] })
            #expect(histories[0].last == ["role": "user", "content": "Capital of Italy?"])
        }
    }

    @Test func resizeTo10x3ShowsTooSmallThenTheConversationAgain() async throws {
        try await withScriptedChat([ScriptedReplies.reply("Paris, obviously."), ScriptedReplies.reply("Still here.")], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.type("Capital of France?")
            try tmux.press("Enter")
            try tmux.waitUntil("reply") { $0.contains("Paris, obviously.") && $0.contains("tok/s") }
            try tmux.type("half-typed draft")

            try tmux.resize(width: 10, height: 3)
            let tiny = try tmux.waitFor("too small")
            #expect(tiny.split(separator: "\n").allSatisfy { DisplayWidth.columns($0) <= 10 })
            // Keys typed while the screen is too small still reach the editor.
            try tmux.type(" more")
            try tmux.resize(width: 80, height: 24)
            let back = try tmux.waitUntil("normal screen") {
                $0.contains("Capital of France?") && $0.contains("Paris, obviously.") && $0.contains("half-typed draft more") && !$0.contains("too small")
            }
            #expect(back.contains("Oh, look who needs help"))
            try tmux.press("Enter")
            try tmux.waitFor("Still here.")
            let messages = try #require(injector.requests.last?.json?["messages"] as? [[String: String]])
            #expect(messages.last == ["role": "user", "content": "half-typed draft more"])
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
            let saved = try harness.savedConversation()
            #expect(saved.turns.filter { $0.role == .user }.map(\.text) == ["Capital of France?", "half-typed draft more"])
        }
    }

    @Test func tenMegabyteSingleLinePasteStaysResponsive() async throws {
        let scratch = try TemporaryDirectory(prefix: "dramatis-paste")
        // 10 MiB on one line: words, a wide character now and then, and a marker at the very end.
        let unit = "lorem ipsum dolor sit amet 東京 consectetur adipiscing elit "
        var text = String(repeating: unit, count: 10 * 1024 * 1024 / unit.utf8.count)
        text += "END-OF-THE-PASTE"
        #expect(text.utf8.count >= 10 * 1024 * 1024)
        #expect(!text.contains("\n"))
        let file = scratch.path("paste.txt")
        try Data(text.utf8).write(to: file)
        try await withScriptedChat([ScriptedReplies.reply("Short answer.")], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.command(["load-buffer", "-b", "big", file.path])
            try tmux.command(["paste-buffer", "-p", "-b", "big", "-t", tmux.target])
            // The end of the paste appears in the editor (the cursor is at its end); nothing was sent.
            // The editor wraps by character, so the marker may be split over two lines ("END-OF" /
            // "  -THE-PASTE"): continuation lines are joined (their two-column indent removed) first.
            let pasted = try tmux.waitUntil(timeout: 300, "'END-OF-THE-PASTE' in the editor") {
                $0.replacingOccurrences(of: "\n  ", with: "").contains("END-OF-THE-PASTE")
            }
            #expect(pasted.contains("idle"))
            #expect(injector.requests.isEmpty)
            // The UI still answers keys: Ctrl-U clears the line, then a normal message goes out.
            try tmux.press("C-u")
            try tmux.waitUntil(timeout: 60, "editor cleared") { !$0.contains("END-OF") && !$0.contains("lorem ipsum") }
            try tmux.type("Just this, please.")
            try tmux.press("Enter")
            try tmux.waitFor("Short answer.", timeout: 60)
            let messages = try #require(injector.requests.first?.json?["messages"] as? [[String: String]])
            #expect(messages.last == ["role": "user", "content": "Just this, please."])
            try tmux.press("C-q")
            #expect(try tmux.waitForExit(timeout: 60) == 0)
        }
    }
}
