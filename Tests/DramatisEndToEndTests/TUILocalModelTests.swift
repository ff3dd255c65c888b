import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis chat` in tmux against the real local llama-server with SmolLM2 (temperature 0, fixed seed).
@Suite(.serialized) struct TUILocalModelTests {
    @Test func realModelStreamsRegeneratesFlipsMarksAndSaves() async throws {
        let engine = try await LocalModel.engine()
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL,
                                             arguments: ["--persona", "clippy", "--temperature", "0", "--seed", "42", "--max-tokens", "40"])
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            // The reply streams (state goes through waiting/streaming) and finishes with token stats.
            try tmux.waitUntil(timeout: 120, "first reply finished") { $0.contains("idle") && $0.contains("tok/s") }
            var saved = try harness.savedConversation("the first reply") { $0.lastTurn.map { $0.role == .assistant && $0.isComplete } ?? false }
            let firstReply = try #require(saved.lastTurn)
            #expect(firstReply.role == .assistant)
            #expect(!firstReply.text.isEmpty)
            #expect(firstReply.reply?.usage?.completionTokens ?? 0 > 0)

            try tmux.press("C-r")
            try tmux.waitFor("‹2/2›", timeout: 60)
            try tmux.waitUntil(timeout: 120, "regenerated reply finished") { $0.contains("idle") && $0.contains("‹2/2›") }
            try tmux.press("M-,")
            try tmux.waitFor("‹1/2›")
            try tmux.press("M--")
            try tmux.waitFor("[- bad]")
            saved = try harness.savedConversation()
            #expect(saved[firstReply.id].mark?.value == .bad)
            #expect(saved.alternatives(of: firstReply.id).count == 2)
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }
}
