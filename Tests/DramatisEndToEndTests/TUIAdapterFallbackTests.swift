import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// A transcript made with a tuned model whose training run was removed since reopens and continues on the base
/// model; its earlier replies keep the run they were stamped with.
@Suite struct TUIAdapterFallbackTests {
    @Test func aTranscriptOfADeletedRunContinuesOnTheBaseModel() async throws {
        try await withScriptedChat([ScriptedReplies.reply("Base model here.")], arguments: []) { harness, tmux, _ in
            var persona = try PersonaLibrary.load(directories: [BuiltProducts.packageRoot.appendingPathComponent("Personas")]).resolve("clippy")
            persona.adapter = "20260101-000000"   // no such run in the harness's Datasets/clippy/runs
            let date = Date(timeIntervalSince1970: 1_800_000_000)
            var conversation = Conversation(id: "20261130-000000-clippy-gone", createdAt: date, persona: persona,
                                            backend: BackendDescriptor(name: "local", kind: "local", model: "SmolLM2-135M-Instruct"),
                                            sampling: persona.sampling)
            let user = conversation.appendUserMessage("Who answered this?", at: date)
            let reply = conversation.startReply(after: user, backend: "local", model: "SmolLM2-135M-Instruct", adapter: "20260101-000000", at: date)
            conversation.appendReplyText("The tuned model did.", to: reply)
            conversation.finishReply(reply, reason: .stop)
            try TranscriptStore(directory: harness.transcripts).save(conversation)

            try tmux.waitFor("Clippy", timeout: 60)
            try tmux.press("C-o")
            try tmux.waitFor("Who answered this?", timeout: 60)
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 60, "the reopened chat") { $0.contains("The tuned model did.") && $0.contains("idle") }
            try tmux.type("And now?")
            try tmux.press("Enter")
            try tmux.waitFor("Base model here.", timeout: 60)
            let saved = try harness.savedConversation("the base reply", until: { $0.turns.last?.text == "Base model here." })
            #expect(saved.persona.adapter == nil)
            #expect(saved[reply].reply?.adapter == "20260101-000000")
            #expect(saved.turns.last?.reply?.adapter == nil)
        }
    }
}
