import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// A transcript to replay (two exchanges, the second reply marked bad) and the new conversation replaying it.
enum ReplayFixtures {
    static func original() -> Conversation {
        var conversation = Conversation(id: "20261101-0900-clippy", createdAt: Fixtures.date, persona: Fixtures.clippy,
                                        backend: Fixtures.backend, sampling: SamplingParameters(temperature: 0, seed: 42))
        for (question, answer) in [("What is 2+2?", "4, obviously."), ("And 東京?", "A city. Big one 🏙️.")] {
            let user = conversation.appendUserMessage(question, at: Fixtures.date)
            let reply = conversation.startReply(after: user, backend: "local", model: "old-model", at: Fixtures.date)
            conversation.appendReplyText(answer, to: reply)
            conversation.finishReply(reply, reason: .stop)
        }
        conversation.setMark(.bad, on: conversation.activePath.last!, at: Fixtures.date)
        return conversation
    }

    static func replay() -> Conversation {
        var persona = Fixtures.clippy
        persona.systemPrompt = "Clippy is factual, sarcastic and brief."
        return Conversation(id: "20261122-0400-clippy", createdAt: Fixtures.date, persona: persona, backend: Fixtures.backend,
                            sampling: SamplingParameters(temperature: 0, seed: 42), replayOf: "20261101-0900-clippy")
    }

    /// A driver in the browser, replay started and its first new reply streamed and finished.
    static func afterFirstTurn() -> Driver {
        var driver = Driver(Fixtures.pickerState())
        driver.send(.replayReady(original: original(), conversation: replay()))
        driver.send(.streamDelta(stream: 1, text: "Four. Did you need a calculator for that?"))
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: TokenUsage(promptTokens: 30, completionTokens: 10), timing: nil))
        return driver
    }
}

@Suite struct ReplayReducerTests {
    @Test func ctrlRInTheBrowserStartsAReplayOfTheSelectedTranscript() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.control("o"))
        driver.send(.transcriptsLoaded([
            TranscriptRow(id: "t1", personaID: "clippy", personaName: "Clippy", title: "Hi", createdAt: Fixtures.date,
                          turnCount: 4, markCount: 1),
            TranscriptRow(id: "broken", personaID: "", personaName: "?", title: "broken.json", createdAt: Fixtures.date,
                          turnCount: 0, markCount: 0, problem: "line 1: not JSON"),
        ]))
        #expect(driver.press(.control("r")) == [.startReplay(transcriptID: "t1")])
        #expect(driver.state.screen == .loading("Replaying t1 against today's Clippy…"))

        var broken = Driver(Fixtures.pickerState())
        broken.press(.control("o"))
        broken.send(.transcriptsLoaded([TranscriptRow(id: "broken", personaID: "", personaName: "?", title: "b",
                                                      createdAt: Fixtures.date, turnCount: 0, markCount: 0, problem: "not JSON")]))
        #expect(broken.press(.control("r")).isEmpty)
        #expect(broken.state.notice?.text == "Cannot replay broken: not JSON")
        #expect(broken.state.screen == .browser)
    }

    @Test func replayReadySendsTheFirstUserTurnWithTheOriginalReplyBesideTheNewOne() throws {
        var driver = Driver(Fixtures.pickerState())
        let effects = driver.send(.replayReady(original: ReplayFixtures.original(), conversation: ReplayFixtures.replay()))
        #expect(driver.state.screen == .chat)
        #expect(driver.chat.focus == .messages)
        let conversation = driver.conversation
        #expect(conversation.replayOf == "20261101-0900-clippy")
        // Greeting, replayed user turn, new reply (streaming).
        let path = conversation.activePath
        #expect(path.map { conversation[$0].origin } == [.greeting, .replayed, .generated])
        #expect(conversation[path[1]].text == "What is 2+2?")
        let newReply = try #require(path.last)
        #expect(!conversation[newReply].isComplete)
        let original = try #require(conversation.originalAlternative(of: newReply))
        #expect(conversation[original].text == "4, obviously.")
        #expect(conversation[original].reply?.model == "old-model")
        #expect(conversation[original].mark == nil)
        // The request carries today's system prompt and only the replayed history.
        guard case .startStream(1, let request)? = effects.first, effects.count == 1 else {
            Issue.record("expected one startStream, got \(effects)")
            return
        }
        #expect(request.messages.map(\.content) == ["Clippy is factual, sarcastic and brief.",
                                                     "It looks like you're writing a letter. Need help?", "What is 2+2?"])
        #expect(driver.chat.replay?.nextIndex == 1)
    }

    @Test func replayPausesAfterEachTurnAndNSendsTheNextWithTheNewHistory() throws {
        var driver = ReplayFixtures.afterFirstTurn()
        #expect(driver.effects.last == .record(driver.conversation, .replyFinished))
        #expect(!driver.chat.isGenerating)
        let effects = driver.press(.character("n"))
        guard case .startStream(2, let request)? = effects.first else {
            Issue.record("expected a second stream, got \(effects)")
            return
        }
        #expect(request.messages.suffix(3).map(\.content) == ["What is 2+2?", "Four. Did you need a calculator for that?", "And 東京?"])
        // While streaming, n does not send another turn.
        #expect(driver.press(.character("n")).isEmpty)
        #expect(driver.state.notice?.isError == true)
        driver.send(.streamFinished(stream: 2, reason: .stop, usage: nil, timing: nil))
        #expect(driver.chat.replay?.isComplete == true)
        #expect(driver.state.notice?.text.contains("Replay finished (2 turns)") == true)
        #expect(driver.press(.character("n")).isEmpty)
    }

    @Test func capitalNRunsEveryRemainingTurnWithoutPausing() {
        var driver = ReplayFixtures.afterFirstTurn()
        driver.press(.character("N"))
        #expect(driver.chat.stream?.id == 2)
        driver.send(.streamFinished(stream: 2, reason: .stop, usage: nil, timing: nil))
        #expect(driver.chat.replay?.isComplete == true)
        #expect(driver.conversation.activePath.filter { driver.conversation[$0].role == .user }.count == 2)
    }

    @Test func aFailedTurnPausesARunToTheEnd() {
        var driver = Driver(Fixtures.pickerState())
        driver.send(.replayReady(original: ReplayFixtures.original(), conversation: ReplayFixtures.replay()))
        driver.press(.character("N"))
        driver.send(.streamFailed(stream: 1, message: "HTTP 429: slow down"))
        #expect(driver.chat.replay?.runsToEnd == false)
        #expect(driver.chat.phase == .error("HTTP 429: slow down"))
        #expect(driver.chat.replay?.nextIndex == 1)
        // `r` retries the failed turn as a new alternative; the replay then goes on with `n`.
        let retried = driver.press(.character("r"))
        #expect(retried.count == 1)
        driver.send(.streamFinished(stream: 2, reason: .stop, usage: nil, timing: nil))
        #expect(driver.press(.character("n")).count == 1)
    }

    @Test func leftRightMoveTheCursorBetweenNewAndOriginalAndMarksLandOnTheChosenSide() throws {
        var driver = ReplayFixtures.afterFirstTurn()
        let newReply = try #require(driver.conversation.activePath.last)
        let original = try #require(driver.conversation.originalAlternative(of: newReply))
        let good = driver.press(.character("+"))
        #expect(driver.conversation[newReply].mark?.value == .good)
        #expect(good == [.record(driver.conversation, .mark)])
        driver.press(.right)
        #expect(driver.chat.comparisonSide == .original)
        #expect(driver.chat.cursorTarget == original)
        driver.press(.character("-"))
        #expect(driver.conversation[original].mark?.value == .bad)
        #expect(driver.conversation[newReply].mark?.value == .good)
        // The branch did not move: the new reply stays selected.
        #expect(driver.conversation.activePath.last == newReply)
        driver.press(.left)
        #expect(driver.chat.cursorTarget == newReply)
        // On a message without an original beside it, Left/Right flip alternatives as usual.
        driver.press(.up)
        #expect(driver.chat.cursorTarget == driver.conversation.activePath[1])
    }

    @Test func goodNewAndBadOriginalMakeAPreferencePair() throws {
        var driver = ReplayFixtures.afterFirstTurn()
        driver.press(.character("+"), .right, .character("-"))
        let pairs = DatasetExamples.preferencePairs(from: driver.conversation)
        #expect(pairs.count == 1)
        #expect(pairs.first?.chosen == "Four. Did you need a calculator for that?")
        #expect(pairs.first?.rejected == "4, obviously.")
    }

    @Test func acceptKeepsTheReplayAsAnOrdinaryChat() {
        var driver = ReplayFixtures.afterFirstTurn()
        #expect(driver.press(.character("a")).isEmpty)
        #expect(driver.chat.replay == nil)
        #expect(driver.chat.focus == .input)
        #expect(driver.state.notice?.text == "Replay kept as 20261122-0400-clippy: type to continue the conversation.")
        driver.type("Thanks")
        let effects = driver.press(.enter)
        #expect(effects.count == 1)
        #expect(driver.conversation[driver.conversation.activePath[driver.conversation.activePath.count - 2]].text == "Thanks")
    }

    @Test func xStopsMidStreamKeepingThePartialReplyAndReturnsToTheBrowser() {
        var driver = ReplayFixtures.afterFirstTurn()
        driver.press(.character("n"))
        driver.send(.streamDelta(stream: 2, text: "Tokyo is"))
        let effects = driver.press(.character("x"))
        #expect(driver.state.screen == .browser)
        #expect(driver.state.notice?.text == "Replay stopped after 1 of 2 turns; saved as 20261122-0400-clippy.")
        #expect(effects.first == .cancelStream(id: 2))
        guard case .record(let saved, .leaving)? = effects.dropFirst().first else {
            Issue.record("expected the replay to be recorded, got \(effects)")
            return
        }
        let last = saved[saved.activePath.last!]
        #expect(last.text == "Tokyo is")
        #expect(last.reply?.finishReason == .cancelled)
        #expect(effects.last == .loadTranscripts)
    }

    @Test func typingKeysDoNotLeaveTheMessageCursorDuringReplay() {
        var driver = ReplayFixtures.afterFirstTurn()
        driver.press(.tab)
        #expect(driver.chat.focus == .messages)
        #expect(driver.state.notice?.text.contains("n next turn") == true)
    }

    @Test func editingTheOriginalReplyRecordsTheIdealAnswerAndReturnsToTheCursor() throws {
        var driver = ReplayFixtures.afterFirstTurn()
        let original = try #require(driver.conversation.originalAlternative(of: driver.conversation.activePath.last!))
        driver.press(.right, .character("e"))
        #expect(driver.chat.editTarget == .reply(original))
        #expect(driver.chat.editor.text == "4, obviously.")
        driver.press(.control("u"))
        driver.type("Four.")
        let effects = driver.press(.enter)
        #expect(effects == [.record(driver.conversation, .edit)])
        #expect(driver.chat.focus == .messages)
        #expect(driver.conversation[original].mark?.value == .bad)
        #expect(driver.conversation.turns.last?.text == "Four.")
        #expect(driver.conversation.turns.last?.origin == .edited)
    }
}

@Suite struct ReplayRenderTests {
    @Test(arguments: [(100, 24), (80, 24), (40, 12)])
    func comparison(width: Int, height: Int) {
        var driver = ReplayFixtures.afterFirstTurn()
        driver.press(.right, .character("-"))
        driver.acknowledgeRecords()
        driver.press(.character("n"))
        driver.send(.streamDelta(stream: 2, text: "東京 is a city, yes. Well spotted 🗼."))
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "replay-\(width)x\(height)")
    }
}
