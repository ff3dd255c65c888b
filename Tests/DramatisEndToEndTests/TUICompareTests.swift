import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// Compare mode end to end: `dramatis chat --compare…` in tmux, two sources answering each turn, one key per
/// decision, and the SFT and preference lines the recorder wrote on disk after each decision.
@Suite(.serialized) struct TUICompareTests {
    /// The JSON objects of a dataset file's lines.
    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// The content of the first message of a DPO line's output (`preferred_output` / `non_preferred_output`).
    static func output(_ line: [String: Any], _ key: String) -> String? {
        (line[key] as? [[String: Any]])?.first?["content"] as? String
    }

    /// The JSON lines of a dataset file once it holds `count` of them (the recorder writes the transcript first,
    /// then the datasets, so the decision can be in the transcript a moment before its lines); what it holds then.
    static func lines(_ harness: TUIChatHarness, _ name: String, count: Int, timeout: TimeInterval = 10) throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let lines = try objects(harness.dataset("clippy", name))
            if lines.count == count || Date() >= deadline { return lines }
            usleep(50_000)
        }
    }

    /// The replies of the latest compare round in pane order, and the round.
    static func latestRound(_ conversation: Conversation) -> CompareRound? {
        conversation.turns.last { $0.compare != nil }?.compare
    }

    @Test func localModelAtTwoSamplingSettingsRecordsEachDecisionOnDisk() async throws {
        let engine = try await LocalModel.engine()
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL,
                                             arguments: ["--persona", "clippy", "--temperature", "0", "--seed", "42", "--max-tokens", "64",
                                                         "--compare-temperature", "1.5", "--compare-seed", "7"],
                                             width: 120, height: 40)
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            // Both panes stream side by side; the decision hint shows once both ended.
            try tmux.waitUntil(timeout: 180, "both replies finished") { $0.contains("a/b A/B better") }
            var saved = try harness.savedConversation("both replies") { conversation in
                guard let round = Self.latestRound(conversation) else { return false }
                return round.sides.allSatisfy { conversation[$0.reply].isComplete }
            }
            let first = try #require(Self.latestRound(saved))
            #expect(first.sides.map(\.source) == ["A", "B"])
            #expect(first.sides.map { saved[$0.reply].reply?.sampling?.temperature } == [0, 1.5])
            #expect(first.sides.map { saved[$0.reply].reply?.sampling?.seed } == [42, 7])
            let textA = saved[first.sides[0].reply].text
            let textB = saved[first.sides[1].reply].text
            #expect(!textA.isEmpty && !textB.isEmpty)
            let screen = try tmux.capture()
            #expect(screen.contains("[A · clippy · t=0.0 · seed 42]") && screen.contains("[B · clippy · t=1.5 · seed 7]"))

            // One key: B better. The recorder writes B as the SFT example and the pair B over A.
            try tmux.press("b")
            saved = try harness.savedConversation("B better") { Self.latestRound($0)?.decision?.verdict == .better }
            #expect(saved[first.sides[1].reply].mark?.value == .good && saved[first.sides[0].reply].mark?.value == .bad)
            // B is the SFT example and the pair is B over A, unless the recorder's rules withhold them (identical
            // texts; a winner cut off by --max-tokens, whose good mark is not confirmed) — then the notice says so.
            let withheld = DatasetExamples.withheld(from: saved)
            let expectedPairs = withheld.isEmpty ? 1 : 0
            let preference = try Self.lines(harness, "preference.jsonl", count: expectedPairs)
            #expect(preference.count == expectedPairs)
            if expectedPairs == 1 {
                #expect(Self.output(preference[0], "preferred_output") == textB)
                #expect(Self.output(preference[0], "non_preferred_output") == textA)
                let sft = try Self.lines(harness, "sft.jsonl", count: 1)
                try #require(sft.count == 1)
                let trained = (sft[0]["messages"] as? [[String: Any]])?.last
                #expect(trained?["content"] as? String == textB && trained?["weight"] as? Int == 1)
            } else {
                try tmux.waitFor("Not written")
            }
            // Whatever the rules decided, the files on disk are exactly the export of the saved transcript.
            #expect(harness.dataset("clippy", "sft.jsonl") == ExportFormat.openai.lines(for: saved).map { $0 + "\n" }.joined())
            #expect(harness.dataset("clippy", "preference.jsonl") == ExportFormat.openaiDPO.lines(for: saved).map { $0 + "\n" }.joined())
            try tmux.waitFor("A 0 · B 1 · tie 0")

            // The next turn continues from B; a tie makes each side an SFT example.
            try tmux.type("And of Spain?")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 180, "second round finished") { $0.contains("a/b A/B better") }
            try tmux.press("t")
            saved = try harness.savedConversation("tie") { $0.turns.compactMap(\.compare).last?.decision?.verdict == .tie }
            let second = try #require(Self.latestRound(saved))
            #expect(saved[saved.turns.firstIndex { $0.compare == second }!].parent == first.sides[1].reply)
            let expectedSFT = ExportFormat.openai.lines(for: saved)
            #expect(try Self.lines(harness, "sft.jsonl", count: expectedSFT.count).count == expectedSFT.count)
            #expect(harness.dataset("clippy", "sft.jsonl") == expectedSFT.map { $0 + "\n" }.joined())
            #expect(saved[second.sides[0].reply].mark?.value == .good && saved[second.sides[1].reply].mark?.value == .good)
            try tmux.waitFor("A 0 · B 1 · tie 1")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }

    @Test func oneSideFailingKeepsTheOtherAndCtrlRRegeneratesIt() async throws {
        let rejected = FaultResponse.plain(status: 400, contentType: "application/json",
                                           body: "{\"error\":{\"message\":\"side rejected\"}}")
        try await withScriptedChat([ScriptedReplies.reply("Tea, obviously."), rejected, ScriptedReplies.reply("Coffee, regenerated.")],
                                   arguments: ["--persona", "clippy", "--compare-seed", "43"]) { harness, tmux, _ in
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            try tmux.type("Tea or coffee?")
            try tmux.press("Enter")
            try tmux.waitFor("side rejected", timeout: 30)
            try tmux.waitFor("a/b A/B better", timeout: 30)
            let saved = try harness.savedConversation("one side failed") { conversation in
                guard let round = Self.latestRound(conversation) else { return false }
                return round.sides.allSatisfy { conversation[$0.reply].isComplete }
            }
            let round = try #require(Self.latestRound(saved))
            let failedPane = try #require(round.sides.firstIndex { saved[$0.reply].reply?.error != nil })
            let goodPane = 1 - failedPane
            #expect(saved[round.sides[goodPane].reply].text == "Tea, obviously.")
            #expect(saved[round.sides[failedPane].reply].reply?.finishReason == .incomplete)
            // Flip to the failed pane (pane A is selected) and regenerate only it.
            if failedPane == 1 { try tmux.press("M-.") }
            try tmux.press("C-r")
            try tmux.waitFor("Coffee, regenerated.", timeout: 30)
            try tmux.waitFor("a/b A/B better", timeout: 30)
            let after = try harness.savedConversation("side regenerated") { conversation in
                guard let round = Self.latestRound(conversation) else { return false }
                return round.sides.allSatisfy { conversation[$0.reply].isComplete && conversation[$0.reply].reply?.error == nil }
            }
            let replaced = try #require(Self.latestRound(after))
            #expect(replaced.sides[goodPane].reply == round.sides[goodPane].reply)
            #expect(after[replaced.sides[failedPane].reply].text == "Coffee, regenerated.")
            // Decide for the regenerated side: it is chosen against the one that answered first.
            try tmux.press(failedPane == 0 ? "a" : "b")
            _ = try harness.savedConversation("decided") { Self.latestRound($0)?.decision != nil }
            let preference = try Self.lines(harness, "preference.jsonl", count: 1)
            try #require(preference.count == 1)
            #expect(Self.output(preference[0], "preferred_output") == "Coffee, regenerated.")
            #expect(Self.output(preference[0], "non_preferred_output") == "Tea, obviously.")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }

    @Test func compareBackendStreamsSourceBFromAnotherConfiguredServer() async throws {
        let hosted = try await FaultInjector.start([ScriptedReplies.reply("Hosted answer, carefully reasoned.")])
        let config = try TemporaryDirectory(prefix: "dramatis-compare-config")
        try FileManager.default.createDirectory(at: config.path("dramatis"), withIntermediateDirectories: true)
        let yaml = "backends:\n  hosted:\n    kind: openai\n    base_url: \(hosted.baseURL.absoluteString)\n    model: big-teacher\n"
        try Data(yaml.utf8).write(to: config.path("dramatis/config.yaml"))
        do {
            try await withScriptedChat([ScriptedReplies.reply("Local answer.")],
                                       arguments: ["--persona", "clippy", "--compare-backend", "hosted"],
                                       environment: ["XDG_CONFIG_HOME": config.url.path]) { harness, tmux, _ in
                try tmux.waitFor("Oh, look who needs help", timeout: 60)
                try tmux.type("Explain tides.")
                try tmux.press("Enter")
                try tmux.waitFor("a/b A/B better", timeout: 30)
                let screen = try tmux.capture()
                #expect(screen.contains("[B · clippy · hosted · big-teacher"))
                let saved = try harness.savedConversation("both replies") { conversation in
                    guard let round = Self.latestRound(conversation) else { return false }
                    return round.sides.allSatisfy { conversation[$0.reply].isComplete }
                }
                let round = try #require(Self.latestRound(saved))
                #expect(saved[round.sides[0].reply].text == "Local answer.")
                #expect(saved[round.sides[1].reply].text == "Hosted answer, carefully reasoned.")
                #expect(saved[round.sides[1].reply].reply?.backend == "hosted")
                #expect(saved[round.sides[1].reply].reply?.model == "big-teacher")
                try tmux.press("b")
                let preference = try Self.lines(harness, "preference.jsonl", count: 1)
                try #require(preference.count == 1)
                #expect(Self.output(preference[0], "preferred_output") == "Hosted answer, carefully reasoned.")
                #expect(Self.output(preference[0], "non_preferred_output") == "Local answer.")
                try tmux.press("C-q")
                #expect(try tmux.waitForExit() == 0)
            }
        } catch {
            await hosted.stop()
            throw error
        }
        await hosted.stop()
    }

    @Test func badCompareOptionsStopBeforeTheScreenWithAClearMessage() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-compare-options")
        let personas = BuiltProducts.packageRoot.appendingPathComponent("Personas").path
        let environment = ["HOME": home.url.path, "XDG_CONFIG_HOME": home.path("config").path, "PATH": "/usr/bin:/bin"]
        let unknownPersona = try await ProcessRunner.run(BuiltProducts.dramatis, ["chat", "--personas", personas, "--compare", "nosuch"],
                                                         environment: environment, currentDirectory: home.url)
        #expect(unknownPersona.status == 2)
        #expect(unknownPersona.stderr.contains("--compare nosuch: no persona named 'nosuch'"))
        let unknownBackend = try await ProcessRunner.run(BuiltProducts.dramatis, ["chat", "--personas", personas, "--compare-backend", "nosuch"],
                                                         environment: environment, currentDirectory: home.url)
        #expect(unknownBackend.status == 2)
        #expect(unknownBackend.stderr.contains("--compare-backend: unknown backend 'nosuch'"))
        let tooMany = try await ProcessRunner.run(BuiltProducts.dramatis, ["chat", "--compare-candidates", "5"],
                                                  environment: environment, currentDirectory: home.url)
        #expect(tooMany.status != 0)
        #expect(tooMany.stderr.contains("--compare-candidates must be 2, 3 or 4 (got 5)"))
    }

    @Test func tenCompareTurnsTakeOneKeyPerDecisionBeyondTyping() async throws {
        let replies = (0..<20).map { ScriptedReplies.reply("Answer number \($0).", delay: 0) }
        try await withScriptedChat(replies, arguments: ["--persona", "clippy", "--compare-seed", "43"]) { harness, tmux, _ in
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            let decisions = ["a", "b", "t", "a", "b", "s", "a", "t", "b", "a"]
            var keysBeyondTyping = 0
            for (index, key) in decisions.enumerated() {
                try tmux.type("Question \(index)?")
                try tmux.press("Enter")   // part of typing the user turn
                try tmux.waitUntil(timeout: 30, "round \(index) finished") { $0.contains("a/b A/B better") }
                try tmux.press(key)
                keysBeyondTyping += 1
                // That one key recorded the decision on disk.
                let saved = try harness.savedConversation("decision \(index)") { conversation in
                    conversation.turns.compactMap(\.compare).filter { $0.decision != nil }.count == index + 1
                }
                #expect(saved.turns.compactMap(\.compare).count == index + 1)
            }
            #expect(keysBeyondTyping == decisions.count)
            let saved = try harness.savedConversation()
            let verdicts = saved.turns.compactMap(\.compare).compactMap(\.decision?.verdict)
            #expect(verdicts == decisions.map { ["a": .better, "b": .better, "t": .tie, "s": .skip][$0]! })
            #expect(CompareTally(saved).line == "A 4 · B 3 · tie 2")
            try tmux.waitFor("A 4 · B 3 · tie 2")
            // Each better decision is one preference pair; each tie two SFT-trained replies.
            #expect(try Self.lines(harness, "preference.jsonl", count: 7).count == 7)
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }
}
