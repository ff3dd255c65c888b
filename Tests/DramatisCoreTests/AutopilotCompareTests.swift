import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// The pairwise judge's strict format, autopilot's compare rounds (every candidate answers, the round waits undecided,
/// the judge's preference decides only with auto-mark), and the simulator persona recorded on simulated turns.
@Suite struct PairwiseVerdictParserTests {
    @Test func wellFormedPreferencesParse() throws {
        let b = try PairwiseVerdictParser.parse("\n PREFERENCE: B \nREASON: B keeps the persona's dry tone.\n\n", candidates: 2).get()
        #expect(b.preference == .better(pane: 1) && b.reason == "B keeps the persona's dry tone.")
        #expect(try PairwiseVerdictParser.parse("PREFERENCE: tie\nREASON: Both fine.", candidates: 2).get().preference == .tie)
        #expect(try PairwiseVerdictParser.parse("PREFERENCE: C\nREASON: Best.", candidates: 3).get().preference == .better(pane: 2))
        #expect(Judge.pairwiseAnswerFormat(candidates: 2).contains("PREFERENCE: <A|B|tie>"))
    }

    @Test(arguments: [
        ("", "the judge answered nothing"),
        ("B is better.", "expected exactly two lines (PREFERENCE: A|B|tie, then REASON: text), got 1"),
        ("PREFERENCE: B\nREASON: ok\nExtra", "expected exactly two lines (PREFERENCE: A|B|tie, then REASON: text), got 3"),
        ("Preference: B\nREASON: ok", "line 1 must start with 'PREFERENCE:', got \"Preference: B\""),
        ("PREFERENCE: b\nREASON: ok", "PREFERENCE must be one of A|B|tie, got \"b\""),
        ("PREFERENCE: C\nREASON: ok", "PREFERENCE must be one of A|B|tie, got \"C\""),
        ("PREFERENCE: A or B\nREASON: ok", "PREFERENCE must be one of A|B|tie, got \"A or B\""),
        ("PREFERENCE: Tie\nREASON: ok", "PREFERENCE must be one of A|B|tie, got \"Tie\""),
        ("PREFERENCE: A\nBecause.", "line 2 must start with 'REASON:', got \"Because.\""),
        ("PREFERENCE: A\nREASON:   ", "REASON is empty"),
    ])
    func malformedAnswersSayWhyAndAreNeverGuessed(answer: String, problem: String) {
        switch PairwiseVerdictParser.parse(answer, candidates: 2) {
        case .success(let parsed): Issue.record("\(answer.debugDescription) parsed as \(parsed)")
        case .failure(let failure): #expect(failure.description == problem)
        }
    }

    @Test func aMalformedVerdictSuggestsNothingAndRoundTripsInTheTranscript() throws {
        var conversation = TranscriptFixtures.golden()
        let user = conversation.appendUserMessage("Which?", origin: .simulated, simulatedBy: "sim-curious-newcomer", at: Date(timeIntervalSince1970: 1_795_000_000))
        var sides: [CompareSide] = []
        for (index, text) in ["One.", "Two."].enumerated() {
            let reply = conversation.startReply(after: user, backend: "b", model: "m", at: Date(timeIntervalSince1970: 1_795_000_000))
            conversation.appendReplyText(text, to: reply)
            conversation.finishReply(reply, reason: .stop)
            sides.append(CompareSide(reply: reply, source: CompareRound.paneLetter(index)))
        }
        conversation.beginCompare(under: user, sides: sides, blind: false)
        let malformed = PairwiseVerdict(judge: "j", model: "m", status: .malformed, raw: "B!", problem: "expected exactly two lines",
                                        at: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(malformed.preference == nil)
        conversation.setCompareJudgement(malformed, under: user)
        let data = try TranscriptStore.fileData(for: conversation)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"judgement\" : {") && text.contains("\"simulated_by\" : \"sim-curious-newcomer\""))
        let loaded = try TranscriptStore.conversation(fromFileData: data, path: "t.json")
        #expect(loaded[user].compare?.judgement == malformed && loaded[user].simulatedBy == "sim-curious-newcomer")
        let shown = TranscriptRenderer.render(loaded)
        #expect(shown.contains("simulated by sim-curious-newcomer") && shown.contains("judge j: malformed"))
        // Without the new fields nothing new is written (older transcripts stay as they were).
        let plain = String(decoding: try TranscriptStore.fileData(for: TranscriptFixtures.golden()), as: UTF8.self)
        #expect(!plain.contains("simulated_by") && !plain.contains("judgement"))
    }
}

@Suite struct AutopilotCompareRunnerTests {
    static let assistant = Persona(id: "tutor", name: "Tutor", systemPrompt: "Teach.")

    /// An assistant backend that answers with the request's seed, so each candidate's reply says which one it is.
    static func seeded(_ name: String = "assistant") -> AnsweringBackend {
        AnsweringBackend(name: name) { .success("Seed \($0.sampling.seed ?? -1): \($0.messages.last?.content ?? "")") }
    }

    static func candidates(_ backend: AnsweringBackend) -> [AutopilotCandidate] {
        [0, 1].map { index in
            AutopilotCandidate(letter: CompareRound.paneLetter(index), name: "tutor · seed \(42 + index)", persona: assistant,
                               backend: backend, model: nil, sampling: SamplingParameters(temperature: 0, seed: 42 + index))
        }
    }

    @Test func everyTurnIsAnUndecidedRoundContinuingFromPaneA() async throws {
        let backend = Self.seeded()
        let saved = Collected<Conversation>()
        let runner = AutopilotRunner(persona: Self.assistant, backend: backend,
                                     userSide: .prompts([PromptScript(prompts: ["Hi", "More"], line: 1)]), conversations: 1,
                                     compare: AutopilotCompare(candidates: Self.candidates(backend)), save: { saved.append($0) })
        let report = await runner.run()
        #expect(report.entries.map(\.status) == [.ok] && report.entries[0].turns == 2)
        let conversation = try #require(saved.values.last)
        let users = conversation.turns.filter { $0.role == .user }
        #expect(users.count == 2)
        for user in users {
            let round = try #require(user.compare)
            #expect(round.decision == nil && round.judgement == nil && !round.isBlind)
            #expect(round.sides.map(\.source) == ["A", "B"] && round.sides.map(\.name) == ["tutor · seed 42", "tutor · seed 43"])
            #expect(round.sides.map { conversation[$0.reply].text } == ["Seed 42: \(user.text)", "Seed 43: \(user.text)"])
            #expect(round.sides.allSatisfy { conversation[$0.reply].mark == nil && conversation[$0.reply].reply?.sampling?.seed != nil })
            #expect(user.selectedChild == round.sides[0].reply, "the conversation continues from pane A")
        }
        // The second prompt follows candidate A; the queue holds one A/B item per round.
        #expect(conversation[users[1].id].parent == users[0].compare?.sides[0].reply)
        #expect(ReviewQueue.items(in: [conversation]).map(\.turn) == users.map(\.id))
        // Saved after the user turn, after the candidates' one request (two candidates of one source: both replies)
        // and after the round was recorded; then the next user turn.
        #expect(saved.values.map(\.turns.count).prefix(4) == [1, 3, 3, 4])
    }

    @Test func theJudgesPairwiseVerdictIsStoredAndDecidesOnlyWithAutoMark() async throws {
        let judgeBackend = AnsweringBackend(name: "judge") { request in
            let text = request.messages.last?.content ?? ""
            // Well formed for the first round, malformed for the second.
            return .success(text.contains("REPLY A:\nSeed 42: Hi\n") ? "PREFERENCE: B\nREASON: B is warmer." : "I prefer the second one.")
        }
        let judge = Judge(persona: Persona(id: "judge", name: "Judge", systemPrompt: "Rubric.", role: .judge), backend: judgeBackend)
        for autoMark in [false, true] {
            let backend = Self.seeded()
            let saved = Collected<Conversation>()
            let runner = AutopilotRunner(persona: Self.assistant, backend: backend,
                                         userSide: .prompts([PromptScript(prompts: ["Hi", "More"], line: 1)]), conversations: 1,
                                         judge: judge, autoMark: autoMark, compare: AutopilotCompare(candidates: Self.candidates(backend)),
                                         save: { saved.append($0) })
            let entry = try #require(await runner.run().entries.first)
            #expect(entry.status == .ok && entry.scored == 1 && entry.malformed == 1 && entry.marks == (autoMark ? 2 : 0))
            let conversation = try #require(saved.values.last)
            let users = conversation.turns.filter { $0.role == .user }
            let first = try #require(users[0].compare), second = try #require(users[1].compare)
            #expect(first.judgement?.preference == .better(pane: 1) && first.judgement?.reason == "B is warmer.")
            #expect(second.judgement?.status == .malformed && second.judgement?.raw == "I prefer the second one." && second.judgement?.preference == nil)
            #expect(second.decision == nil, "a malformed verdict never decides")
            if autoMark {
                #expect(first.decision?.verdict == .better && first.decision?.winner == "B" && first.decision?.judge == "judge")
                #expect(conversation[first.sides[1].reply].mark == MarkRecord(.good, at: conversation[first.sides[1].reply].mark!.at, judge: "judge"))
                #expect(conversation[first.sides[0].reply].mark?.value == .bad)
                #expect(DatasetExamples.preferencePairs(from: conversation).map(\.chosenTurn) == [first.sides[1].reply])
            } else {
                #expect(first.decision == nil && conversation.markCount == 0)
            }
            // Judged or not, the rounds wait for a person in the review queue.
            #expect(ReviewQueue.items(in: [conversation]).count == 2)
            let request = try #require(judgeBackend.received.last?.messages.last?.content)
            #expect(request.contains("REPLY A:") && request.contains("REPLY B:") && request.contains("PREFERENCE: <A|B|tie>"))
        }
    }

    @Test func aFailingCandidateEndsTheConversationAndNamesIt() async throws {
        let good = Self.seeded()
        let failing = AnsweringBackend(name: "other") { _ in .failure(BackendError(kind: .serverError, message: "503 from B")) }
        var candidates = Self.candidates(good)
        candidates[1].backend = failing
        let saved = Collected<Conversation>()
        let runner = AutopilotRunner(persona: Self.assistant, backend: good, userSide: .prompts([PromptScript(prompts: ["Hi", "More"], line: 1)]),
                                     conversations: 1, compare: AutopilotCompare(candidates: candidates), save: { saved.append($0) })
        let entry = try #require(await runner.run().entries.first)
        #expect(entry.status == .failed && entry.error == "assistant (candidate B): 503 from B" && entry.turns == 0)
        let conversation = try #require(saved.values.last)
        #expect(conversation.turns.filter { $0.role == .user }.count == 1, "the user turn and candidate A are kept")
        #expect(conversation[0].compare == nil && conversation[1].text == "Seed 42: Hi")
    }

    @Test func theSimulatorThatWroteATurnIsRecorded() async throws {
        let simulator = UserSimulator(persona: Persona(id: "sim-x", name: "Sim", systemPrompt: "u", role: .userSimulator),
                                      backend: AnsweringBackend(name: "sim") { _ in .success("Hello?") })
        let saved = Collected<Conversation>()
        let runner = AutopilotRunner(persona: Self.assistant, backend: Self.seeded(), userSide: .simulator(simulator, turns: 1),
                                     conversations: 1, save: { saved.append($0) })
        _ = await runner.run()
        let conversation = try #require(saved.values.last)
        #expect(conversation[0].origin == .simulated && conversation[0].simulatedBy == "sim-x")
        #expect(TranscriptRenderer.render(conversation).contains("[#0, simulated by sim-x]"))
    }
}

/// A backend that answers several choices in one request itself (as a server with `n` does): choice k says its seed.
final class ChoicesAnsweringBackend: ChatBackend, @unchecked Sendable {
    // @unchecked Sendable: `requests` is only touched while holding `lock`.
    let descriptor = BackendDescriptor(name: "choices", kind: "test", model: "choices-1")
    private let lock = NSLock()
    private var requests: [ChatRequest] = []
    /// Every request received (`stream` and `streamChoices`), in order.
    var received: [ChatRequest] { lock.lock(); defer { lock.unlock() }; return requests }

    private func note(_ request: ChatRequest) { lock.lock(); requests.append(request); lock.unlock() }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        note(request)
        return AsyncThrowingStream { continuation in
            continuation.yield(.delta("Alone \(request.sampling.seed ?? -1)"))
            continuation.yield(.finished(.stop))
            continuation.finish()
        }
    }

    func streamChoices(_ request: ChatRequest) -> AsyncThrowingStream<ChoiceEvent, Error> {
        note(request)
        return AsyncThrowingStream { continuation in
            // Interleaved, the last choice first.
            for choice in (0..<request.choices).reversed() {
                continuation.yield(.event(choice: choice, .delta("Choice \(choice) seed \((request.sampling.seed ?? 0) + choice)")))
            }
            for choice in 0..<request.choices { continuation.yield(.event(choice: choice, .finished(.stop))) }
            continuation.finish()
        }
    }
}

@Suite struct AutopilotCandidateChoicesTests {
    @Test func candidatesOfOneSourceAreOneRequestAndOtherSourcesStaySeparate() async throws {
        let backend = ChoicesAnsweringBackend()
        let persona = AutopilotCompareRunnerTests.assistant
        // Three candidates, seeds 42-44, listed out of seed order: each pane gets the choice of its own seed.
        let candidates = [43, 42, 44].enumerated().map { index, seed in
            AutopilotCandidate(letter: CompareRound.paneLetter(index), name: "seed \(seed)", persona: persona, backend: backend,
                               model: nil, sampling: SamplingParameters(temperature: 0.7, seed: seed))
        }
        let saved = Collected<Conversation>()
        let runner = AutopilotRunner(persona: persona, backend: backend, userSide: .prompts([PromptScript(prompts: ["Hi"], line: 1)]),
                                     conversations: 1, compare: AutopilotCompare(candidates: candidates), save: { saved.append($0) })
        let report = await runner.run()
        #expect(report.entries.map(\.status) == [.ok])
        #expect(backend.received.count == 1 && backend.received[0].choices == 3 && backend.received[0].sampling.seed == 42)
        let conversation = try #require(saved.values.last)
        let round = try #require(conversation.turns.first { $0.compare != nil }?.compare)
        #expect(round.sides.map { conversation[$0.reply].text } == ["Choice 1 seed 43", "Choice 0 seed 42", "Choice 2 seed 44"])
        #expect(round.sides.map { conversation[$0.reply].reply?.sampling?.seed } == [43, 42, 44])

        // Another temperature on one candidate: not one source, so one request each.
        let mixed = ChoicesAnsweringBackend()
        var other = candidates.map { candidate -> AutopilotCandidate in
            var copy = candidate
            copy.backend = mixed
            return copy
        }
        other[1].sampling.temperature = 1.5
        let separate = AutopilotRunner(persona: persona, backend: mixed, userSide: .prompts([PromptScript(prompts: ["Hi"], line: 1)]),
                                       conversations: 1, compare: AutopilotCompare(candidates: other), save: { _ in })
        _ = await separate.run()
        #expect(mixed.received.count == 3 && mixed.received.allSatisfy { $0.choices == 1 })
    }
}
