import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// The review queue: F3 from the picker, one key per decision, the judge's suggestion on Enter, edits through
/// $EDITOR, marks handed to the recorder like the chat's, the position remembered, the counters and the pace.
@Suite struct ReviewQueueTests {
    /// Two autopilot transcripts: the first with two unmarked replies (the second judged 5/5), the second with one
    /// reply judged malformed; a marked reply that is not queued.
    static func snapshot(start: Int = 0) -> ReviewQueueSnapshot {
        var first = Conversation(id: "20261122-0300-auto-0001", createdAt: Fixtures.date, persona: Fixtures.clippy,
                                 backend: Fixtures.backend, sampling: SamplingParameters(temperature: 0, seed: 42))
        let question = first.appendUserMessage("What is 東京 famous for? 🍣", origin: .simulated, at: Fixtures.date)
        let reply = first.startReply(after: question, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
        first.appendReplyText("Sushi. Obviously.", to: reply)
        first.finishReply(reply, reason: .stop)
        let follow = first.appendUserMessage("And Kyoto?", origin: .simulated, at: Fixtures.date)
        let second = first.startReply(after: follow, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
        first.appendReplyText("Temples, as any guidebook would tell you.", to: second)
        first.finishReply(second, reason: .stop)
        first.setVerdict(JudgeVerdict(judge: "judge-persona-adherence", model: "gpt-4o", status: .scored, score: 5,
                                      reason: "Dry and correct.", raw: "SCORE: 5\nREASON: Dry and correct.", at: Fixtures.date), on: second)
        var other = Conversation(id: "20261122-0400-auto-0002", createdAt: Fixtures.date, persona: Fixtures.clippy,
                                 backend: Fixtures.backend, sampling: SamplingParameters())
        let listed = other.appendUserMessage("Capital of Italy?", origin: .listed, at: Fixtures.date)
        let marked = other.startReply(after: listed, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
        other.appendReplyText("Rome.", to: marked)
        other.finishReply(marked, reason: .stop)
        other.setMark(.good, on: marked, at: Fixtures.date)
        let again = other.appendUserMessage("Of France?", origin: .listed, at: Fixtures.date)
        let unmarked = other.startReply(after: again, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
        other.appendReplyText("Paris \u{1B}[31mred\u{1B}[0m.", to: unmarked)
        other.finishReply(unmarked, reason: .stop)
        other.setVerdict(JudgeVerdict(judge: "judge-persona-adherence", model: "gpt-4o", status: .malformed, raw: "Great reply!",
                                      problem: "expected exactly two lines (SCORE: n, then REASON: text), got 1", at: Fixtures.date), on: unmarked)
        let items = ReviewQueue.items(in: [first, other])
        return ReviewQueueSnapshot(conversations: [first, other], items: items, start: start)
    }

    static func openQueue(start: Int = 0) -> Driver {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(3))
        driver.send(.reviewQueueLoaded(snapshot(start: start)))
        return driver
    }

    @Test func theQueueHoldsUnmarkedGeneratedRepliesInOrder() {
        let snapshot = Self.snapshot()
        #expect(snapshot.items == [ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 2),
                                   ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 4),
                                   ReviewItemKey(transcript: "20261122-0400-auto-0002", turn: 4)])
        #expect(ReviewQueue.startIndex(of: snapshot.items, resumingAt: ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 3)) == 1)
        #expect(ReviewQueue.startIndex(of: snapshot.items, resumingAt: nil) == 0)
    }

    @Test func f3OnThePickerOpensTheQueueAndEscLeavesRememberingThePosition() {
        var driver = Driver(Fixtures.pickerState())
        #expect(driver.press(.function(3)) == [.loadReviewQueue])
        #expect(driver.state.screen == .reviewQueue && driver.state.reviewQueue?.isLoaded == false)
        driver.send(.reviewQueueLoaded(Self.snapshot(start: 1)))
        #expect(driver.state.reviewQueue?.current == ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 4))
        #expect(driver.press(.escape) == [.saveReviewPosition(ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 4))])
        #expect(driver.state.screen == .picker && driver.state.reviewQueue == nil)
    }

    @Test func goodAndBadMarkRecordAndMoveOnSavingThePosition() throws {
        var driver = Self.openQueue()
        let effects = driver.press(.character("+"))
        #expect(effects.count == 2)
        guard case .record(let conversation, .mark) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        #expect(conversation[2].mark?.value == .good && conversation[2].mark?.judge == nil)
        #expect(effects.last == .saveReviewPosition(ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 4)))
        driver.press(.character("-"))
        let queue = try #require(driver.state.reviewQueue)
        #expect(queue.conversations["20261122-0300-auto-0001"]?[4].mark?.value == .bad)
        #expect(queue.reviewed == 2 && queue.remaining == 1 && queue.position == 2)
        // The recorder's acknowledgement concerns the queue, not a chat.
        driver.acknowledgeRecords()
        #expect(driver.state.reviewQueue?.pendingRecords.isEmpty == true)
    }

    @Test func enterTakesTheJudgesSuggestionAndSaysWhenThereIsNone() {
        var driver = Self.openQueue()
        #expect(driver.press(.enter).isEmpty, "the first reply was never judged")
        #expect(driver.state.notice?.message == .reviewNoSuggestion)
        driver.press(.character("s"))
        let effects = driver.press(.enter)
        guard case .record(let conversation, .mark) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        #expect(conversation[4].mark?.value == .good, "5/5 suggests good")
        #expect(driver.press(.enter).isEmpty, "a malformed verdict suggests nothing")
        #expect(driver.state.reviewQueue?.position == 2)
    }

    @Test func skipAndBackMoveWithoutMarkingAndStopAtTheEnds() {
        var driver = Self.openQueue()
        #expect(driver.press(.character("b")) == [.saveReviewPosition(ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 2))])
        driver.press(.character("s"), .right, .character("s"))
        #expect(driver.state.reviewQueue?.current == nil, "past the last item: the end")
        #expect(driver.effects.last == .saveReviewPosition(nil))
        #expect(driver.state.reviewQueue?.reviewed == 0 && driver.state.reviewQueue?.remaining == 3)
        driver.press(.left)
        #expect(driver.state.reviewQueue?.position == 2)
        #expect(driver.effects.allSatisfy { if case .record = $0 { false } else { true } })
    }

    @Test func editRewritesTheReplyIntoTheIdealAnswer() {
        var driver = Self.openQueue()
        #expect(driver.press(.character("e")) == [.openExternalEditor("Sushi. Obviously.")])
        let effects = driver.send(.externalEditorFinished(text: "Sushi, obviously. And ramen.\n", error: nil))
        guard case .record(let conversation, .edit) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        let edited = conversation.turns.last!
        #expect(edited.text == "Sushi, obviously. And ramen." && edited.origin == .edited && edited.mark?.value == .good)
        #expect(conversation[2].mark?.value == .bad)
        #expect(driver.state.reviewQueue?.decisions[ReviewItemKey(transcript: "20261122-0300-auto-0001", turn: 2)] == .edited)
        // An unchanged rewrite records nothing.
        driver.press(.character("e"))
        #expect(driver.send(.externalEditorFinished(text: "Temples, as any guidebook would tell you.", error: nil)).isEmpty)
        #expect(driver.state.notice?.message == .editUnchanged)
    }

    @Test func theCounterCountsDecisionsPerMinuteSinceTheQueueOpened() {
        var state = Fixtures.pickerState()
        _ = Reducer.reduce(&state, .key(.function(3)), now: Fixtures.date)
        _ = Reducer.reduce(&state, .reviewQueueLoaded(Self.snapshot()), now: Fixtures.date)
        #expect(state.reviewQueue?.decisionsPerMinute == nil)
        _ = Reducer.reduce(&state, .key(.character("+")), now: Fixtures.date.addingTimeInterval(20))
        _ = Reducer.reduce(&state, .key(.character("-")), now: Fixtures.date.addingTimeInterval(30))
        #expect(state.reviewQueue?.decisionsPerMinute == 4, "2 decisions in 30 s")
    }

    @Test func queueKeysAreInTheKeyTableAndItsHelp() {
        let keys = KeyHelp.section(.reviewQueue).entries.map(\.action)
        #expect(keys.count >= 7)
        #expect(HintLine.items(for: .reviewQueue).map(\.text).contains { $0.contains("good/bad") })
        #expect(KeyBindings.actions(for: .function(3), in: [.everywhere, .picker]) == [.openReviewQueue])
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshotOfAJudgedItem(width: Int, height: Int) {
        var driver = Self.openQueue(start: 1)
        driver.press(.character("+"))
        driver.press(.character("b"))
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "reviewQueue-\(width)x\(height)")
    }

    @Test func snapshotOfAMalformedVerdictAndTheEnd() {
        var driver = Self.openQueue(start: 2)
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 24), named: "reviewQueueMalformed-80x24")
        driver.press(.character("s"))
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 24), named: "reviewQueueEnd-80x24")
    }
}
