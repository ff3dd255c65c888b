import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// Compare-mode fixtures: a chat with compare on, and a round whose two replies streamed and finished.
enum CompareFixtures {
    static let haiku = Persona(id: "haiku", name: "俳句 Poet", description: "Answers in haiku",
                               systemPrompt: "You answer every question with a haiku.")

    /// The chat of `Fixtures.chatState()` with two sources: A the chat's own, B `other` (default: the next seed).
    static func driver(blind: Bool = false, other: Persona? = nil, shuffleSeed: UInt64 = 0) -> Driver {
        var state = Fixtures.chatState()
        let conversation = state.chat!.conversation
        var setup = CompareSetup.candidates(of: conversation.persona, sampling: conversation.sampling, blind: blind,
                                            shuffleSeed: shuffleSeed)
        if let other { setup.sources[1] = CompareSource(letter: "B", persona: other, sampling: conversation.sampling) }
        state.chat!.compare = setup
        return Driver(state)
    }

    /// Types `question`, sends it, streams `textA` into pane A's stream and `textB` into pane B's, finishes both.
    static func round(_ driver: inout Driver, _ question: String = "Tea or coffee?", _ textA: String = "Tea, obviously.",
                      _ textB: String = "Coffee. Strong.") {
        driver.type(question)
        driver.press(.enter)
        // The streams in pane order (one request for candidates of one source, or one per source).
        let ids = driver.chat.streams.map(\.id)
        driver.send(.streamDelta(stream: ids[0], text: textA))
        driver.send(.streamDelta(stream: ids[1], text: textB))
        driver.send(.streamFinished(stream: ids[0], reason: .stop, usage: nil, timing: nil))
        driver.send(.streamFinished(stream: ids[1], reason: .stop, usage: nil, timing: nil))
    }

    /// The user turn of the latest round and its panes.
    static func latestRound(_ driver: Driver) -> (user: TurnID, round: CompareRound)? {
        let conversation = driver.conversation
        guard let last = conversation.activePath.last, let user = conversation.compareParent(of: last),
              let round = conversation[user].compare else { return nil }
        return (user, round)
    }
}

@Suite struct CompareReducerTests {
    @Test func f3CyclesCompareOnBlindOff() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(7))
        #expect(driver.chat.compare?.sources.map(\.letter) == ["A", "B"])
        #expect(driver.chat.compare?.sources.map(\.sampling.seed) == [42, 43])
        #expect(driver.state.notice?.text == "Compare on: A = clippy · t=0.0 · seed 42, B = clippy · t=0.0 · seed 43. F7 again: blind.")
        driver.press(.function(7))
        #expect(driver.chat.compare?.blind == true)
        driver.press(.function(7))
        #expect(driver.chat.compare == nil)
        #expect(driver.state.notice?.text == "Compare off: one reply per turn.")
        // Turned on again: the last setup comes back (not blind).
        driver.press(.function(7))
        #expect(driver.chat.compare?.sources.count == 2 && driver.chat.compare?.blind == false)
    }

    @Test func sendingStartsOneStreamPerSourceWithItsOwnSettings() throws {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        driver.type("Tea or coffee?")
        let effects = driver.press(.enter)
        let requests = effects.compactMap { effect -> ChatRequest? in if case .startStream(_, let request) = effect { request } else { nil } }
        #expect(requests.count == 2)
        #expect(requests[0].messages.first?.content == Fixtures.clippy.systemPrompt)
        #expect(requests[1].messages.first?.content == "You answer every question with a haiku.")
        #expect(requests.allSatisfy { $0.messages.last?.content == "Tea or coffee?" })
        #expect(driver.chat.streams.count == 2 && driver.chat.phase == .waiting)
        let (user, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map(\.source) == ["A", "B"])
        #expect(round.sides.map(\.persona) == [nil, "haiku"])
        #expect(driver.conversation[user].selectedChild == round.sides[0].reply)
        // Each reply records the sampling it was requested with.
        #expect(round.sides.map { driver.conversation[$0.reply].reply?.sampling } == requests.map(\.sampling))
    }

    @Test func deltasGoToTheirOwnPaneAndBothEndingWaitsForADecision() throws {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver)
        let (user, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map { driver.conversation[$0.reply].text } == ["Tea, obviously.", "Coffee. Strong."])
        #expect(driver.chat.phase == .idle)
        #expect(driver.chat.undecidedCompare == user)
        #expect(HintMode.of(driver.state) == .comparing)
        #expect(Reducer.activeContexts(driver.state).contains(.comparing))
        // Typing waits for the decision.
        driver.press(.character("h"))
        #expect(driver.chat.editor.text.isEmpty)
        #expect(driver.state.notice?.text.hasPrefix("Decide first: a/b A/B better") == true)
        // Compare mode turned off (F7 twice: blind, then off): typing goes on; the round stays undecided.
        driver.press(.function(7), .function(7))
        #expect(driver.chat.compare == nil && driver.chat.undecidedCompare == nil)
        driver.press(.character("a"))
        #expect(driver.chat.editor.text == "a" && driver.conversation[user].compare?.decision == nil)
    }

    @Test(arguments: [("a", 0), ("b", 1)])
    func betterKeyMarksWinnerGoodLoserBadRecordsAndContinuesFromWinner(key: Character, winner: Int) throws {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver)
        let (user, round) = try #require(CompareFixtures.latestRound(driver))
        let effects = driver.press(.character(key))
        guard case .record(let recorded, .mark)? = effects.first, effects.count == 1 else {
            Issue.record("expected one record, got \(effects)")
            return
        }
        let conversation = driver.conversation
        #expect(recorded == conversation)
        #expect(conversation[round.sides[winner].reply].mark?.value == .good)
        #expect(conversation[round.sides[1 - winner].reply].mark?.value == .bad)
        #expect(conversation[user].compare?.decision?.winner == ["A", "B"][winner])
        #expect(conversation.activePath.last == round.sides[winner].reply)
        #expect(DatasetExamples.preferencePairs(from: conversation).map(\.chosenTurn) == [round.sides[winner].reply])
        #expect(driver.chat.undecidedCompare == nil && HintMode.of(driver.state) == .typing)
        // The next turn continues from the winner, again in compare mode.
        driver.type("Why?")
        driver.press(.enter)
        #expect(driver.chat.streams.count == 2)
        #expect(driver.conversation[driver.conversation.activePath[driver.conversation.activePath.count - 2]].parent == round.sides[winner].reply)
    }

    @Test func tieMarksBothGoodAndSkipMarksNothing() throws {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver)
        let first = try #require(CompareFixtures.latestRound(driver))
        driver.press(.character("t"))
        #expect(first.round.sides.allSatisfy { driver.conversation[$0.reply].mark?.value == .good })
        CompareFixtures.round(&driver, "Why?", "Because.", "Because!")
        let second = try #require(CompareFixtures.latestRound(driver))
        driver.press(.character("s"))
        #expect(second.round.sides.allSatisfy { driver.conversation[$0.reply].mark == nil })
        #expect(driver.conversation[second.user].compare?.decision?.verdict == .skip)
        #expect(CompareTally(driver.conversation).line == "A 0 · B 0 · tie 1")
    }

    @Test func bothBadOpensTheIdealRewriteChosenAgainstBoth() throws {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver)
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        driver.press(.character("x"))
        #expect(round.sides.allSatisfy { driver.conversation[$0.reply].mark?.value == .bad })
        #expect(driver.chat.editTarget == .reply(round.sides[0].reply))
        #expect(driver.chat.editor.text == "Tea, obviously.")
        #expect(driver.state.notice?.text.hasPrefix("Both bad: rewrite") == true)
        driver.press(.control("u"))
        driver.type("Either; water is better.")
        driver.press(.enter)
        let pairs = DatasetExamples.preferencePairs(from: driver.conversation)
        #expect(pairs.count == 2 && Set(pairs.map(\.rejectedTurn)) == Set(round.sides.map(\.reply)))
        #expect(pairs.allSatisfy { $0.chosen == "Either; water is better." })
    }

    @Test func onlyCandidatesOfOneSourceAreOneRequest() throws {
        let persona = Fixtures.clippy
        func source(_ letter: String, seed: Int?, temperature: Double = 0.7, persona: Persona = Fixtures.clippy, backend: String? = nil) -> CompareSource {
            CompareSource(letter: letter, persona: persona, sampling: SamplingParameters(temperature: temperature, seed: seed), backend: backend)
        }
        // Seeds base, base + 1, … in any letter order: choice order by seed.
        #expect(CandidateChoices.order(of: [source("A", seed: 8), source("B", seed: 7), source("C", seed: 9)])?.map(\.letter) == ["B", "A", "C"])
        // No seed at all: letter order, each choice at random.
        #expect(CandidateChoices.order(of: [source("B", seed: nil), source("A", seed: nil)])?.map(\.letter) == ["A", "B"])
        #expect(CompareSetup.candidates(of: persona, sampling: SamplingParameters(temperature: 0.7), count: 3).sources.map(\.sampling.seed)
                == [nil, nil, nil])
        // Not one source: a gap in the seeds, a seed missing, another temperature, persona or backend.
        #expect(CandidateChoices.order(of: [source("A", seed: 1), source("B", seed: 3)]) == nil)
        #expect(CandidateChoices.order(of: [source("A", seed: 1), source("B", seed: nil)]) == nil)
        #expect(CandidateChoices.order(of: [source("A", seed: 1), source("B", seed: 2, temperature: 1.5)]) == nil)
        #expect(CandidateChoices.order(of: [source("A", seed: 1), source("B", seed: 2, persona: CompareFixtures.haiku)]) == nil)
        #expect(CandidateChoices.order(of: [source("A", seed: 1), source("B", seed: 2, backend: "hosted")]) == nil)
        #expect(CandidateChoices.order(of: [source("A", seed: 1)]) == nil)
        // A setup of candidates on a backend of their own: one request on that backend.
        var state = Fixtures.chatState()
        state.chat!.compare = CompareSetup(sources: [source("A", seed: 42, backend: "hosted"), source("B", seed: 43, backend: "hosted")])
        var driver = Driver(state)
        driver.type("Tea?")
        let effects = driver.press(.enter)
        guard case .startChoices([1, 2], let request, "hosted")? = effects.first, effects.count == 1 else { Issue.record("\(effects)"); return }
        #expect(request.choices == 2 && request.sampling.seed == 42)
    }

    @Test func escStopsBothStreamsKeepingEachPartial() throws {
        var driver = CompareFixtures.driver()
        driver.type("Tea or coffee?")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Tea"))
        driver.send(.streamDelta(stream: 2, text: "Cof"))
        let effects = driver.press(.escape)
        #expect(effects.filter { if case .cancelStream = $0 { true } else { false } } == [.cancelStream(id: 1), .cancelStream(id: 2)])
        #expect(effects.contains { if case .record = $0 { true } else { false } })
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map { driver.conversation[$0.reply].text } == ["Tea", "Cof"])
        #expect(round.sides.allSatisfy { driver.conversation[$0.reply].reply?.finishReason == .cancelled })
        #expect(!driver.chat.isGenerating && driver.chat.phase == .idle)
    }

    @Test func oneSideFailingLeavesTheOtherAndCtrlRRegeneratesThatSide() throws {
        var driver = CompareFixtures.driver()
        driver.type("Tea or coffee?")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 2, text: "Cof"))
        driver.send(.streamFailed(stream: 2, message: "HTTP 500 from local"))
        #expect(driver.chat.isGenerating)
        driver.send(.streamDelta(stream: 1, text: "Tea, obviously."))
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        #expect(driver.chat.phase == .error("HTTP 500 from local"))
        let (user, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(driver.conversation[round.sides[0].reply].text == "Tea, obviously.")
        #expect(driver.conversation[round.sides[1].reply].text == "Cof")
        #expect(driver.conversation[round.sides[1].reply].reply?.error == "HTTP 500 from local")
        // Flip to pane B (Alt-.) and regenerate only it, from the same source.
        driver.press(.alt("."))
        #expect(driver.conversation.activePath.last == round.sides[1].reply)
        let effects = driver.press(.control("r"))
        guard case .startStream(3, let request)? = effects.first, effects.count == 1 else {
            Issue.record("expected one startStream, got \(effects)")
            return
        }
        #expect(request.sampling.seed == 43)
        let sides = try #require(driver.conversation[user].compare?.sides)
        #expect(sides[0].reply == round.sides[0].reply && sides[1].reply != round.sides[1].reply)
        #expect(driver.conversation[sides[1].reply].reply?.sampling?.seed == 43)
    }

    @Test func blindShufflesPanesPerTurnAndRecordsTheSources() throws {
        // Find a seed whose first round swaps the panes (the shuffle is a pure function of seed and turn).
        let probe = CompareFixtures.driver(blind: true).chat
        let user = probe.conversation.turns.count
        let seed = try #require((0..<64).map(UInt64.init).first { probe.compare!.with(seed: $0).paneOrder(forTurn: user).first?.letter == "B" })
        var driver = CompareFixtures.driver(blind: true, shuffleSeed: seed)
        driver.type("Tea or coffee?")
        let effects = driver.press(.enter)
        // Candidates of one source: one request; choice 0 (source A, seed 42) streams into pane B (stream 2).
        guard case .startChoices(let ids, let request, nil)? = effects.first, effects.count == 1 else { Issue.record("\(effects)"); return }
        #expect(request.choices == 2 && request.sampling.seed == 42)
        #expect(ids == [2, 1])
        #expect(driver.chat.streams.map(\.id) == [1, 2])
        #expect(driver.conversation[driver.chat.streams[0].turn].reply?.sampling?.seed == 43)   // pane A shows source B
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map(\.source) == ["B", "A"] && round.isBlind)
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        driver.send(.streamFinished(stream: 2, reason: .stop, usage: nil, timing: nil))
        let hidden = snapshotText(Renderer.render(driver.state, width: 120, height: 40))
        #expect(hidden.contains("[A]") && hidden.contains("[B]") && !hidden.contains("seed 43"))
        driver.press(.character("a"))
        #expect(driver.conversation[round.sides[0].reply].mark?.value == .good)
        #expect(CompareTally(driver.conversation).wins == ["B": 1])
        let revealed = snapshotText(Renderer.render(driver.state, width: 120, height: 40))
        #expect(revealed.contains("[A = source B · clippy · t=0.0 · seed 43]"))
        // Over many turns both orders occur.
        let setup = try #require(driver.chat.compare)
        let firsts = Set((0..<40).map { setup.paneOrder(forTurn: $0).first!.letter })
        #expect(firsts == ["A", "B"])
    }

    @Test func aChoiceFromTheCommandLineStartsEveryChatInCompareModeOnItsBackend() throws {
        var state = Fixtures.pickerState()
        state.compareChoice = CompareChoice(otherPersona: CompareFixtures.haiku, samplingOverrides: SamplingParameters(temperature: 1.5),
                                            backend: "hosted", model: "big-teacher")
        var driver = Driver(state)
        driver.send(.chatReady(Fixtures.conversation(), connection: Fixtures.backend))
        let setup = try #require(driver.chat.compare)
        #expect(setup.sources.map(\.persona.id) == ["clippy", "haiku"])
        #expect(setup.sources.map(\.sampling.temperature) == [0, 1.5])
        #expect(setup.sources.map(\.backend) == [nil, "hosted"])
        driver.type("Tea?")
        let effects = driver.press(.enter)
        guard effects.count == 2, case .startStream(1, _) = effects[0], case .startStreamOn(2, let request, "hosted") = effects[1] else {
            Issue.record("expected the chat's stream and one on hosted, got \(effects)")
            return
        }
        #expect(request.model == "big-teacher")
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(driver.conversation[round.sides[1].reply].reply?.backend == "hosted")
        #expect(driver.conversation[round.sides[1].reply].reply?.model == "big-teacher")
        #expect(driver.conversation[round.sides[0].reply].reply?.backend == "local")
    }

    @Test func threeCandidatesFromOneSourceStreamAndCBetterIsOnePairPerLoser() throws {
        var state = Fixtures.pickerState()
        var choice = CompareChoice()
        choice.candidates = 3
        state.compareChoice = choice
        var driver = Driver(state)
        driver.send(.chatReady(Fixtures.conversation(), connection: Fixtures.backend))
        #expect(driver.chat.compare?.sources.map(\.letter) == ["A", "B", "C"])
        driver.type("Tea?")
        let effects = driver.press(.enter)
        // Three candidates of one source: one request for three choices (n), choice k streaming into pane k.
        guard case .startChoices(let ids, let request, nil)? = effects.first, effects.count == 1 else { Issue.record("\(effects)"); return }
        #expect(ids == [1, 2, 3] && request.choices == 3 && request.sampling.seed == 42)
        #expect(driver.chat.streams.map { driver.conversation[$0.turn].reply?.sampling?.seed } == [42, 43, 44])
        for (index, id) in [1, 2, 3].enumerated() {
            driver.send(.streamDelta(stream: id, text: "Candidate \(index)."))
            driver.send(.streamFinished(stream: id, reason: .stop, usage: nil, timing: nil))
        }
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.count == 3)
        let grid = snapshotText(Renderer.render(driver.state, width: 120, height: 40))
        #expect(grid.contains("[C · clippy · t=0.0 · seed 44]"))
        driver.press(.character("c"))
        let conversation = driver.conversation
        #expect(round.sides.map { conversation[$0.reply].mark?.value } == [.bad, .bad, .good])
        #expect(conversation.activePath.last == round.sides[2].reply)
        #expect(DatasetExamples.preferencePairs(from: conversation).map(\.rejectedTurn) == [round.sides[0].reply, round.sides[1].reply])
        #expect(CompareTally(conversation).line == "A 0 · B 0 · C 1 · tie 0")
        // With two sources there is no pane C.
        var two = CompareFixtures.driver()
        CompareFixtures.round(&two)
        two.press(.character("c"))
        #expect(two.state.notice?.text == "This round has no such pane.")
        #expect(two.chat.undecidedCompare != nil)
    }

    @Test func f3InThePickerSetsUpCompareForTheChatsItStarts() throws {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(7))
        #expect(driver.state.compareChoice == CompareChoice(shuffleSeed: driver.state.compareChoice?.shuffleSeed ?? 0))
        #expect(driver.state.notice?.text.hasPrefix("Chats started now compare two candidates side by side") == true)
        driver.press(.function(7))
        #expect(driver.state.compareChoice?.blind == true)
        driver.send(.chatReady(Fixtures.conversation(), connection: Fixtures.backend))
        #expect(driver.chat.compare?.blind == true && driver.chat.compare?.sources.map(\.sampling.seed) == [42, 43])
        var off = Driver(Fixtures.pickerState())
        off.press(.function(7), .function(7), .function(7))
        #expect(off.state.compareChoice == nil)
        off.send(.chatReady(Fixtures.conversation(), connection: Fixtures.backend))
        #expect(off.chat.compare == nil)
    }

    @Test func aReopenedTranscriptShowsItsCompareRoundsSideBySide() throws {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver, "Tea or coffee?", "Tea.", "Coffee.")
        driver.press(.character("b"))
        var reopened = Driver(Fixtures.pickerState())
        reopened.send(.chatReady(driver.conversation, connection: Fixtures.backend))
        #expect(reopened.chat.compare == nil && reopened.chat.undecidedCompare == nil)
        let text = snapshotText(Renderer.render(reopened.state, width: 120, height: 40))
        #expect(text.contains("Clippy [A · clippy · t=0.0 · seed 42] [- bad]"))
        #expect(text.contains("Clippy [B · clippy · t=0.0 · seed 43] [+ good]"))
        #expect(text.contains("│ Coffee."))
    }

    @Test func statusLineShowsTheTally() throws {
        var driver = CompareFixtures.driver()
        for key: Character in ["a", "b", "t", "a"] {
            CompareFixtures.round(&driver, "Q\(key)?", "One \(key)", "Two \(key)")
            driver.press(.character(key))
        }
        let text = snapshotText(Renderer.render(driver.state, width: 120, height: 40))
        #expect(text.contains("A 2 · B 1 · tie 1"))
    }

    @Test func tenRoundsTakeExactlyOneKeyPerDecisionBeyondTyping() {
        var driver = CompareFixtures.driver()
        var keys = 0
        var typed = 0
        for index in 0..<10 {
            let question = "Question \(index)?"
            for character in question { driver.press(.character(character)); keys += 1 }
            typed += question.count
            driver.press(.enter)
            keys += 1
            typed += 1
            for id in driver.chat.streams.map(\.id) {
                driver.send(.streamDelta(stream: id, text: "Answer \(index) from \(id)."))
                driver.send(.streamFinished(stream: id, reason: .stop, usage: nil, timing: nil))
            }
            driver.press(.character(["a", "b", "t", "s"][index % 4]))
            keys += 1
        }
        #expect(keys - typed == 10)
        let rounds = driver.conversation.turns.compactMap(\.compare)
        #expect(rounds.count == 10 && rounds.allSatisfy { $0.decision != nil })
        #expect(CompareTally(driver.conversation).line == "A 3 · B 3 · tie 2")
    }
}

extension CompareSetup {
    /// The same setup with another shuffle seed.
    func with(seed: UInt64) -> CompareSetup {
        var copy = self
        copy.shuffleSeed = seed
        return copy
    }
}
