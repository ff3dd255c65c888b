import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The compare setup panel (F8) end to end on the real local model: opened from the chat, two sources chosen (the
/// chat's Clippy against the pirate at another temperature and seed), both panes answer and the transcript records
/// each side's source; and `--compare-adapter` naming a run that does not exist stops before the screen.
@Suite(.serialized) struct TUICompareSetupTests {
    /// The screen line holding `label` (a panel row), or "".
    static func row(_ screen: String, _ label: String) -> String {
        screen.split(separator: "\n").first { $0.contains(label) }.map(String.init) ?? ""
    }

    @Test func panelFromTheChatChoosesTwoSourcesAndBothPanesAnswer() async throws {
        let engine = try await LocalModel.engine()
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL,
                                             arguments: ["--persona", "clippy", "--temperature", "0", "--seed", "42", "--max-tokens", "48"],
                                             width: 120, height: 40)
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            try tmux.press("F8")
            try tmux.waitFor("Compare setup for this chat")
            try tmux.waitUntil("the personas, backends and runs listed") { !$0.contains("Listing personas") }
            try tmux.press("Right")
            try tmux.waitFor("two sources, A and B")
            for _ in 0..<7 { try tmux.press("Down") }
            try tmux.waitUntil("B persona selected") { Self.row($0, "B persona").contains("◀") }
            // Right cycles B's persona through the library until the pirate.
            var current = Self.row(try tmux.capture(), "B persona")
            for _ in 0..<20 where !current.contains("(pirate)") {
                try tmux.press("Right")
                let previous = current
                current = Self.row(try tmux.waitUntil("B persona changed") { Self.row($0, "B persona") != previous }, "B persona")
            }
            #expect(current.contains("Captain Saltbeard (pirate)"))
            for _ in 0..<3 { try tmux.press("Down") }
            try tmux.press("C-u")
            try tmux.type("0.7")
            try tmux.press("Down")
            try tmux.press("C-u")
            try tmux.type("7")
            try tmux.waitUntil("B's values typed") { Self.row($0, "B temperature").contains("0.7") }
            try tmux.press("Enter")
            try tmux.waitFor("Compare on: A = clippy · t=0.0 · seed 42, B = pirate · t=0.7 · seed 7")

            try tmux.type("Tell me about the sea.")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 180, "both replies finished") { $0.contains("a/b A/B better") }
            let screen = try tmux.capture()
            #expect(screen.contains("[A · clippy · t=0.0 · seed 42]") && screen.contains("[B · pirate · t=0.7 · seed 7]"))
            let saved = try harness.savedConversation("both replies") { conversation in
                guard let round = conversation.turns.last(where: { $0.compare != nil })?.compare else { return false }
                return round.sides.allSatisfy { conversation[$0.reply].isComplete }
            }
            let round = try #require(saved.turns.last { $0.compare != nil }?.compare)
            #expect(round.sides.map(\.source) == ["A", "B"])
            #expect(round.sides.map(\.name) == ["clippy · t=0.0 · seed 42", "pirate · t=0.7 · seed 7"])
            #expect(round.sides.map(\.persona) == [nil, "pirate"])
            #expect(round.sides.map { saved[$0.reply].reply?.sampling?.temperature } == [0, 0.7])
            #expect(round.sides.map { saved[$0.reply].reply?.sampling?.seed } == [42, 7])
            #expect(round.sides.allSatisfy { !saved[$0.reply].text.isEmpty && saved[$0.reply].reply?.error == nil })

            try tmux.press("a")
            _ = try harness.savedConversation("A better") { $0.turns.last { $0.compare != nil }?.compare?.decision != nil }
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }
    }

    @Test func compareAdapterNamingNoRunStopsBeforeTheScreen() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-compare-adapter")
        let environment = ["HOME": home.url.path, "XDG_CONFIG_HOME": home.path("config").path, "PATH": "/usr/bin:/bin"]
        let personas = BuiltProducts.packageRoot.appendingPathComponent("Personas").path
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
                                                 ["chat", "--personas", personas, "--dataset", home.path("Datasets").path,
                                                  "--persona", "clippy", "--compare-adapter", "20990101-000000"],
                                                 environment: environment, currentDirectory: home.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--compare-adapter 20990101-000000: no training run '20990101-000000'"), "\(result.stderr)")
    }
}
