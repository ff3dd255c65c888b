import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis chat --compare-candidates N` in tmux: the candidates of one source come from one request with `n`,
/// each choice in its own pane — against the loopback fault injector (an interleaved three-choice stream) and the
/// real local model (the engine sees one request with one child task).
@Suite(.serialized) struct TUICandidateChoicesTests {
    static let texts = ["Tea, obviously.", "Coffee, strong and black.", "Water, stay hydrated."]

    /// The latest compare round of `conversation`.
    static func latestRound(_ conversation: Conversation) -> CompareRound? {
        conversation.turns.last { $0.compare != nil }?.compare
    }

    @Test func threeInterleavedChoicesFillThreePanesFromOneRequest() async throws {
        let injector = try await FaultInjector.start([FaultResponse.choices(Self.texts)])
        do {
            try await onThread {
                let harness = try TUIChatHarness(backendURL: injector.baseURL,
                                                 arguments: ["--persona", "clippy", "--seed", "42", "--compare-candidates", "3"],
                                                 width: 120, height: 40)
                let tmux = harness.session
                defer { tmux.kill() }
                try tmux.waitFor("Oh, look who needs help", timeout: 60)
                try tmux.type("Tea or coffee?")
                try tmux.press("Enter")
                try tmux.waitUntil(timeout: 30, "three replies finished") { $0.contains("a/b A/B better") }
                let screen = try tmux.capture()
                for text in Self.texts { #expect(screen.contains(text), "pane text \(text) in \(screen)") }
                #expect(screen.contains("[A · clippy") && screen.contains("seed 42]") && screen.contains("[C · clippy") && screen.contains("seed 44]"))
                let saved = try harness.savedConversation("three replies") { conversation in
                    guard let round = Self.latestRound(conversation) else { return false }
                    return round.sides.count == 3 && round.sides.allSatisfy { conversation[$0.reply].isComplete }
                }
                let round = try #require(Self.latestRound(saved))
                #expect(round.sides.map(\.source) == ["A", "B", "C"])
                #expect(round.sides.map { saved[$0.reply].text } == Self.texts)
                #expect(round.sides.map { saved[$0.reply].reply?.sampling?.seed } == [42, 43, 44])
                #expect(injector.requests.count == 1)
                #expect(injector.requests.first?.json?["n"] as? Int == 3)
                try tmux.press("C-q")
                #expect(try tmux.waitForExit() == 0)
            }
        } catch {
            await injector.stop()
            throw error
        }
        await injector.stop()
    }

    @Test func theLocalModelAnswersTwoCandidatesInOneRequest() async throws {
        let engine = try await LocalModel.engine()
        let logBefore = (try? Data(contentsOf: engine.logFile).count) ?? 0
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL,
                                             arguments: ["--persona", "clippy", "--temperature", "0", "--seed", "42", "--max-tokens", "32",
                                                         "--compare-candidates", "2"],
                                             width: 120, height: 40)
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 180, "both candidates finished") { $0.contains("a/b A/B better") }
            let saved = try harness.savedConversation("both candidates") { conversation in
                guard let round = Self.latestRound(conversation) else { return false }
                return round.sides.allSatisfy { conversation[$0.reply].isComplete }
            }
            let round = try #require(Self.latestRound(saved))
            #expect(round.sides.map { saved[$0.reply].reply?.sampling?.seed } == [42, 43])
            #expect(round.sides.allSatisfy { !saved[$0.reply].text.isEmpty && saved[$0.reply].reply?.error == nil })
            // Temperature 0: both choices are the greedy answer.
            #expect(saved[round.sides[0].reply].text == saved[round.sides[1].reply].text)
            // Each choice reports its own token count.
            #expect(round.sides.allSatisfy { (saved[$0.reply].reply?.usage?.completionTokens ?? 0) > 0 })
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
        // The engine got one request (one parent task) whose second choice ran as its child task.
        let log = try Data(contentsOf: engine.logFile)
        let added = String(decoding: log.dropFirst(logBefore), as: UTF8.self)
        let parents = added.components(separatedBy: "processing task, is_child = 0").count - 1
        let children = added.components(separatedBy: "processing task, is_child = 1").count - 1
        #expect(parents == 1 && children == 1, "engine log since the test started:\n\(added.suffix(3000))")
    }
}
