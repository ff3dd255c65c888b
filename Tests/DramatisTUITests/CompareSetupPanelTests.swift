import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// What the compare setup panel tests choose from: Clippy (with one finished run) and the haiku poet, the local
/// engine and a hosted backend.
enum CompareSetupFixtures {
    static let run = "20261101-120000"
    static var haiku: Persona {
        var persona = CompareFixtures.haiku
        persona.sampling = SamplingParameters(temperature: 0.8, seed: 7)
        return persona
    }
    static var options: CompareSetupOptions {
        CompareSetupOptions(personas: [Fixtures.clippy, haiku],
                            backends: [BackendListing(name: "local", kind: "local"), BackendListing(name: "openai", kind: "openai")],
                            defaultBackend: "local", runs: ["clippy": [run], "haiku": []])
    }

    /// The chat of `Fixtures.chatState()` with the panel open (F8) and its choices loaded.
    static func chatDriver() -> Driver {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(8))
        driver.send(.compareSetupOptionsLoaded(options))
        return driver
    }

    /// Moves the selection down to `field` (Tab through the rows).
    static func select(_ driver: inout Driver, _ field: CompareSetupField) {
        for _ in 0..<20 where driver.state.compareSetupPanel?.selected != field { driver.press(.down) }
        #expect(driver.state.compareSetupPanel?.selected == field)
    }

    /// Replaces the selected text row's text.
    static func replace(_ driver: inout Driver, with text: String) {
        driver.press(.control("u"))
        driver.type(text)
    }

    /// The requests a send started, in pane order.
    static func requests(_ effects: [Effect]) -> [ChatRequest] {
        effects.compactMap { effect -> ChatRequest? in
            switch effect {
            case .startStream(_, let request), .startStreamOn(_, let request, _): request
            default: nil
            }
        }
    }
}

/// The compare setup panel (F8): opening from the chat and the picker, every row, validation, Enter and Esc, and
/// base-vs-tuned adapters as sources (their scales per request).
@Suite struct CompareSetupPanelTests {
    @Test func f8OpensThePanelOnTheChatsSetupAndAsksForTheChoices() {
        var driver = Driver(Fixtures.chatState())
        let effects = driver.press(.function(8))
        #expect(effects == [.loadCompareSetupOptions])
        let panel = try! #require(driver.state.compareSetupPanel)
        #expect(panel.origin == .chat)
        // No compare setup yet: what F7 would turn on, two candidates from the chat's own source.
        #expect(!panel.twoSources)
        #expect(panel.candidateCount == 2)
        #expect(panel.sources[0].personaID == "clippy")
        #expect(panel.sources[0].temperature == "0")
        #expect(panel.sources[0].seed == "42")
        #expect(panel.fields == [.mode, .candidates] + CompareSetupField.sourceRows(0) + [.blind, .teacher])
        #expect(HintMode.of(driver.state) == .compareSetupPanel)
        #expect(Reducer.activeContexts(driver.state) == [.everywhere, .compareSetupPanel])
    }

    @Test func escLeavesWithoutChangingAnything() {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)          // mode: two sources
        driver.press(.escape)
        #expect(driver.state.compareSetupPanel == nil)
        #expect(driver.chat.compare == nil)
        // Typed keys go to the chat again.
        driver.type("hi")
        #expect(driver.chat.editor.text == "hi")
    }

    @Test func twoPersonasAsSourcesAnswerEachTurnWithTheirOwnPrompts() throws {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)          // mode: two sources
        #expect(driver.state.compareSetupPanel?.fields.count == 15)
        CompareSetupFixtures.select(&driver, .persona(1))
        driver.press(.right)          // B: clippy → haiku
        #expect(driver.state.compareSetupPanel?.sources[1].personaID == "haiku")
        // B took the haiku persona's sampling.
        #expect(driver.state.compareSetupPanel?.sources[1].temperature == "0.8")
        let effects = driver.press(.enter)
        #expect(effects.isEmpty)
        #expect(driver.state.compareSetupPanel == nil)
        let setup = try #require(driver.chat.compare)
        #expect(setup.sources.map(\.persona.id) == ["clippy", "haiku"])
        #expect(setup.sources.map(\.sampling) == [SamplingParameters(temperature: 0, seed: 42), SamplingParameters(temperature: 0.8, seed: 7)])
        #expect(driver.state.notice?.message == .compareSetupApplied(sources: setup.summary, restartingEngine: false))
        #expect(setup.summary == "A = clippy · t=0.0 · seed 42, B = haiku · t=0.8 · seed 7")

        driver.type("Tea or coffee?")
        let requests = CompareSetupFixtures.requests(driver.press(.enter))
        #expect(requests.count == 2)
        #expect(requests.map { $0.messages.first?.content } == [Fixtures.clippy.systemPrompt, CompareFixtures.haiku.systemPrompt])
        #expect(requests.map(\.sampling.temperature) == [0, 0.8])
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map(\.name) == setup.sources.map(\.name))
        #expect(round.sides.map(\.persona) == [nil, "haiku"])
    }

    @Test func typedTemperatureSeedAndModelGoToThatSource() throws {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .model(1))
        CompareSetupFixtures.replace(&driver, with: "SmolLM2-360M")
        driver.press(.down)
        CompareSetupFixtures.replace(&driver, with: "1.2")
        driver.press(.down)
        CompareSetupFixtures.replace(&driver, with: "9")
        // Left/Right in a text row move the cursor: typing lands where it is.
        driver.press(.left)
        driver.type("1")
        #expect(driver.state.compareSetupPanel?.text(of: .seed(1)) == "19")
        driver.press(.enter)
        let source = try #require(driver.chat.compare?.sources[1])
        #expect(source.model == "SmolLM2-360M")
        #expect(source.sampling.temperature == 1.2)
        #expect(source.sampling.seed == 19)
        // Source A is untouched and stays the conversation's sampling.
        #expect(driver.chat.compare?.sources[0].sampling == SamplingParameters(temperature: 0, seed: 42))
        #expect(driver.conversation.sampling == SamplingParameters(temperature: 0, seed: 42))
        let requests = CompareSetupFixtures.requests({ driver.type("Hi"); return driver.press(.enter) }())
        #expect(requests.map(\.model) == ["SmolLM2-135M", "SmolLM2-360M"])
        #expect(requests.map(\.sampling.seed) == [42, 19])
    }

    @Test func aBadTemperatureOrSeedIsRefusedWithItsRowSelectedAndNothingLost() {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .temperature(1))
        CompareSetupFixtures.replace(&driver, with: "3")
        CompareSetupFixtures.select(&driver, .blind)
        driver.press(.enter)
        let panel = try! #require(driver.state.compareSetupPanel)
        #expect(panel.selected == .temperature(1))
        #expect(panel.refused)
        #expect(panel.editor.text == "3")
        #expect(driver.chat.compare == nil)
        let problem = NoticeMessage.compareSetupBadValue(source: "B", problem: "temperature: expected a number between 0 and 2, got 3")
        #expect(panel.problem(of: .temperature(1)) == problem)
        #expect(driver.state.notice?.message == .compareSetupNotApplied(problem: problem.text))
        #expect(driver.state.notice?.isError == true)
        // A seed that is not a whole number.
        CompareSetupFixtures.replace(&driver, with: "1")
        driver.press(.down)
        CompareSetupFixtures.replace(&driver, with: "x")
        driver.press(.enter)
        #expect(driver.state.compareSetupPanel?.selected == .seed(1))
        #expect(driver.chat.compare == nil)
        // Fixed: Enter applies and the refusal is over.
        CompareSetupFixtures.replace(&driver, with: "5")
        #expect(driver.state.compareSetupPanel?.refused == false)
        driver.press(.enter)
        #expect(driver.chat.compare?.sources[1].sampling == SamplingParameters(temperature: 1, seed: 5))
    }

    @Test func aTeacherWithThreeCandidatesIsRefused() {
        var driver = CompareSetupFixtures.chatDriver()
        CompareSetupFixtures.select(&driver, .candidates)
        driver.press(.right)
        #expect(driver.state.compareSetupPanel?.candidateCount == 3)
        CompareSetupFixtures.select(&driver, .teacher)
        driver.press(.right)
        #expect(driver.state.compareSetupPanel?.teacher == "A")
        driver.press(.enter)
        #expect(driver.chat.compare == nil)
        #expect(driver.state.notice?.message
                == .compareSetupNotApplied(problem: NoticeMessage.compareSetupTeacherNeedsTwo(candidates: 3).text))
        // Teacher back to none: four candidates from source A, each with the next seed.
        driver.press(.right, .right)
        #expect(driver.state.compareSetupPanel?.teacher == nil)
        CompareSetupFixtures.select(&driver, .candidates)
        driver.press(.right)
        driver.press(.enter)
        #expect(driver.chat.compare?.sources.map(\.letter) == ["A", "B", "C", "D"])
        #expect(driver.chat.compare?.sources.map(\.sampling.seed) == [42, 43, 44, 45])
        #expect(driver.chat.compare?.teacher == nil)
    }

    @Test func teacherBlindAndModeRowsGoIntoTheSetup() throws {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .persona(1))
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .blind)
        driver.press(.right)
        driver.press(.down, .left)   // teacher: none → B (backwards)
        driver.press(.enter)
        let setup = try #require(driver.chat.compare)
        #expect(setup.blind)
        #expect(setup.teacher == "B")
        #expect(setup.studentSource?.persona.id == "clippy")
        // Reopened, the panel shows the setup as it is.
        driver.press(.function(8))
        let panel = try #require(driver.state.compareSetupPanel)
        #expect(panel.twoSources && panel.blind && panel.teacher == "B")
        #expect(panel.sources.map(\.personaID) == ["clippy", "haiku"])
    }

    @Test func backendRowCyclesTheChatsOwnAndEachConfiguredBackend() throws {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .backend(1))
        driver.press(.right)
        #expect(driver.state.compareSetupPanel?.sources[1].backend == "local")
        driver.press(.right)
        #expect(driver.state.compareSetupPanel?.sources[1].backend == "openai")
        driver.press(.right)
        #expect(driver.state.compareSetupPanel?.sources[1].backend == nil)
        driver.press(.left)
        driver.press(.enter)
        #expect(driver.chat.compare?.sources[1].backend == "openai")
        // The round streams B on its own backend (a backend that cannot be made fails there, as --compare-backend).
        driver.type("Hi")
        let effects = driver.press(.enter)
        #expect(effects.contains { if case .startStreamOn(_, _, "openai") = $0 { true } else { false } })
    }

    @Test func anAdapterOnAHostedBackendIsRefused() {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .backend(1))
        driver.press(.left)          // openai
        CompareSetupFixtures.select(&driver, .adapter(1))
        driver.press(.right)         // base
        #expect(driver.state.compareSetupPanel?.sources[1].adapter == .base)
        driver.press(.enter)
        let problem = NoticeMessage.compareSetupAdapterNotLocal(source: "B", backend: "openai", kind: "openai")
        #expect(driver.state.compareSetupPanel?.problem(of: .adapter(1)) == problem)
        #expect(driver.state.notice?.message == .compareSetupNotApplied(problem: problem.text))
        #expect(driver.chat.compare == nil)
    }

    @Test func anAdapterOnASourceWithABackendOfItsOwnIsRefused() {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .backend(1))
        driver.press(.right)         // local, by name
        CompareSetupFixtures.select(&driver, .adapter(1))
        driver.press(.right, .right) // tuned RUN
        driver.press(.enter)
        let problem = NoticeMessage.compareSetupAdapterNeedsChatsEngine(source: "B", backend: "local")
        #expect(driver.state.compareSetupPanel?.selected == .adapter(1))
        #expect(driver.state.notice?.message == .compareSetupNotApplied(problem: problem.text))
        #expect(driver.chat.compare == nil)
    }

    @Test func baseAgainstTunedLoadsTheRunOnceAndEachSideNamesItsScales() throws {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .adapter(0))
        driver.press(.right)                 // A: base
        CompareSetupFixtures.select(&driver, .adapter(1))
        driver.press(.right, .right)         // B: tuned RUN (clippy's run)
        #expect(driver.state.compareSetupPanel?.sources.map(\.adapter) == [.base, .tuned(CompareSetupFixtures.run)])
        let effects = driver.press(.enter)
        let runs = [AdapterRun(personaID: "clippy", runID: CompareSetupFixtures.run)]
        #expect(effects == [.connectAdapters(persona: Fixtures.clippy, runs: runs)])
        #expect(driver.chat.loadedAdapters == runs)
        let setup = try #require(driver.chat.compare)
        #expect(setup.sources.map(\.adapter) == [AdapterChoice.base(of: 1), .only(0, of: 1, runID: CompareSetupFixtures.run)])
        #expect(setup.sources.map(\.name) == ["clippy · base · t=0.0 · seed 42", "clippy · tuned \(CompareSetupFixtures.run) · t=0.0 · seed 43"])
        #expect(driver.state.notice?.message == .compareSetupApplied(sources: setup.summary, restartingEngine: true))

        // The engine reconnected (the notice says so); the conversation is the same.
        driver.send(.connectionChanged(Fixtures.backend, adapter: nil))
        #expect(driver.state.notice?.message == .compareEngineReady)
        driver.type("Tea or coffee?")
        let sent = driver.press(.enter)
        let requests = CompareSetupFixtures.requests(sent)
        #expect(requests.map(\.adapterScales) == [[0], [1]])
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map { driver.conversation[$0.reply].reply?.adapter } == [nil, CompareSetupFixtures.run])

        // Applying the same sources again restarts nothing.
        for case .startStream(let id, _) in sent { driver.send(.streamFinished(stream: id, reason: .stop, usage: nil, timing: nil)) }
        driver.press(.character("s"))
        driver.press(.function(8))
        driver.send(.compareSetupOptionsLoaded(CompareSetupFixtures.options))
        #expect(driver.press(.enter).isEmpty)
    }

    @Test func f6WithBaseAgainstTunedPlansTheAdaptersAgainWithTheNewRun() throws {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .adapter(1))
        driver.press(.right, .right)         // B: tuned RUN; A as the chat (the base: the chat has no run)
        driver.press(.enter)
        driver.state.trainedRun = TrainedRun(personaID: "clippy", runID: "20261201-090000", validationLossBefore: nil, validationLossAfter: nil)
        let effects = driver.press(.function(6))
        var tuned = Fixtures.clippy
        tuned.adapter = "20261201-090000"
        let runs = [AdapterRun(personaID: "clippy", runID: "20261201-090000"), AdapterRun(personaID: "clippy", runID: CompareSetupFixtures.run)]
        #expect(effects == [.connectAdapters(persona: tuned, runs: runs)])
        #expect(driver.chat.loadedAdapters == runs)
        // A (planned as the base before) stays the base; B keeps its run, now the second one loaded.
        #expect(driver.chat.compare?.sources.map(\.adapter) == [.base(of: 2), .only(1, of: 2, runID: CompareSetupFixtures.run)])
    }

    @Test func aFailedReconnectMakesTheNextSetupConnectAgain() {
        var driver = CompareSetupFixtures.chatDriver()
        CompareSetupFixtures.select(&driver, .adapter(0))
        driver.press(.left)                  // tuned RUN (wrapping backwards)
        #expect(driver.press(.enter).count == 1)
        driver.send(.connectionFailed("the engine did not start"))
        #expect(driver.chat.loadedAdapters == nil)
        #expect(driver.state.notice?.message == .couldNotConnect("the engine did not start"))
        driver.press(.function(8))
        driver.send(.compareSetupOptionsLoaded(CompareSetupFixtures.options))
        #expect(driver.press(.enter).count == 1)
    }

    @Test func choicesWaitForTheListsButTextRowsDoNot() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(8), .right)  // mode needs no list
        #expect(driver.state.compareSetupPanel?.twoSources == true)
        CompareSetupFixtures.select(&driver, .persona(1))
        driver.press(.right)
        #expect(driver.state.notice?.message == .compareSetupLoading)
        #expect(driver.state.compareSetupPanel?.sources[1].personaID == "clippy")
        driver.press(.enter)
        #expect(driver.chat.compare == nil)
        #expect(driver.state.notice?.message == .compareSetupNotApplied(problem: NoticeMessage.compareSetupLoading.text))
    }

    @Test func fromThePickerEnterOpensTheChatWithTheChosenSources() throws {
        var driver = Driver(Fixtures.pickerState())
        #expect(driver.press(.function(8)) == [.loadCompareSetupOptions])
        #expect(driver.state.compareSetupPanel?.origin == .picker)
        #expect(driver.state.compareSetupPanel?.twoSources == true)
        #expect(HintMode.of(driver.state) == .compareSetupPanel)
        driver.send(.compareSetupOptionsLoaded(CompareSetupFixtures.options))
        CompareSetupFixtures.select(&driver, .temperature(1))
        CompareSetupFixtures.replace(&driver, with: "0.9")
        let effects = driver.press(.enter)
        #expect(effects == [.startChat(personaID: "clippy")])
        #expect(driver.state.screen == .loading(NoticeMessage.startingChat(persona: "Clippy").text))
        #expect(driver.state.compareSetupForNextChat?.sources.map(\.sampling.temperature) == [nil, 0.9])

        driver.send(.chatReady(Fixtures.conversation()))
        #expect(driver.state.compareSetupForNextChat == nil)
        let setup = try #require(driver.chat.compare)
        #expect(setup.sources.map(\.persona.id) == ["clippy", "clippy"])
        #expect(setup.sources[1].sampling.temperature == 0.9)
        // Used once: the next chat opened starts without compare.
        driver.send(.chatReady(Fixtures.conversation()))
        #expect(driver.chat.compare == nil)
    }

    @Test func fromThePickerABrokenPersonaIsRefused() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.end)
        driver.press(.function(8))
        #expect(driver.state.compareSetupPanel == nil)
        #expect(driver.state.notice?.message.isError == true)
    }

    @Test func compareAdapterFromTheCommandLineConnectsWhenTheChatOpens() throws {
        var state = Fixtures.pickerState()
        var choice = CompareChoice()
        choice.adapter = .tuned(CompareSetupFixtures.run)
        state.compareChoice = choice
        var driver = Driver(state)
        let effects = driver.send(.chatReady(Fixtures.conversation()))
        let runs = [AdapterRun(personaID: "clippy", runID: CompareSetupFixtures.run)]
        #expect(effects == [.connectAdapters(persona: Fixtures.conversation().persona, runs: runs)])
        let setup = try #require(driver.chat.compare)
        #expect(setup.sources.map(\.adapter) == [.base(of: 1), .only(0, of: 1, runID: CompareSetupFixtures.run)])
    }
}
