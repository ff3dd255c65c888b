import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// End-to-end tests of `dramatis chat` in tmux against the loopback fault injector, which
/// replays scripted SSE streams: every key path, resize mid-stream, stop, and what lands on disk.
@Suite(.serialized) struct TUIScriptedChatTests {
    @Test func chatRegenerateFlipMarkEditResizeStopAndQuit() async throws {
        let longStory = (1...60).map { "word\($0)" }.joined(separator: " ")
        try await withScriptedChat([
            ScriptedReplies.reply("Paris is the capital of France."),
            ScriptedReplies.reply("Paris, obviously. Did you skip school?"),
            ScriptedReplies.reply(longStory, delay: 0.25),
        ], arguments: ["--persona", "clippy"]) { harness, tmux, injector in

            try tmux.waitFor("Oh, look who needs help")
            try tmux.waitFor("idle")
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            try tmux.waitFor("Paris is the capital of France.")
            try tmux.waitUntil("reply finished") { $0.contains("idle") && $0.contains("tok/s") }
            // The request carried the persona's system prompt first and the question last.
            let first = try #require(injector.requests.first?.json?["messages"] as? [[String: Any]])
            #expect(first.first?["role"] as? String == "system")
            #expect(first.last?["content"] as? String == "What is the capital of France?")

            // Regenerate: the old reply stays as alternative 1 of 2.
            try tmux.press("C-r")
            try tmux.waitFor("Paris, obviously. Did you skip school?")
            try tmux.waitFor("‹2/2›")
            try tmux.waitFor("idle")
            try tmux.press("M-,")
            try tmux.waitUntil("flipped to alternative 1") { $0.contains("‹1/2›") && $0.contains("Paris is the capital of France.") }

            // Mark good from the editor: the badge appears only after the recorder wrote it.
            try tmux.press("M-=")
            try tmux.waitFor("[+ good]")
            var saved = try harness.savedConversation()
            let goodReply = try #require(saved.turns.first { $0.text == "Paris is the capital of France." })
            #expect(goodReply.mark?.value == .good)
            #expect(harness.dataset("clippy", "sft.jsonl").contains("Paris is the capital of France."))
            try tmux.waitFor("marks 1")

            // Message cursor: mark the reply bad, then edit it into the ideal answer.
            try tmux.press("Tab")
            try tmux.waitFor("▶ Clippy")
            try tmux.type("-")
            try tmux.waitFor("[- bad]")
            try tmux.type("e")
            try tmux.waitFor("ideal>")
            try tmux.press("C-u")
            try tmux.type("Paris. Shocking, I know.")
            try tmux.press("Enter")
            try tmux.waitUntil("edit saved") { $0.contains("[edited]") && $0.contains("Paris. Shocking, I know.") }
            saved = try harness.savedConversation("the edit") { $0.turns.contains { $0.origin == .edited } }
            let edited = try #require(saved.turns.first { $0.origin == .edited })
            #expect(edited.text == "Paris. Shocking, I know.")
            #expect(edited.mark?.value == .good)
            #expect(saved[edited.editedFrom!].mark?.value == .bad)
            #expect(harness.dataset("clippy", "preference.jsonl").contains("Paris. Shocking, I know."))

            // A slow reply: resize mid-stream (re-layout), then stop it with Esc (partial text kept).
            try tmux.type("Tell me a long story")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 30, "streaming started") { $0.contains("streaming") && $0.contains("word3") }
            try tmux.resize(width: 50, height: 14)
            let narrow = try tmux.waitUntil("re-laid out at 50 columns") { screen in
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return lines.count <= 15 && screen.contains("streaming") && lines.allSatisfy { DisplayWidth.columns($0) <= 50 }
            }
            #expect(narrow.contains("Clippy"))
            try tmux.resize(width: 80, height: 24)
            try tmux.waitUntil("wide again") { $0.split(separator: "\n").contains { DisplayWidth.columns($0) > 50 } }
            try tmux.press("Escape")
            try tmux.waitFor("[stopped]")
            try tmux.waitFor("idle")
            saved = try harness.savedConversation("the stopped reply") { $0.lastTurn?.reply?.finishReason == .cancelled }
            let stopped = try #require(saved.lastTurn)
            #expect(stopped.reply?.finishReason == .cancelled)
            #expect(stopped.text.hasPrefix("word1 word2"))
            #expect(!stopped.text.contains("word60"))

            // Ctrl-S shows where the transcript is; Ctrl-Q quits cleanly.
            try tmux.press("C-s")
            try tmux.waitFor("Transcript saved:")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
            saved = try harness.savedConversation()
            #expect(saved.markCount == 2)
            #expect(saved.turns.filter { $0.role == .user }.count == 2)
        }
    }

    @Test func hostileModelOutputHasNoEffectOnTheScreen() async throws {
        try await withScriptedChat([
            ScriptedReplies.chunks(["SAFE-A", "\u{1B}]52;c;SGFja2Vk\u{07}", "SAFE-B", "\u{1B}[2J\u{1B}[H", "SAFE-C\rXX",
                                    "\u{1B}]0;pwned-title\u{1B}\\", "\u{202E}SAFE-D", "\u{1B}[31m", "SAFE-E\u{08}\u{08}", " THE-END"]),
        ], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("Oh, look who needs help")
            try tmux.type("Say something")
            try tmux.press("Enter")
            try tmux.waitFor("THE-END")
            try tmux.waitFor("idle")
            let screen = try tmux.capture()
            try tmux.waitFor("idle")
            // ESC[2J did not clear the screen: the greeting is still there; \r did not overwrite; text is contiguous.
            #expect(screen.contains("Oh, look who needs help"))
            #expect(screen.contains("SAFE-ASAFE-BSAFE-CXXSAFE-DSAFE-E THE-END"))
            #expect(!screen.contains("\u{202E}"))
            #expect(!screen.contains("SGFja2Vk"))
            #expect(!screen.contains("pwned"))
            // No red text appeared: the only SGR colours are our own (no ESC[31m from the model).
            let attributed = try tmux.capture(withAttributes: true)
            #expect(!attributed.contains("52;"))
            let title = try tmux.command(["display-message", "-p", "-t", tmux.target, "#{pane_title}"])
            #expect(!title.contains("pwned"))
            // The raw text is stored as received (sanitizing is for display).
            try tmux.press("C-q")
            _ = try tmux.waitForExit()
            let saved = try harness.savedConversation()
            #expect(saved.lastTurn?.text.contains("\u{1B}]52;") == true)
        }
    }

    @Test func pickerFiltersShowsBrokenPersonasHelpAndTooSmall() async throws {
        let extra = try TemporaryDirectory(prefix: "dramatis-tui-personas")
        try Data("---\nname: Broken One\ntemperature: hot\n---\nPrompt.\n".utf8).write(to: extra.path("broken.md"))
        try await withScriptedChat([ScriptedReplies.reply("Ahoy.")], arguments: [], extraPersonas: extra.url) { harness, tmux, injector in
            try tmux.waitFor("pick a persona")
            try tmux.waitFor("(broken)")
            try tmux.press("F1")
            try tmux.waitFor("Keys — Esc closes")
            try tmux.press("Escape")
            try tmux.waitUntil("help closed") { !$0.contains("Keys — Esc closes") }
            try tmux.resize(width: 20, height: 6)
            try tmux.waitFor("too small")
            try tmux.resize(width: 80, height: 24)
            try tmux.waitFor("pick a persona")
            try tmux.type("pirate")
            try tmux.waitUntil("filtered to one") { $0.contains("Captain Saltbeard") && $0.contains("1/") }
            try tmux.press("Enter")
            try tmux.waitFor("Captain Saltbeard —")
            try tmux.type("Hello")
            try tmux.press("Enter")
            try tmux.waitFor("Ahoy.")
            try tmux.press("C-c")
            #expect(try tmux.waitForExit() == 0)
            let saved = try harness.savedConversation()
            #expect(saved.persona.name == "Captain Saltbeard")
            #expect(saved.lastTurn?.text == "Ahoy.")
        }
    }

    @Test func bracketedPasteDoesNotSendLineByLineAndHistoryRecalls() async throws {
        try await withScriptedChat([ScriptedReplies.reply("Noted.")], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            // tmux paste-buffer -p wraps the text in bracketed-paste markers when the program asked for them.
            try tmux.command(["set-buffer", "-b", "p", "first line\nsecond line"])
            try tmux.command(["paste-buffer", "-p", "-b", "p", "-t", tmux.target])
            try tmux.waitFor("second line")
            #expect(injector.requests.isEmpty)
            try tmux.press("Enter")
            try tmux.waitFor("Noted.")
            try tmux.waitFor("idle")
            let messages = try #require(injector.requests.first?.json?["messages"] as? [[String: Any]])
            #expect(messages.last?["content"] as? String == "first line\nsecond line")
            try tmux.press("Up")
            try tmux.waitUntil("history recalled") { $0.components(separatedBy: "second line").count >= 3 }
            try tmux.press("C-q")
            _ = try tmux.waitForExit()
        }
    }
}

/// `$EDITOR` (Ctrl-X Ctrl-E) and the mouse wheel, in tmux against the fault injector.
@Suite(.serialized) struct TUIEditorAndWheelTests {
    @Test func ctrlXCtrlEEditsTheDraftInTheEditorAndTheResultIsSent() async throws {
        let scripts = try TemporaryDirectory(prefix: "dramatis-editor")
        // A stand-in editor: keeps what it was given and adds a line, as a person would.
        let editor = scripts.path("fake-editor.sh")
        try Data("#!/bin/sh\n{ cat \"$1\"; printf ' plus a second thought\\nand a new line'; } > \"$1.new\" && mv \"$1.new\" \"$1\"\n".utf8)
            .write(to: editor)
        chmod(editor.path, 0o755)
        // Run through sh rather than exec'd: a child another test forks at the moment the script is
        // written inherits its write descriptor until it execs, and exec'ing a file open for writing
        // fails with ETXTBSY (status 126), which made this test flaky once suites ran side by side.
        try await withScriptedChat([ScriptedReplies.reply("Got it.")], arguments: ["--persona", "clippy"],
                                   environment: ["EDITOR": "/bin/sh \(editor.path)", "VISUAL": ""]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.type("my draft")
            try tmux.press("C-x")
            try tmux.press("C-e")
            try tmux.waitFor("and a new line")
            #expect(injector.requests.isEmpty)
            try tmux.press("Enter")
            try tmux.waitFor("Got it.")
            let messages = try #require(injector.requests.first?.json?["messages"] as? [[String: Any]])
            #expect(messages.last?["content"] as? String == "my draft plus a second thought\nand a new line")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }

    @Test func mouseWheelScrollsTheTranscriptAndEndFollowsAgain() async throws {
        let long = (1...40).map { "line\($0)" }.joined(separator: "\n")
        try await withScriptedChat([ScriptedReplies.reply(long, delay: 0)], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.type("Count to forty, one per line")
            try tmux.press("Enter")
            try tmux.waitUntil("reply finished") { $0.contains("line40") && $0.contains("idle") }
            func showsLine(_ screen: String, _ text: String) -> Bool {
                screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == text }
            }
            #expect(!showsLine(try tmux.capture(), "line1"))
            // Wheel-up reports as the terminal sends them (X10 encoding, the terminfo `kmous` of tmux's TERM):
            // ESC [ M, then button 64+32, column 10+32, row 5+32.
            for _ in 0..<14 { _ = try tmux.command(["send-keys", "-t", tmux.target, "-l", "\u{1B}[M`*%"]) }
            try tmux.waitFor("scrolled: End follows")
            try tmux.waitUntil("the top of the reply visible") { showsLine($0, "line1") }
            try tmux.press("End")
            try tmux.waitUntil("following the bottom") { $0.contains("line40") && !$0.contains("scrolled: End follows") }
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }
}
