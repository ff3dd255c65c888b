import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// Compare rounds in the review queue: one item per undecided round (the user turn and its candidates stacked),
/// decided with one key through `Conversation.decideCompare` (marks + selection, so the recorder writes SFT lines and
/// preference pairs at once), the judge's pairwise preference confirmed with Enter, "both bad" rewritten in $EDITOR.
@Suite struct ReviewQueueCompareTests {
    static let id = "20261122-0500-auto-0003"

    /// One transcript: a compare round (A and B, undecided), then a single unmarked reply after A, then a second
    /// round whose judge prefers B, and a third round already decided by a person (not queued).
    static func conversation(judgement: PairwiseVerdict? = nil) -> Conversation {
        var conversation = Conversation(id: id, createdAt: Fixtures.date, persona: Fixtures.clippy, backend: Fixtures.backend,
                                        sampling: SamplingParameters(temperature: 0, seed: 42))
        func round(_ question: String, _ answers: [String]) -> TurnID {
            let user = conversation.appendUserMessage(question, origin: .simulated, simulatedBy: "sim-curious-newcomer", at: Fixtures.date)
            var sides: [CompareSide] = []
            for (index, answer) in answers.enumerated() {
                let reply = conversation.startReply(after: user, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
                conversation.appendReplyText(answer, to: reply)
                conversation.finishReply(reply, reason: .stop)
                sides.append(CompareSide(reply: reply, source: CompareRound.paneLetter(index), name: "clippy · t=0.0 · seed \(42 + index)"))
            }
            conversation.beginCompare(under: user, sides: sides, blind: false)
            return user
        }
        _ = round("What is 東京 famous for? 🍣", ["Sushi. Obviously.", "Tokyo is famous for many things, including sushi, temples and \u{1B}[31mneon\u{1B}[0m."])
        let follow = conversation.appendUserMessage("And Kyoto?", origin: .typed, at: Fixtures.date)
        let single = conversation.startReply(after: follow, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
        conversation.appendReplyText("Temples, as any guidebook would tell you.", to: single)
        conversation.finishReply(single, reason: .stop)
        let judged = round("Capital of Peru?", ["Lima.", "Lima, as any atlas says."])
        conversation.setCompareJudgement(judgement ?? PairwiseVerdict(
            judge: "judge-persona-adherence", model: "gpt-4o", status: .scored, preferred: "B", reason: "B keeps the dry tone.",
            raw: "PREFERENCE: B\nREASON: B keeps the dry tone.", at: Fixtures.date), under: judged)
        let decided = round("Capital of Chile?", ["Santiago.", "Santiago, obviously."])
        conversation.decideCompare(under: decided, .better, winnerPane: 0, at: Fixtures.date)
        return conversation
    }

    static func openQueue(_ conversation: Conversation = conversation()) -> Driver {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(3))
        let items = ReviewQueue.items(in: [conversation])
        driver.send(.reviewQueueLoaded(ReviewQueueSnapshot(conversations: [conversation], items: items, start: 0)))
        return driver
    }

    @Test func undecidedRoundsAreOneItemEachKeyedByTheirUserTurn() {
        let conversation = Self.conversation()
        // Greeting 0; turn 1 round (replies 2, 3), turn 4 + single reply 5, turn 6 round (7, 8), turn 9 decided (10, 11).
        #expect(ReviewQueue.items(in: [conversation]) == [ReviewItemKey(transcript: Self.id, turn: 1), ReviewItemKey(transcript: Self.id, turn: 5),
                                                           ReviewItemKey(transcript: Self.id, turn: 6)])
        // A round the chat skipped is queued again; one a judge decided stays queued for a person.
        var skipped = conversation
        skipped.decideCompare(under: 9, .skip, at: Fixtures.date)
        #expect(ReviewQueue.items(in: [skipped]).contains(ReviewItemKey(transcript: Self.id, turn: 9)))
        var judged = conversation
        judged.decideCompare(under: 1, .tie, at: Fixtures.date, judge: "judge-persona-adherence")
        #expect(judged[2].mark?.judge == "judge-persona-adherence" && judged[1].compare?.decision?.judge == "judge-persona-adherence")
        #expect(ReviewQueue.items(in: [judged]).first == ReviewItemKey(transcript: Self.id, turn: 1))
    }

    @Test func bBetterDecidesThroughTheCorePathRecordsAndMovesOn() throws {
        var driver = Self.openQueue()
        #expect(Reducer.activeContexts(driver.state) == [.everywhere, .reviewCompare, .reviewQueue])
        #expect(HintMode.of(driver.state) == .reviewCompare)
        let effects = driver.press(.character("b"))
        guard case .record(let conversation, .mark) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        #expect(conversation[1].compare?.decision?.verdict == .better && conversation[1].compare?.decision?.winner == "B")
        #expect(conversation[1].compare?.decision?.judge == nil)
        #expect(conversation[3].mark?.value == .good && conversation[2].mark?.value == .bad)
        #expect(conversation[1].selectedChild == 3, "the branch continues from the winner")
        #expect(DatasetExamples.preferencePairs(from: conversation).contains { $0.chosenTurn == 3 })
        #expect(effects.last == .saveReviewPosition(ReviewItemKey(transcript: Self.id, turn: 5)))
        let queue = try #require(driver.state.reviewQueue)
        #expect(queue.decisions[ReviewItemKey(transcript: Self.id, turn: 1)] == .bBetter)
        #expect(queue.reviewed == 1 && queue.remaining == 2)
        // The single reply that follows is back to the queue's own keys: b goes back here.
        #expect(Reducer.activeContexts(driver.state) == [.everywhere, .reviewQueue])
        driver.press(.character("b"))
        #expect(driver.state.reviewQueue?.position == 0)
        driver.acknowledgeRecords()
        #expect(driver.state.reviewQueue?.pendingRecords.isEmpty == true)
    }

    @Test func tieMarksEveryCandidateGoodAndSingleItemKeysAreRefused() {
        var driver = Self.openQueue()
        #expect(driver.press(.character("+")).isEmpty, "+ does not decide a compare item")
        #expect(driver.state.notice?.message == .reviewCompareKeys)
        #expect(driver.press(.character("c")).isEmpty, "two candidates: no pane C")
        #expect(driver.state.notice?.message == .compareNoSuchPane)
        let effects = driver.press(.character("t"))
        guard case .record(let conversation, .mark) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        #expect(conversation[2].mark?.value == .good && conversation[3].mark?.value == .good)
        #expect(conversation[1].compare?.decision?.verdict == .tie)
        #expect(Set(DatasetExamples.sft(from: conversation).map(\.endTurn)).isSuperset(of: [2, 3]), "an SFT example each")
    }

    @Test func enterConfirmsTheJudgesPreferenceAndSaysWhenThereIsNone() {
        var driver = Self.openQueue()
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.notice?.message == .reviewNoPreference)
        driver.press(.character("s"), .character("s"))
        #expect(driver.state.reviewQueue?.current == ReviewItemKey(transcript: Self.id, turn: 6))
        let effects = driver.press(.enter)
        guard case .record(let conversation, .mark) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        #expect(conversation[8].mark?.value == .good && conversation[7].mark?.value == .bad, "the judge preferred B")
        #expect(conversation[6].compare?.decision?.judge == nil, "confirmed by the person")
        // A malformed pairwise verdict suggests nothing.
        let malformed = PairwiseVerdict(judge: "judge-persona-adherence", model: "smollm2", status: .malformed, raw: "B is better",
                                        problem: "expected exactly two lines", at: Fixtures.date)
        var other = Self.openQueue(Self.conversation(judgement: malformed))
        other.press(.character("s"), .character("s"))
        #expect(other.press(.enter).isEmpty)
        #expect(other.state.notice?.message == .reviewNoPreference)
    }

    @Test func bothBadMarksAllBadThenTheRewriteIsChosenAgainstBoth() {
        var driver = Self.openQueue()
        let effects = driver.press(.character("x"))
        #expect(effects.count == 2)
        guard case .record(let marked, .mark) = effects.first else { Issue.record("no record effect: \(effects)"); return }
        #expect(marked[2].mark?.value == .bad && marked[3].mark?.value == .bad)
        #expect(effects.last == .openExternalEditor("Sushi. Obviously."))
        #expect(driver.state.notice?.message == .compareRewriteIdeal)
        let edited = driver.send(.externalEditorFinished(text: "Sushi, naturally. Ramen too.\n", error: nil))
        guard case .record(let conversation, .edit) = edited.first else { Issue.record("no edit record: \(edited)"); return }
        let ideal = conversation.turns.last!
        #expect(ideal.text == "Sushi, naturally. Ramen too." && ideal.origin == .edited && ideal.mark?.value == .good && ideal.parent == 1)
        let pairs = DatasetExamples.preferencePairs(from: conversation).filter { $0.chosenTurn == ideal.id }
        #expect(Set(pairs.map(\.rejectedTurn)) == [2, 3], "chosen against both")
        #expect(driver.state.reviewQueue?.decisions[ReviewItemKey(transcript: Self.id, turn: 1)] == .bothBad)
        #expect(driver.state.reviewQueue?.current == ReviewItemKey(transcript: Self.id, turn: 5))
    }

    @Test func compareKeysAreInTheKeyTableAndItsHelp() {
        let actions = KeyHelp.section(.reviewCompare).entries.map(\.action)
        #expect(actions.count >= 8)
        #expect(KeyBindings.actions(for: .character("b"), in: [.everywhere, .reviewCompare, .reviewQueue]).first == .compareBBetter)
        #expect(KeyBindings.actions(for: .character("b"), in: [.everywhere, .reviewQueue]) == [.reviewBack])
        #expect(HintLine.items(for: .reviewCompare).map(\.text).contains { $0.contains("A/B better") })
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func snapshotOfACompareItem(width: Int, height: Int) {
        var driver = Self.openQueue()
        driver.press(.character("s"), .character("s"))
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "reviewQueueCompare-\(width)x\(height)")
    }

    @Test func snapshotOfAnUnjudgedCompareItem() {
        let driver = Self.openQueue()
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 24), named: "reviewQueueCompareUnjudged-80x24")
    }

    @Test func aBlindRoundHidesItsSourcesUntilAPersonDecides() throws {
        var conversation = Conversation(id: Self.id, createdAt: Fixtures.date, persona: Fixtures.clippy, backend: Fixtures.backend,
                                        sampling: SamplingParameters())
        let user = conversation.appendUserMessage("Capital of Peru?", at: Fixtures.date)
        var sides: [CompareSide] = []
        for (index, answer) in ["Lima.", "Lima, obviously."].enumerated() {
            let reply = conversation.startReply(after: user, backend: "local", model: "SmolLM2-135M", at: Fixtures.date)
            conversation.appendReplyText(answer, to: reply)
            conversation.finishReply(reply, reason: .stop)
            sides.append(CompareSide(reply: reply, source: CompareRound.paneLetter(index), name: "secret-source-\(index)"))
        }
        conversation.beginCompare(under: user, sides: sides, blind: true)
        conversation.decideCompare(under: user, .tie, at: Fixtures.date, judge: "judge-persona-adherence")
        var driver = Self.openQueue(conversation)
        let hidden = Renderer.render(driver.state, width: 80, height: 24).lines.joined(separator: "\n")
        #expect(hidden.contains("▶ A") && hidden.contains("Decided by judge judge-persona-adherence: tie"))
        #expect(!hidden.contains("secret-source"), "a judge's decision does not reveal a blind round's sources")
        driver.press(.character("a"))
        driver.press(.left)
        let revealed = Renderer.render(driver.state, width: 80, height: 24).lines.joined(separator: "\n")
        #expect(revealed.contains("▶ A · secret-source-0 · marked good") && revealed.contains("▶ B · secret-source-1 · marked bad"))
    }
}
