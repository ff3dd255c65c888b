import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The sampling panel (F3) in `dramatis chat` in tmux against the real local model: the values set in the panel are
/// what the next reply is requested with and records, and Ctrl-S writes them into the persona file on disk.
@Suite(.serialized) struct TUISamplingPanelTests {
    @Test func panelValuesReachTheReplyAndThePersonaFile() async throws {
        let engine = try await LocalModel.engine()
        // A copy of the flagship persona under its own id, in a folder of the test's own (the save writes into it).
        let personas = try TemporaryDirectory(prefix: "dramatis-knobs-personas")
        let original = try String(contentsOf: BuiltProducts.packageRoot.appendingPathComponent("Personas/clippy.md"), encoding: .utf8)
            .replacingOccurrences(of: "name: Clippy\n", with: "name: Knobs\n")
        let file = personas.path("knobs.md")
        try Data(original.utf8).write(to: file)
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL, arguments: ["--persona", "knobs", "--seed", "42"],
                                             extraPersonas: personas.url)
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Oh, look who needs help", timeout: 60)

            try tmux.press("F3")
            try tmux.waitFor("Sampling for this conversation")
            try tmux.press("C-u")
            try tmux.type("0")
            try tmux.press("Down", "Down", "C-u")
            try tmux.type("12")
            try tmux.press("Enter")
            try tmux.waitFor("Next replies: temperature 0 · max_tokens 12 · seed 42.")

            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 120, "reply finished") { $0.contains("idle") && $0.contains("tok/s") }
            let saved = try harness.savedConversation("the reply") { $0.lastTurn.map { $0.role == .assistant && $0.isComplete } ?? false }
            let reply = try #require(saved.lastTurn?.reply)
            #expect(reply.sampling == SamplingParameters(temperature: 0, maxTokens: 12, seed: 42))
            #expect(saved.sampling == SamplingParameters(temperature: 0, maxTokens: 12, seed: 42))
            // The server honoured max_tokens: the reply stopped at 12 tokens at most.
            #expect((reply.usage?.completionTokens ?? 0) > 0)
            #expect((reply.usage?.completionTokens ?? 99) <= 12)

            // F4 shows the reply's recorded sampling under its header.
            try tmux.press("F4")
            try tmux.waitFor("⚙ temperature 0 · max_tokens 12 · seed 42")

            try tmux.press("F3")
            try tmux.waitFor("Sampling for this conversation")
            try tmux.press("C-s")
            try tmux.waitFor("Saved to")
            let written = try String(contentsOf: file, encoding: .utf8)
            let persona = try PersonaFile.load(contentsOf: file).get()
            #expect(persona.sampling == SamplingParameters(temperature: 0, maxTokens: 12, seed: 42))
            // Only the three changed keys changed: every other line is as it was, in order, and the body is untouched.
            let before = original.components(separatedBy: "\n"), after = written.components(separatedBy: "\n")
            #expect(before.filter { !$0.hasPrefix("temperature:") && !$0.hasPrefix("max_tokens:") }
                    == after.filter { !$0.hasPrefix("temperature:") && !$0.hasPrefix("max_tokens:") && !$0.hasPrefix("seed:") })
            #expect(after.contains("temperature: 0") && after.contains("max_tokens: 12") && after.contains("seed: 42"))
            #expect(written.hasSuffix(original.components(separatedBy: "---\n").last!))

            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }
}
