import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis chat` in tmux: a cut-off reply is marked good only after y, an identical pair says why it is not written.
@Suite(.serialized) struct TUIMarkQualityTests {
    /// A reply the model stopped at the length limit ("[cut: length]").
    static func cutOff(_ text: String) -> FaultResponse {
        FaultResponse([FaultResponse.sseHead,
                       .text("data: \(FaultResponse.chunk(nil, role: "assistant"))\n\n"),
                       .text("data: \(FaultResponse.chunk(text))\n\n"),
                       .text("data: \(FaultResponse.chunk(nil, finish: "length"))\n\n"),
                       .text("data: [DONE]\n\n")])
    }

    @Test func cutOffNeedsYesAndAnIdenticalPairSaysWhy() async throws {
        try await withScriptedChat([
            Self.cutOff("Paris is the capital and the"),
            ScriptedReplies.reply("Same answer."),
            ScriptedReplies.reply("Same answer."),
        ], arguments: ["--persona", "clippy"]) { harness, tmux, _ in
            try tmux.waitFor("idle")
            try tmux.type("Capital of France?")
            try tmux.press("Enter")
            try tmux.waitFor("[cut: length]")
            try tmux.press("M-=")
            try tmux.waitFor("Train on it anyway?")
            try tmux.type("n")
            try tmux.waitFor("Not marked.")
            #expect(try harness.savedConversation().turns.allSatisfy { $0.mark == nil })
            try tmux.press("M-=")
            try tmux.waitFor("Train on it anyway?")
            try tmux.type("y")
            try tmux.waitFor("[+ good]")
            let confirmed = try #require(try harness.savedConversation().turns.first { $0.text == "Paris is the capital and the" })
            #expect(confirmed.mark?.isConfirmed == true)
            #expect(harness.dataset("clippy", "sft.jsonl").contains(#""content":"Paris is the capital and the","weight":1"#))

            try tmux.type("Again?")
            try tmux.press("Enter")
            try tmux.waitFor("Same answer.")
            try tmux.waitUntil("reply finished") { $0.contains("idle") && $0.contains("tok/s") }
            try tmux.press("C-r")
            try tmux.waitFor("‹2/2›")
            try tmux.waitFor("idle")
            try tmux.press("M--")
            try tmux.waitFor("[- bad]")
            try tmux.press("M-,")
            try tmux.waitFor("‹1/2›")
            try tmux.press("M-=")
            try tmux.waitFor("Not written as a preference pair")
            try tmux.waitFor("[+ good]")
            #expect(harness.dataset("clippy", "preference.jsonl").isEmpty)
            try tmux.press("C-c")
            _ = try tmux.waitForExit()
        }
    }
}
