import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// Compare rounds: decisions become marks and selection, the recorder writes the lines they imply, the
/// transcript keeps which source was on which side, and the tally's Wilson interval.
@Suite struct CompareRoundTests {
    typealias F = TranscriptFixtures

    /// A conversation with one compare round under a question: pane A is source `paneA`, pane B the other.
    func round(_ textA: String = "Paris.", _ textB: String = "Lyon, I think.", paneA: String = "A",
               blind: Bool = false) -> (Conversation, user: TurnID, a: TurnID, b: TurnID) {
        var conversation = Conversation(id: "20261118-000000-clippy-0002", createdAt: F.start, persona: F.clippy,
                                        backend: F.backend, sampling: F.clippy.sampling)
        let user = conversation.appendUserMessage("Capital of France?", at: F.at(1))
        let a = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(2))
        let b = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(2))
        conversation.appendReplyText(textA, to: a)
        conversation.appendReplyText(textB, to: b)
        conversation.finishReply(a, reason: .stop)
        conversation.finishReply(b, reason: .stop)
        let paneB = paneA == "A" ? "B" : "A"
        conversation.beginCompare(under: user, sides: [CompareSide(reply: a, source: paneA, name: "clippy t=0"),
                                                       CompareSide(reply: b, source: paneB, name: "clippy t=1")], blind: blind)
        return (conversation, user, a, b)
    }

    func lines(_ url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func beginSelectsPaneA() {
        let (conversation, user, a, b) = round()
        #expect(conversation[user].selectedChild == a)
        #expect(conversation.comparedReplies(with: b) == [a, b])
        #expect(conversation.compareParent(of: a) == user)
        #expect(conversation[a].mark == nil && conversation[b].mark == nil)
    }

    @Test func betterMarksWinnerGoodLoserBadAndSelectsWinner() throws {
        var (conversation, user, a, b) = round()
        conversation.decideCompare(under: user, .better, winnerPane: 1, at: F.at(3))
        #expect(conversation[b].mark?.value == .good)
        #expect(conversation[a].mark?.value == .bad)
        #expect(conversation.activePath.last == b)
        #expect(conversation[user].compare?.decision == CompareDecision(.better, winner: "B", at: F.at(3)))
        let pairs = DatasetExamples.preferencePairs(from: conversation)
        #expect(pairs.map(\.chosenTurn) == [b] && pairs.map(\.rejectedTurn) == [a])
        #expect(DatasetExamples.sft(from: conversation).map(\.endTurn) == [b])
        // The next user turn continues from the winner.
        let next = conversation.appendUserMessage("And Spain?", at: F.at(4))
        #expect(conversation[next].parent == b)
    }

    @Test func blindDecisionRecordsTheSourceOfThePaneNotThePane() {
        var (conversation, user, a, _) = round(paneA: "B", blind: true)
        conversation.decideCompare(under: user, .better, winnerPane: 0, at: F.at(3))
        #expect(conversation[user].compare?.decision?.winner == "B")
        #expect(conversation[user].compare?.isBlind == true)
        #expect(conversation[a].mark?.value == .good)
        var tally = CompareTally(conversation)
        #expect(tally.wins == ["B": 1])
        tally.add(CompareDecision(.tie, at: F.at(5)))
        #expect(tally.line == "A 0 · B 1 · tie 1")
    }

    @Test func tieMarksBothGoodAndEachBecomesAnSFTExample() {
        var (conversation, user, a, b) = round()
        conversation.decideCompare(under: user, .tie, at: F.at(3))
        #expect(conversation[a].mark?.value == .good && conversation[b].mark?.value == .good)
        #expect(conversation.activePath.last == a)
        #expect(DatasetExamples.sft(from: conversation).map(\.endTurn) == [a, b])
        #expect(DatasetExamples.preferencePairs(from: conversation).isEmpty)
    }

    @Test func bothBadThenIdealIsChosenAgainstBoth() {
        var (conversation, user, a, b) = round()
        conversation.decideCompare(under: user, .bothBad, at: F.at(3))
        #expect(conversation[a].mark?.value == .bad && conversation[b].mark?.value == .bad)
        #expect(DatasetExamples.sft(from: conversation).isEmpty)
        let ideal = conversation.editReply(a, to: "Paris, of course.", at: F.at(4))
        let pairs = DatasetExamples.preferencePairs(from: conversation)
        #expect(pairs.map(\.chosenTurn) == [ideal, ideal])
        #expect(Set(pairs.map(\.rejectedTurn)) == [a, b])
        #expect(DatasetExamples.sft(from: conversation).map(\.endTurn) == [ideal])
    }

    @Test func skipClearsTheSidesMarks() {
        var (conversation, user, a, b) = round()
        conversation.decideCompare(under: user, .better, winnerPane: 0, at: F.at(3))
        conversation.decideCompare(under: user, .skip, at: F.at(4))
        #expect(conversation[a].mark == nil && conversation[b].mark == nil)
        #expect(conversation[user].compare?.decision?.verdict == .skip)
        #expect(DatasetExamples.sft(from: conversation).isEmpty && DatasetExamples.preferencePairs(from: conversation).isEmpty)
        #expect(CompareTally(conversation).skipped == 1)
    }

    @Test func identicalSidesAreWithheldAsAPair() {
        var (conversation, user, a, b) = round("Paris.", "  Paris. ")
        conversation.decideCompare(under: user, .better, winnerPane: 0, at: F.at(3))
        #expect(DatasetExamples.preferencePairs(from: conversation).isEmpty)
        #expect(DatasetExamples.withheld(from: conversation).map(\.reason) == [.identicalPair(rejected: b)])
        #expect(DatasetExamples.withheld(from: conversation).map(\.turn) == [a])
    }

    @Test func regeneratedSideReplacesItsPaneAndClearsTheDecision() {
        var (conversation, user, a, b) = round()
        conversation.decideCompare(under: user, .better, winnerPane: 0, at: F.at(3))
        let again = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(4))
        conversation.replaceCompareSide(b, with: again)
        #expect(conversation[user].compare?.sides.map(\.reply) == [a, again])
        #expect(conversation[user].compare?.decision == nil)
        #expect(conversation.activePath.last == again)
        #expect(conversation[b].mark?.value == .bad)   // the old reply keeps its mark as an alternative
    }

    @Test func recorderWritesTheDecisionsLinesOnDisk() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        var (conversation, user, _, _) = round()
        try recorder.record(conversation)
        let folder = directory.path("Datasets/clippy")
        #expect(try lines(folder.appendingPathComponent("sft.jsonl")).isEmpty)
        conversation.decideCompare(under: user, .better, winnerPane: 1, at: F.at(3))
        try recorder.record(conversation)
        let sft = try lines(folder.appendingPathComponent("sft.jsonl"))
        let preference = try lines(folder.appendingPathComponent("preference.jsonl"))
        #expect(sft.count == 1 && sft[0].contains("Lyon, I think.") && !sft[0].contains("\"Paris.\""))
        #expect(preference.count == 1)
        let pair = try JSONSerialization.jsonObject(with: Data(preference[0].utf8)) as? [String: Any]
        let chosen = (pair?["preferred_output"] as? [[String: Any]])?.first?["content"] as? String
        let rejected = (pair?["non_preferred_output"] as? [[String: Any]])?.first?["content"] as? String
        #expect(chosen == "Lyon, I think." && rejected == "Paris.")
        // The transcript on disk keeps the round: sides with their sources, blind flag, decision.
        let reloaded = try recorder.transcripts.load(recorder.transcripts.url(for: conversation.id))
        #expect(reloaded == conversation)
        let text = try String(contentsOf: recorder.transcripts.url(for: conversation.id), encoding: .utf8)
        #expect(text.contains("\"compare\" : {") && text.contains("\"verdict\" : \"better\"") && text.contains("\"winner\" : \"B\""))
        #expect(!text.contains("\"blind\""))
    }

    @Test func transcriptWithoutCompareHasNoCompareKey() throws {
        let data = try TranscriptStore.fileData(for: F.golden())
        #expect(!String(decoding: data, as: UTF8.self).contains("\"compare\""))
    }

    @Test func sideThatIsNotAChildIsRejectedOnLoad() throws {
        let (conversation, user, _, _) = round()
        var turns = conversation.turns
        turns[user] = Turn(id: user, parent: turns[user].parent, role: .user, text: turns[user].text, origin: .typed,
                           createdAt: F.at(1), children: turns[user].children, selectedChild: turns[user].selectedChild,
                           compare: CompareRound(sides: [CompareSide(reply: 0, source: "A"), CompareSide(reply: 2, source: "B")]))
        #expect(throws: ConversationError.self) {
            try Conversation(id: conversation.id, createdAt: F.start, persona: F.clippy, backend: F.backend, sampling: F.clippy.sampling,
                             replayOf: nil, turns: turns, roots: conversation.roots, selectedRoot: conversation.selectedRoot)
        }
    }

    @Test func aRoundOfOneOrRepeatedRepliesIsRejectedOnLoad() throws {
        let (conversation, user, a, _) = round()
        for sides in [[CompareSide(reply: a, source: "A")], [CompareSide(reply: a, source: "A"), CompareSide(reply: a, source: "B")]] {
            var turns = conversation.turns
            turns[user] = Turn(id: user, parent: turns[user].parent, role: .user, text: turns[user].text, origin: .typed,
                               createdAt: F.at(1), children: turns[user].children, selectedChild: turns[user].selectedChild,
                               compare: CompareRound(sides: sides))
            #expect(throws: ConversationError.self) {
                try Conversation(id: conversation.id, createdAt: F.start, persona: F.clippy, backend: F.backend, sampling: F.clippy.sampling,
                                 replayOf: nil, turns: turns, roots: conversation.roots, selectedRoot: conversation.selectedRoot)
            }
        }
    }

    @Test func wilsonIntervalMatchesKnownValues() throws {
        let seven = try #require(WilsonInterval(successes: 7, trials: 19))
        #expect(abs(seven.lower - 0.19150) < 0.0001 && abs(seven.upper - 0.58960) < 0.0001)
        let none = try #require(WilsonInterval(successes: 0, trials: 10))
        #expect(none.lower == 0 && abs(none.upper - 0.27753) < 0.0001)
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
        #expect(WilsonInterval(successes: 3, trials: 2) == nil)
    }

    @Test func tallyLineAndSummary() {
        var tally = CompareTally()
        for _ in 0..<12 { tally.add(CompareDecision(.better, winner: "A", at: F.at(1))) }
        for _ in 0..<7 { tally.add(CompareDecision(.better, winner: "B", at: F.at(1))) }
        for _ in 0..<3 { tally.add(CompareDecision(.tie, at: F.at(1))) }
        tally.add(nil)
        #expect(tally.line == "A 12 · B 7 · tie 3")
        #expect(tally.summaryLines == ["Compare: A 12 · B 7 · tie 3 · both bad 0 · skipped 0 · undecided 1",
                                       "  A wins 63% of 19 decisive rounds (95% CI 41%–81%)",
                                       "  B wins 37% of 19 decisive rounds (95% CI 19%–59%)"])
        // A judge's unconfirmed decision is counted apart, never as a win.
        tally.add(CompareDecision(.better, winner: "B", at: F.at(2), judge: "judge"))
        #expect(tally.wins == ["A": 12, "B": 7] && tally.judged == 1 && tally.decisive == 19)
        #expect(tally.line == "A 12 · B 7 · tie 3 · judged 1")
        #expect(tally.summaryLines == ["Compare: A 12 · B 7 · tie 3 · judged 1 · both bad 0 · skipped 0 · undecided 1",
                                       "  1 decided by a judge and not yet confirmed by a person (not counted in the wins)",
                                       "  A wins 63% of 19 decisive rounds (95% CI 41%–81%)",
                                       "  B wins 37% of 19 decisive rounds (95% CI 19%–59%)"])
    }

    @Test func transcriptRendererShowsRoundsAndTally() {
        var (conversation, user, _, _) = round()
        conversation.decideCompare(under: user, .better, winnerPane: 1, at: F.at(3))
        let text = TranscriptRenderer.render(conversation, allBranches: true)
        #expect(text.contains("Compare: A 0 · B 1 · tie 0 · both bad 0 · skipped 0"))
        #expect(text.contains("B wins 100% of 1 decisive rounds (95% CI 21%–100%)"))
        #expect(text.contains("compare pane A: source A clippy t=0"))
        #expect(text.contains("compared: B better"))
    }

    @Test func datasetStatisticsCountTheComparesOfThePersonasTranscripts() throws {
        var (conversation, user, _, _) = round()
        conversation.decideCompare(under: user, .better, winnerPane: 1, at: F.at(3))
        let validator = DatasetValidator(tokenizer: try SharedTokenizers.require(.o200kBase), workers: 1)
        let statistics = DatasetStatistics.compute(personaID: "clippy", conversations: [conversation, F.golden()],
                                                   currentSystemPrompt: nil, validator: validator)
        #expect(statistics.compareTally.wins == ["B": 1])
        let lines = DatasetStatisticsRendering.summaryLines(statistics)
        #expect(lines.contains("Compare: A 0 · B 1 · tie 0 · both bad 0 · skipped 0"))
        #expect(lines.contains("  B wins 100% of 1 decisive rounds (95% CI 21%–100%)"))
        let other = DatasetStatistics.compute(personaID: "clippy", conversations: [F.golden()], currentSystemPrompt: nil,
                                              validator: validator)
        #expect(!DatasetStatisticsRendering.summaryLines(other).contains { $0.hasPrefix("Compare:") })
    }
}
