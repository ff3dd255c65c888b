import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis chat` in tmux with what real servers send (issue #13): a refusal shows with its badge, reasoning
/// folds above the answer and Ctrl-T unfolds it, and a retry wait shows in the status line and Esc stops it.
@Suite(.serialized) struct TUIServerShapesTests {
    @Test func refusalShowsWithABadgeAndIsSavedAsARefusal() async throws {
        try await withScriptedChat([RealServerShapes.refusal], arguments: ["--persona", "clippy"]) { harness, tmux, _ in
            try tmux.waitFor("idle")
            try tmux.type("How do I pick a lock?")
            try tmux.press("Enter")
            let screen = try tmux.waitUntil("refusal shown") { $0.contains("[refusal]") && $0.contains("I can't help with that.") }
            #expect(screen.contains("I'm sorry, I can't help with that."))
            try tmux.waitUntil("reply finished") { $0.contains("idle") }
            // Recorded by the writer off the UI thread, right after.
            let saved = try harness.savedConversation("the refusal") { saved in saved.activePath.last.map { saved[$0].reply?.refusal != nil } ?? false }
            let reply = try #require(saved.activePath.last.map { saved[$0] })
            #expect(reply.text == "")
            #expect(reply.reply?.refusal == "I'm sorry, I can't help with that.")
        }
    }

    @Test func reasoningIsFoldedAboveTheAnswerAndCtrlTUnfoldsIt() async throws {
        try await withScriptedChat([RealServerShapes.deepSeekReasoning], arguments: ["--persona", "clippy"]) { harness, tmux, _ in
            try tmux.waitFor("idle")
            try tmux.type("A number?")
            try tmux.press("Enter")
            let folded = try tmux.waitUntil("answer shown") { $0.contains("Forty-two.") && $0.contains("idle") }
            Self.expectFoldedReasoningAboveTheAnswer(folded, styled: try tmux.capture(withAttributes: true))

            try tmux.press("C-t")
            let open = try tmux.waitUntil("reasoning unfolded") { $0.contains("The user wants a number.") }
            #expect(open.contains("▾ reasoning · Ctrl-T hides it"))
            try tmux.press("C-t")
            try tmux.waitUntil("reasoning folded again") { !$0.contains("The user wants a number.") && $0.contains("▸ reasoning") }

            let saved = try harness.savedConversation("the answer") { saved in saved.activePath.last.map { saved[$0].isComplete && !saved[$0].text.isEmpty } ?? false }
            let reply = try #require(saved.activePath.last.map { saved[$0] })
            #expect(reply.text == "Forty-two.")
            #expect(reply.reply?.reasoning == "The user wants a number.")
        }
    }

    @Test func retryWaitShowsInTheStatusLineAndEscStopsIt() async throws {
        let busy = FaultResponse.plain(status: 503, contentType: "application/json", body: #"{"error":{"message":"Loading model"}}"#,
                                       headers: [("Retry-After", "20")])
        try await withScriptedChat([busy], arguments: ["--persona", "clippy"]) { harness, tmux, injector in
            try tmux.waitFor("idle")
            try tmux.type("Hello?")
            try tmux.press("Enter")
            try tmux.waitFor("retrying in 20 s (1/3)")
            try tmux.press("Escape")
            try tmux.waitUntil("stopped") { $0.contains("[stopped]") && $0.contains("idle") }
            #expect(injector.requests.count == 1)
            let saved = try harness.savedConversation("the stopped reply") { $0.lastTurn?.reply?.finishReason == .cancelled }
            let reply = try #require(saved.activePath.last.map { saved[$0] })
            #expect(reply.reply?.finishReason == .cancelled)
        }
    }

    /// The folded reasoning line is on screen, dimmed, above the answer, and the reasoning text itself is not.
    static func expectFoldedReasoningAboveTheAnswer(_ screen: String, styled: String) {
        #expect(screen.contains("▸ reasoning (5 words) · Ctrl-T shows it"))
        #expect(!screen.contains("The user wants a number."))
        let lines = screen.split(separator: "\n").map(String.init)
        let fold = lines.firstIndex { $0.contains("▸ reasoning") }
        let answer = lines.firstIndex { $0.contains("Forty-two.") }
        #expect(fold != nil && answer != nil && fold! < answer!, "the reasoning block sits above the answer: \(screen)")
        // Dimmed: the captured attributes carry SGR 2 on the fold line.
        let foldLine = styled.split(separator: "\n").first { $0.contains("reasoning (5 words)") }.map(String.init) ?? ""
        let dimmed = ["\u{1B}[2m", "\u{1B}[2;", ";2m", ";2;"].contains { foldLine.contains($0) }
        #expect(dimmed, "fold line: \(foldLine.debugDescription)")
    }
}
