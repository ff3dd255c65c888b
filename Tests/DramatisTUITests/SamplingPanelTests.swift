import DramatisCore
import DramatisRuntime
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisTUI

/// The sampling panel (F3): open, edit, invalid values, apply, cancel, save to persona; F4's per-reply sampling line;
/// and the panel drawn at 80×24 and 120×40.
@Suite struct SamplingPanelTests {
    /// Empties the selected setting and types `text` into it.
    static func replace(_ driver: inout Driver, with text: String) {
        driver.press(.control("u"))
        driver.type(text)
    }

    @Test func f3OpensThePanelOnTheConversationsValues() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        let panel = try! #require(driver.chat.samplingPanel)
        #expect(panel.target == .conversation)
        #expect(panel.selected == .temperature)
        #expect(panel.text(of: .temperature) == "0")
        #expect(panel.text(of: .seed) == "42")
        #expect(panel.text(of: .topP) == "")
        #expect(Reducer.activeContexts(driver.state) == [.everywhere, .samplingPanel])
        #expect(HintMode.of(driver.state) == .samplingPanel)
    }

    @Test func editingMovesBetweenSettingsAndKeepsWhatWasTyped() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        Self.replace(&driver, with: "0.3")
        driver.press(.down, .down)
        #expect(driver.chat.samplingPanel?.selected == .maxTokens)
        driver.type("40")
        driver.press(.backTab)
        #expect(driver.chat.samplingPanel?.selected == .topP)
        #expect(driver.chat.samplingPanel?.text(of: .temperature) == "0.3")
        #expect(driver.chat.samplingPanel?.text(of: .maxTokens) == "40")
        // Typed text goes into the panel, never into the chat's input.
        #expect(driver.chat.editor.text == "")
        #expect(driver.conversation.sampling == SamplingParameters(temperature: 0, seed: 42))
    }

    @Test func anInvalidValueIsNamedAndRefusedUntilFixed() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        Self.replace(&driver, with: "3")
        driver.press(.tab)
        Self.replace(&driver, with: "2")
        #expect(driver.chat.samplingPanel?.problem(of: .temperature)?.message == "expected a number between 0 and 2, got 3")
        #expect(driver.chat.samplingPanel?.problem(of: .topP)?.message == "expected a number between 0 and 1, got 2")
        let effects = driver.press(.enter)
        #expect(effects.isEmpty)
        let panel = try! #require(driver.chat.samplingPanel, "Enter with an invalid value closed the panel")
        #expect(panel.refused)
        #expect(panel.selected == .temperature)
        #expect(driver.state.notice?.message == .samplingInvalid(problem: "temperature: expected a number between 0 and 2, got 3"))
        #expect(driver.conversation.sampling == SamplingParameters(temperature: 0, seed: 42))
        // Ctrl-U empties the setting: the backend's default, which is valid.
        driver.press(.control("u"))
        driver.press(.tab)
        Self.replace(&driver, with: "0.9")
        #expect(driver.chat.samplingPanel?.refused == false)
    }

    @Test func enterAppliesAndTheNextReplyIsRequestedWithAndRecordsTheValues() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        Self.replace(&driver, with: "0.3")
        driver.press(.down, .down)
        Self.replace(&driver, with: "40")
        driver.press(.down)
        driver.press(.control("u"))          // seed: unset, the backend's default
        driver.press(.down, .down, .down)
        Self.replace(&driver, with: "\"\\nUser:\", \"###\"")
        driver.press(.enter)
        let applied = SamplingParameters(temperature: 0.3, maxTokens: 40, stop: ["\nUser:", "###"])
        #expect(driver.chat.samplingPanel == nil)
        #expect(driver.conversation.sampling == applied)
        #expect(driver.state.notice?.message == .samplingApplied(summary: "temperature 0.3 · max_tokens 40 · stop \"\\nUser:\", \"###\""))
        driver.type("Hello")
        let effects = driver.press(.enter)
        guard case .startStream(_, let request)? = effects.first else { Issue.record("no stream: \(effects)"); return }
        #expect(request.sampling == applied)
        let reply = try! #require(driver.chat.stream?.turn)
        #expect(driver.conversation[reply].reply?.sampling == applied)
    }

    @Test func escCancelsWithoutChangingAnything() {
        var driver = Driver(Fixtures.chatState())
        let before = driver.conversation
        driver.press(.function(3))
        Self.replace(&driver, with: "1.5")
        let effects = driver.press(.escape)
        #expect(effects.isEmpty)
        #expect(driver.chat.samplingPanel == nil)
        #expect(driver.conversation == before)
        // Esc went to the panel, not to the chat (which would have entered the message cursor).
        #expect(driver.chat.focus == .input)
    }

    @Test func ctrlSAppliesAndAsksTheRuntimeToSaveIntoThePersonaFile() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        Self.replace(&driver, with: "0.5")
        let effects = driver.press(.control("s"))
        let expected = SamplingParameters(temperature: 0.5, seed: 42)
        #expect(effects == [.savePersonaSampling(personaID: "clippy", sampling: expected)])
        #expect(driver.conversation.sampling == expected)
        #expect(driver.chat.samplingPanel == nil)
        #expect(driver.state.notice?.message == .savingSamplingToPersona(persona: "Clippy"))
        driver.send(.personaSamplingSaved(.saved(file: "Personas/clippy.md", changed: ["temperature"])))
        #expect(driver.state.notice?.text == "Saved to Personas/clippy.md: temperature (the file lints clean).")
        driver.send(.personaSamplingSaved(.noFile(personaID: "clippy")))
        #expect(driver.state.notice?.isError == true)
        #expect(driver.state.notice?.text.contains("persona clippy has no file") == true)
        driver.send(.personaSamplingFailed("Personas/clippy.md: cannot read the file"))
        #expect(driver.state.notice?.text == "Applied, but NOT saved to the persona: Personas/clippy.md: cannot read the file")
    }

    @Test func ctrlSWithAnInvalidValueSavesNothing() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        driver.press(.down, .down)
        Self.replace(&driver, with: "-4")
        #expect(driver.press(.control("s")).isEmpty)
        #expect(driver.chat.samplingPanel?.problem(of: .maxTokens)?.message == "expected a positive whole number, got -4")
    }

    @Test func f4ShowsEachRepliesSamplingUnderItsHeader() {
        var driver = Driver(Fixtures.chatState())
        driver.type("Hi")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Hello."))
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        let hidden = Renderer.render(driver.state, width: 80, height: 24).lines.joined(separator: "\n")
        #expect(!hidden.contains("⚙"))
        driver.press(.function(4))
        let shown = Renderer.render(driver.state, width: 80, height: 24).lines.joined(separator: "\n")
        // The fixture's first reply was made without recorded sampling; the new one records the conversation's.
        #expect(shown.contains("⚙ sampling not recorded (an older transcript)"))
        #expect(shown.contains("⚙ temperature 0 · seed 42"))
        driver.press(.function(4))
        #expect(!Renderer.render(driver.state, width: 80, height: 24).lines.joined(separator: "\n").contains("⚙"))
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func panelSnapshot(width: Int, height: Int) {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        Self.replace(&driver, with: "2.5")
        driver.press(.down, .down)
        Self.replace(&driver, with: "300")
        driver.press(.down, .down, .down, .down)
        Self.replace(&driver, with: #""\nUser:""#)
        driver.press(.left, .left)
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "sampling-panel-\(width)x\(height)")
    }
}

/// "Save to persona" through the effect runner: the write runs on its writer and reports back with an event.
@Suite struct SamplingSaveEffectTests {
    @Test func theRunnerWritesThePersonaFileOffTheCallersThreadAndReportsWhatHappened() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let recorder = Recorder(transcripts: TranscriptStore(directory: home.path("Transcripts")), datasetRoot: home.path("Datasets"))
        let services = RecordingServices(recorder: recorder, backend: ForwardingBackend(ChatFaultRecoveryTests.backend(URL(string: "http://127.0.0.1:9/v1")!)))
        let personas = home.path("Personas")
        try FileManager.default.createDirectory(at: personas, withIntermediateDirectories: true)
        let file = personas.appendingPathComponent("clippy.md")
        try Data("---\nname: Clippy\ntemperature: 0.8   # warm\n---\nBe Clippy.\n".utf8).write(to: file)
        services.personaDirectories = [personas]
        let inbox = try EventInbox()
        let runner = EffectRunner(services: services, inbox: inbox, environment: [:])

        let sampling = SamplingParameters(temperature: 0.2, maxTokens: 64)
        #expect(runner.run(.savePersonaSampling(personaID: "clippy", sampling: sampling), screen: nil).isEmpty)
        let saved = try await EffectRunnerTests.next(inbox)
        #expect(saved == [.personaSamplingSaved(.saved(file: PersonaProblem.displayPath(for: file), changed: ["temperature", "max_tokens"]))])
        #expect(try String(contentsOf: file, encoding: .utf8) == "---\nname: Clippy\ntemperature: 0.2   # warm\nmax_tokens: 64\n---\nBe Clippy.\n")

        #expect(runner.run(.savePersonaSampling(personaID: "gone", sampling: sampling), screen: nil).isEmpty)
        #expect(try await EffectRunnerTests.next(inbox) == [.personaSamplingSaved(.noFile(personaID: "gone"))])

        try Data("---\nname: Clippy\ntemperature: hot\n---\nBe Clippy.\n".utf8).write(to: file)
        #expect(runner.run(.savePersonaSampling(personaID: "clippy", sampling: sampling), screen: nil).isEmpty)
        let failed = try await EffectRunnerTests.next(inbox)
        guard case .personaSamplingFailed(let message)? = failed.first else { Issue.record("\(failed)"); return }
        #expect(message.contains("temperature: expected a number between 0 and 2, got \"hot\""))
        // Nothing was written over the broken file.
        #expect(try String(contentsOf: file, encoding: .utf8).contains("temperature: hot"))
    }

    @Test(arguments: [(30, 8), (40, 12)])
    func thePanelFitsSmallTerminals(width: Int, height: Int) {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3))
        driver.press(.down, .down)
        let grid = Renderer.render(driver.state, width: width, height: height)
        let cursor = try! #require(grid.cursor)
        #expect(cursor.row < height && cursor.column < width)
        #expect(grid.lines.joined().contains("max_tokens") || grid.lines.joined().contains("max_toke"))
        assertSnapshot(grid, named: "sampling-panel-\(width)x\(height)")
    }
}
