import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// An in-memory backend whose answer to each request is computed from the request (unit tests of the autopilot's and
/// the judge's logic; the HTTP paths are covered end to end against llama-server and the fault injector).
final class AnsweringBackend: ChatBackend, @unchecked Sendable {
    // @unchecked Sendable: `requests` is only touched while holding `lock`.
    let descriptor: BackendDescriptor
    private let lock = NSLock()
    private var requests: [ChatRequest] = []
    private let answer: @Sendable (ChatRequest) -> Result<String, BackendError>

    init(name: String = "answering", answer: @escaping @Sendable (ChatRequest) -> Result<String, BackendError>) {
        descriptor = BackendDescriptor(name: name, kind: "test", model: "\(name)-1")
        self.answer = answer
    }

    var received: [ChatRequest] { lock.lock(); defer { lock.unlock() }; return requests }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        lock.lock()
        requests.append(request)
        lock.unlock()
        let result = answer(request)
        return AsyncThrowingStream { continuation in
            switch result {
            case .success(let text):
                if !text.isEmpty { continuation.yield(.delta(text)) }
                continuation.yield(.finished(.stop))
                continuation.finish()
            case .failure(let error):
                continuation.finish(throwing: error)
            }
        }
    }
}

/// Collects values from concurrent tasks.
final class Collected<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `values` is only touched while holding `lock`.
    private let lock = NSLock()
    private var stored: [Value] = []
    func append(_ value: Value) { lock.lock(); stored.append(value); lock.unlock() }
    var values: [Value] { lock.lock(); defer { lock.unlock() }; return stored }
}

@Suite struct PromptListTests {
    func parse(_ text: String) throws(PromptListError) -> [PromptScript] {
        try PromptList.parse(Data(text.utf8), file: "prompts.txt")
    }

    func failure(_ text: String) -> String? {
        do { _ = try parse(text); return nil } catch { return error.description }
    }

    @Test func plainLinesAreOnePromptEachSkippingBlanksAndComments() throws {
        let scripts = try parse("What is Rust?\r\n\n# a comment\n  Tell me a joke.  \n")
        #expect(scripts == [PromptScript(prompts: ["What is Rust?"], line: 1), PromptScript(prompts: ["Tell me a joke."], line: 4)])
    }

    @Test func jsonLinesCarryFollowUps() throws {
        let scripts = try parse("""
            {"prompt": "Hi", "follow_ups": ["And then?", "Why?"]}

            {"prompt": "Second"}
            """)
        #expect(scripts == [PromptScript(prompts: ["Hi", "And then?", "Why?"], line: 1), PromptScript(prompts: ["Second"], line: 3)])
    }

    @Test func mistakesNameFileLineAndField() {
        #expect(failure("{\"prompt\": \"Hi\"}\n{\"prompt\": \"\"}") == "prompts.txt:2: prompt: empty")
        #expect(failure("{\"prompt\": \"Hi\"}\n\n{\"promt\": \"x\"}")
                == "prompts.txt:3: promt: unknown field (did you mean 'prompt'?); an entry has \"prompt\" and optional \"follow_ups\"")
        #expect(failure("{\"prompt\": 4}") == "prompts.txt:1: prompt: expected text")
        #expect(failure("{\"follow_ups\": []}") == "prompts.txt:1: prompt: missing: every entry needs a \"prompt\"")
        #expect(failure("{\"prompt\": \"a\", \"follow_ups\": \"b\"}") == "prompts.txt:1: follow_ups: expected a list of texts")
        #expect(failure("{\"prompt\": \"a\", \"follow_ups\": [\"b\", 3]}") == "prompts.txt:1: follow_ups[1]: expected text")
        #expect(failure("{\"prompt\": \"a\"}\n{\"prompt\": \"b\"") == "prompts.txt:2: not valid JSON (a JSON Lines prompt list has one object per line, e.g. {\"prompt\": \"Hi\"})")
        #expect(failure("{\"prompt\": \"a\"}\n[1]")?.hasPrefix("prompts.txt:2: expected an object") == true)
        #expect(failure("\n  \n") == "prompts.txt:1: no prompts: write one prompt a line, or JSON Lines with \"prompt\"")
        #expect(failure("# only\n# comments\n") == "prompts.txt:1: no prompts: every line is a comment")
        var bad: PromptListError?
        do { _ = try PromptList.parse(Data([0x48, 0x69, 0x0A, 0xFF, 0x0A]), file: "p.txt") } catch { bad = error }
        #expect(bad?.line == 2)
        #expect(bad?.description.hasPrefix("p.txt:2: invalid UTF-8 (byte 0xFF)") == true)
    }
}

@Suite struct PersonaRoleTests {
    func parse(_ text: String) -> Result<Persona, PersonaProblems> {
        PersonaFile.parse(data: Data(text.utf8), source: URL(fileURLWithPath: "/x/Personas/sim.md"), displayPath: "Personas/sim.md")
    }

    @Test func roleIsReadAndDefaultsToAssistant() throws {
        let simulator = try parse("---\nname: Sim\nrole: user-simulator\n---\nYou are a user.\n").get()
        #expect(simulator.role == .userSimulator)
        #expect(!simulator.role.isPickable)
        let judge = try parse("---\nname: J\nrole: judge\n---\nRubric.\n").get()
        #expect(judge.role == .judge)
        let plain = try parse("---\nname: P\n---\nPrompt.\n").get()
        #expect(plain.role == .assistant && plain.role.isPickable)
    }

    @Test func anUnknownRoleIsAnErrorWithLineAndSuggestion() {
        guard case .failure(let problems) = parse("---\nname: Sim\nrole: user-simulater\n---\nYou are a user.\n") else {
            Issue.record("an unknown role parsed")
            return
        }
        #expect(problems.problems.map(\.description)
                == ["Personas/sim.md:3:7: role: expected one of assistant, user-simulator, judge, got \"user-simulater\" (did you mean 'user-simulator'?)"])
    }

    @Test func roleIsStoredInTheTranscriptOnlyWhenNotTheDefault() throws {
        let assistant = Persona(id: "a", name: "A", systemPrompt: "p")
        let assistantJSON = String(decoding: try JSONEncoder().encode(assistant), as: UTF8.self)
        #expect(!assistantJSON.contains("\"role\""))
        let judge = Persona(id: "j", name: "J", systemPrompt: "p", role: .judge)
        let data = try JSONEncoder().encode(judge)
        #expect(String(decoding: data, as: UTF8.self).contains("\"role\":\"judge\""))
        #expect(try JSONDecoder().decode(Persona.self, from: data).role == .judge)
    }

    @Test func theShippedSimulatorsAndJudgeParseWithTheirRoles() throws {
        let library = PersonaLibrary.load(directories: [BuiltProducts.packageRoot.appendingPathComponent("Personas", isDirectory: true)])
        #expect(library.problems.isEmpty)
        let simulators = library.personas.filter { $0.role == .userSimulator }.map(\.id).sorted()
        #expect(simulators == ["sim-curious-newcomer", "sim-impatient-customer", "sim-student-mistakes"])
        #expect(library.personas.filter { $0.role == .judge }.map(\.id) == ["judge-persona-adherence"])
    }
}

@Suite struct UserSimulatorTests {
    @Test func theSimulatorSeesTheConversationFromTheUserSeat() {
        let assistant = Persona(id: "tutor", name: "Tutor", systemPrompt: "Teach.", greeting: "Hello! What shall we learn?")
        var conversation = Conversation(id: "c", createdAt: Date(timeIntervalSince1970: 0), persona: assistant,
                                        backend: BackendDescriptor(name: "b", kind: "k", model: "m"), sampling: SamplingParameters())
        let question = conversation.appendUserMessage("What is 2+2?", origin: .simulated, at: Date())
        let reply = conversation.startReply(after: question, backend: "b", model: "m", at: Date())
        conversation.appendReplyText("4. And 3+3?", to: reply)
        let simulator = Persona(id: "sim", name: "Sim", systemPrompt: "You are a student.",
                                examples: [Persona.Example(user: "Hi!", assistant: "Hello, I want to learn.")], role: .userSimulator)
        let messages = UserSimulator.requestMessages(simulator: simulator, conversation: conversation)
        #expect(messages == [.system("You are a student."), .user("Hi!"), .assistant("Hello, I want to learn."),
                             .user("Hello! What shall we learn?"), .assistant("What is 2+2?"), .user("4. And 3+3?")])
    }

    @Test func aSimulatorThatSpeaksFirstGetsTheOpeningCue() {
        let assistant = Persona(id: "a", name: "A", systemPrompt: "Answer.")
        let conversation = Conversation(id: "c", createdAt: Date(), persona: assistant,
                                        backend: BackendDescriptor(name: "b", kind: "k", model: "m"), sampling: SamplingParameters())
        let messages = UserSimulator.requestMessages(simulator: Persona(id: "s", name: "S", systemPrompt: "Be a user."), conversation: conversation)
        #expect(messages == [.system("Be a user."), .user(UserSimulator.openingCue)])
    }
}

@Suite struct JudgeVerdictTests {
    @Test func aWellFormedVerdictParses() throws {
        let scored = try JudgeVerdictParser.parse("  SCORE: 4\nREASON: In character, one slip.\n").get()
        #expect(scored == JudgeVerdictParser.Scored(score: 4, reason: "In character, one slip."))
        #expect(try JudgeVerdictParser.parse("SCORE:1\r\nREASON:Off.").get().score == 1)
    }

    @Test(arguments: [
        ("", "the judge answered nothing"),
        ("SCORE: 4", "expected exactly two lines (SCORE: n, then REASON: text), got 1"),
        ("SCORE: 4\n\nREASON: x", "expected exactly two lines (SCORE: n, then REASON: text), got 3"),
        ("Score: 4\nREASON: x", "line 1 must start with 'SCORE:', got \"Score: 4\""),
        ("SCORE: 6\nREASON: x", "SCORE must be a whole number from 1 to 5, got \"6\""),
        ("SCORE: 4/5\nREASON: x", "SCORE must be a whole number from 1 to 5, got \"4/5\""),
        ("SCORE: four\nREASON: x", "SCORE must be a whole number from 1 to 5, got \"four\""),
        ("SCORE: 3\nBECAUSE: x", "line 2 must start with 'REASON:', got \"BECAUSE: x\""),
        ("SCORE: 3\nREASON:   ", "REASON is empty"),
    ])
    func malformedVerdictsSayWhy(answer: String, problem: String) {
        guard case .failure(let found) = JudgeVerdictParser.parse(answer) else {
            Issue.record("\(answer.debugDescription) parsed")
            return
        }
        #expect(found.description == problem)
    }

    @Test func suggestedMarksFollowTheScore() {
        func verdict(_ score: Int?, _ status: JudgeVerdict.Status = .scored) -> JudgeVerdict {
            JudgeVerdict(judge: "j", model: "m", status: status, score: score, raw: "", at: Date())
        }
        #expect([1, 2, 3, 4, 5].map { verdict($0).suggestedMark } == [.bad, .bad, nil, .good, .good])
        #expect(verdict(nil, .malformed).suggestedMark == nil)
    }

    @Test func theJudgeRequestCarriesThePersonaTheContextTheReplyAndTheFormat() async {
        let judgePersona = Persona(id: "judge", name: "Judge", systemPrompt: "Rubric here.", role: .judge)
        let subject = Persona(id: "pirate", name: "Pirate", systemPrompt: "Talk like a pirate.")
        var conversation = Conversation(id: "c", createdAt: Date(), persona: subject,
                                        backend: BackendDescriptor(name: "b", kind: "k", model: "m"), sampling: SamplingParameters())
        let question = conversation.appendUserMessage("Capital of Italy?", at: Date())
        let reply = conversation.startReply(after: question, backend: "b", model: "m", at: Date())
        conversation.appendReplyText("Rome, matey.", to: reply)
        let backend = AnsweringBackend { _ in .success("SCORE: 5\nREASON: Pirate through and through.") }
        let judge = Judge(persona: judgePersona, backend: backend)
        let request = judge.request(reply: reply, in: conversation, subject: subject)
        #expect(request.messages.first == .system("Rubric here."))
        let text = request.messages.last?.content ?? ""
        #expect(text.contains("PERSONA UNDER TEST: Pirate\nITS SYSTEM PROMPT:\nTalk like a pirate."))
        #expect(text.contains("CONVERSATION SO FAR:\nUser: Capital of Italy?\n"))
        #expect(text.contains("REPLY TO JUDGE:\nRome, matey.\n"))
        #expect(text.hasSuffix(Judge.answerFormat))
        let verdict = await judge.verdict(on: reply, in: conversation, subject: subject, at: Date())
        #expect(verdict.status == .scored && verdict.score == 5 && verdict.reason == "Pirate through and through.")
        #expect(verdict.judge == "judge" && verdict.model == "answering-1")
    }

    @Test func aFailedJudgeIsAFailedVerdictNotAScore() async {
        let subject = Persona(id: "p", name: "P", systemPrompt: "x")
        var conversation = Conversation(id: "c", createdAt: Date(), persona: subject,
                                        backend: BackendDescriptor(name: "b", kind: "k", model: "m"), sampling: SamplingParameters())
        let question = conversation.appendUserMessage("Q", at: Date())
        let reply = conversation.startReply(after: question, backend: "b", model: "m", at: Date())
        let backend = AnsweringBackend { _ in .failure(BackendError(kind: .serverError, message: "500 from judge")) }
        let verdict = await Judge(persona: Persona(id: "j", name: "J", systemPrompt: "r", role: .judge), backend: backend)
            .verdict(on: reply, in: conversation, subject: subject, at: Date())
        #expect(verdict.status == .failed && verdict.score == nil && verdict.problem == "500 from judge")
    }

    @Test func winRateCountsWinsLossesTiesAndLeavesUnscoredOut() {
        func result(_ index: Int, old: Int?, new: Int?, malformedNew: Bool = false, hasOld: Bool = true) -> ReplayTurnResult {
            var turn = ReplayTurnResult(index: index, userText: "u", originalReplyTurn: hasOld ? 1 : nil, newReplyTurn: 2, oldText: "o",
                                        newText: "n", attempts: 1)
            turn.oldVerdict = old.map { JudgeVerdict(judge: "j", model: "m", status: .scored, score: $0, reason: "r", raw: "", at: Date()) }
            turn.newVerdict = malformedNew ? JudgeVerdict(judge: "j", model: "m", status: .malformed, raw: "5 stars", problem: "x", at: Date())
                : new.map { JudgeVerdict(judge: "j", model: "m", status: .scored, score: $0, reason: "r", raw: "", at: Date()) }
            return turn
        }
        let rate = JudgedWinRate(turns: [result(0, old: 2, new: 4), result(1, old: 4, new: 3), result(2, old: 3, new: 3),
                                         result(3, old: 5, new: 5), result(4, old: 3, new: nil, malformedNew: true),
                                         result(5, old: nil, new: 4, hasOld: false)])
        #expect(rate.pairs == 4 && rate.wins == 1 && rate.losses == 1 && rate.ties == 2 && rate.unscored == 1)
        #expect(rate.winRate == 0.5)
        #expect(JudgedWinRate(turns: []).winRate == nil)
    }

    @Test func theReplayReportCarriesVerdictsAndWinRatesInJSONAndText() throws {
        var turn = ReplayTurnResult(index: 0, userText: "Q", originalReplyTurn: 2, newReplyTurn: 2, oldText: "old", newText: "new", attempts: 1)
        turn.oldVerdict = JudgeVerdict(judge: "j", model: "m", status: .scored, score: 2, reason: "Flat.", raw: "SCORE: 2\nREASON: Flat.", at: Date(timeIntervalSince1970: 0))
        turn.newVerdict = JudgeVerdict(judge: "j", model: "m", status: .malformed, raw: "Great \u{1B}[31mreply", problem: "line 1 must start with 'SCORE:'",
                                       at: Date(timeIntervalSince1970: 0))
        var entry = ReplayReport.Entry(source: "a.json", originalID: "a", status: .ok, userTurns: 1, turns: [turn])
        entry.judged = JudgedWinRate(turns: [turn])
        let report = ReplayReport(startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 1), cancelled: false, entries: [entry])
        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        let judged = try #require(totals["judged"] as? [String: Any])
        #expect(judged["pairs"] as? Int == 0 && judged["unscored"] as? Int == 1 && judged["win_rate"] == nil)
        let entries = try #require(json["entries"] as? [[String: Any]])
        let turns = try #require(entries.first?["turns"] as? [[String: Any]])
        #expect((turns.first?["old_verdict"] as? [String: Any])?["score"] as? Int == 2)
        #expect((turns.first?["new_verdict"] as? [String: Any])?["status"] as? String == "malformed")
        let decoded = try ReplayReport.decode(try report.jsonData())
        #expect(decoded.entries.first?.judged == entry.judged)
        let text = report.summary()
        #expect(text.contains("Overall judged win rate new vs old: - (0 won, 0 lost, 0 tied of 0; 1 unscored)"))
        #expect(text.contains("judge: old 2/5 (Flat.), new malformed: line 1 must start with 'SCORE:'; raw: \"Great "))
        #expect(!text.contains("\u{1B}"))
    }
}

@Suite struct AutopilotRunnerTests {
    static let assistant = Persona(id: "tutor", name: "Tutor", systemPrompt: "Teach.", greeting: "Hello!")

    /// The assistant echoes the last message it got.
    static func echo() -> AnsweringBackend {
        AnsweringBackend(name: "assistant") { .success("Echo: \($0.messages.last?.content ?? "")") }
    }

    @Test func aPromptListRunsOneConversationPerEntrySavingAfterEveryTurn() async throws {
        let saved = Collected<Conversation>()
        let scripts = [PromptScript(prompts: ["Hi", "And then?"], line: 1), PromptScript(prompts: ["Second"], line: 2),
                       PromptScript(prompts: ["Third"], line: 3)]
        let runner = AutopilotRunner(persona: Self.assistant, backend: Self.echo(), userSide: .prompts(scripts), conversations: 2,
                                     concurrency: 2, save: { saved.append($0) })
        #expect(runner.conversations == 2)
        let report = await runner.run()
        #expect(report.entries.map(\.status) == [.ok, .ok])
        #expect(report.entries.map(\.turns) == [2, 1])
        let finals = Dictionary(saved.values.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        let firstID = try #require(report.entries[0].id)
        let first = try #require(finals[firstID])
        #expect(first.activePath.map { first[$0].text } == ["Hello!", "Hi", "Echo: Hi", "And then?", "Echo: And then?"])
        #expect(first.activePath.map { first[$0].origin } == [.greeting, .listed, .generated, .listed, .generated])
        #expect(first.turns.allSatisfy { $0.mark == nil && $0.verdict == nil })
        // Saved after the user turn and after the reply: a kill loses at most the turn in flight.
        let snapshots = saved.values.filter { $0.id == first.id }.map(\.turns.count)
        #expect(snapshots == [2, 3, 4, 5])
    }

    @Test func aSimulatedUserWritesTheUserTurnsAndTheJudgeMarksOnlyWithAutoMark() async throws {
        let simulatorBackend = AnsweringBackend(name: "simulator") { request in
            // The simulator's view is flipped: its own earlier turns arrive as assistant messages.
            let own = request.messages.filter { $0.role == .assistant }.count
            return .success("  Question \(own + 1)?  \n")
        }
        let judgeBackend = AnsweringBackend(name: "judge") { request in
            let text = request.messages.last?.content ?? ""
            return .success(text.contains("REPLY TO JUDGE:\nEcho: Question 1?") ? "SCORE: 5\nREASON: Good." : "I liked it")
        }
        let simulator = UserSimulator(persona: Persona(id: "sim", name: "Sim", systemPrompt: "Be a user.", role: .userSimulator),
                                      backend: simulatorBackend)
        let judge = Judge(persona: Persona(id: "judge", name: "Judge", systemPrompt: "Rubric.", role: .judge), backend: judgeBackend)
        for autoMark in [false, true] {
            let saved = Collected<Conversation>()
            let runner = AutopilotRunner(persona: Self.assistant, backend: Self.echo(), userSide: .simulator(simulator, turns: 2),
                                         conversations: 1, judge: judge, autoMark: autoMark, save: { saved.append($0) })
            let report = await runner.run()
            let entry = try #require(report.entries.first)
            #expect(entry.status == .ok && entry.turns == 2 && entry.scored == 1 && entry.malformed == 1)
            #expect(entry.marks == (autoMark ? 1 : 0))
            let conversation = try #require(saved.values.last)
            let path = conversation.activePath.map { conversation[$0] }
            #expect(path.map(\.text) == ["Hello!", "Question 1?", "Echo: Question 1?", "Question 2?", "Echo: Question 2?"])
            #expect(path.map(\.origin) == [.greeting, .simulated, .generated, .simulated, .generated])
            #expect(path[2].verdict?.score == 5)
            #expect(path[4].verdict?.status == .malformed && path[4].verdict?.raw == "I liked it")
            if autoMark {
                #expect(path[2].mark?.value == .good && path[2].mark?.judge == "judge")
            } else {
                #expect(path[2].mark == nil)
            }
            #expect(path[4].mark == nil, "a malformed verdict never marks")
        }
    }

    @Test func aFailingSimulatorEndsItsConversationKeepingTheTurnsBefore() async throws {
        let simulatorBackend = AnsweringBackend(name: "simulator") { request in
            request.messages.contains { $0.role == .assistant } ? .failure(BackendError(kind: .serverError, message: "503 from simulator"))
                : .success("First?")
        }
        let saved = Collected<Conversation>()
        let runner = AutopilotRunner(
            persona: Self.assistant, backend: Self.echo(),
            userSide: .simulator(UserSimulator(persona: Persona(id: "sim", name: "Sim", systemPrompt: "u"), backend: simulatorBackend), turns: 3),
            conversations: 2, concurrency: 2, save: { saved.append($0) })
        let report = await runner.run()
        #expect(report.entries.map(\.status) == [.failed, .failed])
        #expect(report.entries.allSatisfy { $0.turns == 1 && $0.error == "user simulator: 503 from simulator" })
        #expect(Set(saved.values.map(\.id)).count == 2)
        #expect(saved.values.allSatisfy { $0.turns.count <= 3 })
        #expect(report.summary(judged: false).contains("FAILED"))
    }

    @Test func anEmptySimulatedTurnIsAnErrorNotAnEmptyMessage() async {
        let simulator = UserSimulator(persona: Persona(id: "sim", name: "Sim", systemPrompt: "u"),
                                      backend: AnsweringBackend { _ in .success("   \n") })
        var conversation = Conversation(id: "c", createdAt: Date(), persona: Self.assistant,
                                        backend: BackendDescriptor(name: "b", kind: "k", model: "m"), sampling: SamplingParameters())
        let (turn, outcome) = await TurnService(backend: simulator.backend).runSimulatedUserTurn(in: &conversation, simulator: simulator, at: Date())
        #expect(turn == nil)
        #expect(outcome.error?.message == "the simulated user (sim) wrote nothing")
        #expect(conversation.turns.count == 1)
    }

    @Test func aVerdictOnATurnSurvivesTheTranscriptRoundTrip() throws {
        var conversation = TranscriptFixtures.golden()
        let reply = try #require(conversation.turns.first { $0.role == .assistant && $0.origin == .generated }?.id)
        conversation.setVerdict(JudgeVerdict(judge: "j", model: "m", status: .scored, score: 3, reason: "Fine.", raw: "SCORE: 3\nREASON: Fine.",
                                             at: Date(timeIntervalSince1970: 1_795_000_000)), on: reply)
        let data = try TranscriptStore.fileData(for: conversation)
        #expect(String(decoding: data, as: UTF8.self).contains("\"verdict\" : {"))
        let loaded = try TranscriptStore.conversation(fromFileData: data, path: "t.json")
        #expect(loaded[reply].verdict == conversation[reply].verdict)
    }
}

@Suite struct ReviewQueueCoreTests {
    @Test func theQueueListsUnreviewedRepliesAndResumesAtTheSavedPosition() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.path("Transcripts"))
        var conversation = Conversation(id: "20261122-000000-tutor-0001", createdAt: Date(timeIntervalSince1970: 0),
                                        persona: Persona(id: "tutor", name: "Tutor", systemPrompt: "Teach.", greeting: "Hi!"),
                                        backend: BackendDescriptor(name: "b", kind: "k", model: "m"), sampling: SamplingParameters())
        var replies: [TurnID] = []
        for question in ["One?", "Two?", "Three?"] {
            let user = conversation.appendUserMessage(question, origin: .simulated, at: Date())
            let reply = conversation.startReply(after: user, backend: "b", model: "m", at: Date())
            conversation.appendReplyText("Answer to \(question)", to: reply)
            conversation.finishReply(reply, reason: .stop)
            replies.append(reply)
        }
        conversation.setMark(.good, on: replies[0], at: Date())   // a person's mark: reviewed
        let verdict = JudgeVerdict(judge: "j", model: "m", status: .scored, score: 1, reason: "Off.", raw: "", at: Date())
        conversation.setJudgeMark(from: verdict, on: replies[1], at: Date())   // a judge's mark: still for a person
        try store.save(conversation)
        var snapshot = ReviewQueueSnapshot.load(from: store)
        #expect(snapshot.items.map(\.turn) == [replies[1], replies[2]])
        #expect(snapshot.start == 0 && snapshot.unreadable == 0)
        #expect(snapshot.conversations.map(\.id) == [conversation.id])
        let file = ReviewPositionFile(transcriptDirectory: store.directory)
        try file.save(ReviewItemKey(transcript: conversation.id, turn: replies[2]))
        #expect(file.load() == ReviewItemKey(transcript: conversation.id, turn: replies[2]))
        snapshot = ReviewQueueSnapshot.load(from: store)
        #expect(snapshot.start == 1, "resumes at the saved item")
        #expect(store.list().count == 1, "the hidden position file is not listed as a transcript")
        try file.save(nil)
        #expect(file.load() == nil)
    }
}
