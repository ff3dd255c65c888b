import Foundation
import Testing
import DramatisCore
import DramatisTestSupport

/// `dramatis autopilot` and `replay --judge` end to end: against the real local model (deterministic transcripts)
/// and against the loopback fault injector (judge verdicts, good and malformed; auto-marks reaching the dataset).
@Suite(.serialized) struct AutopilotCommandTests {
    static let secret = "sk-test-DO-NOT-LEAK-24680"
    static var shippedPersonas: String { BuiltProducts.packageRoot.appendingPathComponent("Personas").path }

    func environment(baseURL: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_BASE_URL"] = baseURL.absoluteString
        environment["OPENAI_API_KEY"] = Self.secret
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    static func reply(_ text: String) -> FaultResponse {
        .sse([FaultResponse.chunk(nil, role: "assistant"), FaultResponse.chunk(text), FaultResponse.chunk(nil, finish: "stop"),
              FaultResponse.usageChunk(prompt: 12, completion: 3), "[DONE]"])
    }

    /// Every transcript in `folder`, as the text and origin of each turn of its active branch, sorted.
    func conversations(in folder: URL) throws -> [[String]] {
        let (loaded, failures) = TranscriptStore(directory: folder).loadAll()
        #expect(failures.isEmpty)
        return loaded.map { conversation in
            conversation.activePath.map { "\(conversation[$0].origin.rawValue): \(conversation[$0].text)" }
        }.sorted { $0.joined() < $1.joined() }
    }

    @Test func realLocalModelRunsASimulatedUserDeterministically() async throws {
        // Each run starts its own embedded llama-server: a server that already holds a similar prompt in a slot
        // reuses that cache and evaluates the rest in other batch sizes, which is not bit-for-bit repeatable at
        // temperature 0 (seen here: the same request gave two different simulated turns on a warm shared engine).
        // From a fresh engine the same sequence of requests gives the same text.
        let directory = try TemporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        environment["DRAMATIS_LOCAL_BASE_URL"] = nil
        var runs: [[[String]]] = []
        for run in 0..<2 {
            let folder = directory.path("Transcripts-\(run)")
            let result = try await ProcessRunner.run(BuiltProducts.dramatis,
                // One conversation at a time, so the order of requests (and of slot caches) is the same in both
                // runs; concurrency itself is covered by AutopilotRunnerTests.
                ["autopilot", "--persona", "tutor", "--user", "sim-student-mistakes", "--turns", "2", "--conversations", "1",
                 "--concurrency", "1", "--backend", "local", "--temperature", "0", "--seed", "42", "--max-tokens", "20",
                 "--personas", Self.shippedPersonas, "--transcripts", folder.path, "--dataset", directory.path("Datasets").path],
                environment: environment, currentDirectory: directory.url, timeout: 300)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Autopilot of 1 conversation(s): 1 ok, 0 failed"))
            #expect(result.stderr.contains("turn 2/2"))
            let found = try conversations(in: folder)
            #expect(found.count == 1)
            for turns in found {
                #expect(turns.count == 5, "greeting + 2 × (simulated user, reply): \(turns)")
                #expect(turns.map { String($0.prefix(while: { $0 != ":" })) } == ["greeting", "simulated", "generated", "simulated", "generated"])
                #expect(turns.allSatisfy { $0.split(separator: ":", maxSplits: 1).last.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false })
            }
            runs.append(found)
        }
        #expect(runs[0] == runs[1], "temperature 0 and a fixed seed give the same transcripts")
        // Nothing is marked without a judge and --auto-mark.
        let (loaded, _) = TranscriptStore(directory: directory.path("Transcripts-0")).loadAll()
        #expect(loaded.allSatisfy { $0.markCount == 0 })
        // Every simulated turn records the persona that wrote it, and `transcripts show` says so.
        let simulated = loaded.flatMap(\.turns).filter { $0.origin == .simulated }
        #expect(simulated.count == 2 && simulated.allSatisfy { $0.simulatedBy == "sim-student-mistakes" })
        let id = try #require(loaded.first?.id)
        let shown = try await ProcessRunner.run(BuiltProducts.dramatis, ["transcripts", "show", id, "--transcripts", directory.path("Transcripts-0").path],
                                                environment: environment, currentDirectory: directory.url)
        #expect(shown.status == 0 && shown.stdout.contains("simulated by sim-student-mistakes"), "\(shown.stdout)\(shown.stderr)")
    }

    @Test func realLocalModelAnswersEveryTurnWithTwoCandidatesAsUndecidedRounds() async throws {
        let directory = try TemporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        environment["DRAMATIS_LOCAL_BASE_URL"] = nil
        try Data("What is a noun?\n".utf8).write(to: directory.path("prompts.txt"))
        let folder = directory.path("Transcripts")
        // Two candidates from the run's own source: seed 42 and seed 43, at temperature 0.7 so the seeds matter.
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["autopilot", "--persona", "tutor", "--prompts", "prompts.txt", "--compare-candidates", "2",
             "--backend", "local", "--temperature", "0.7", "--seed", "42", "--max-tokens", "16",
             "--personas", Self.shippedPersonas, "--transcripts", folder.path, "--dataset", directory.path("Datasets").path],
            environment: environment, currentDirectory: directory.url, timeout: 300)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Autopilot of 1 conversation(s): 1 ok, 0 failed"), "\(result.stdout)")
        let (loaded, failures) = TranscriptStore(directory: folder).loadAll()
        #expect(failures.isEmpty)
        let conversation = try #require(loaded.first)
        let user = try #require(conversation.turns.first { $0.role == .user })
        let round = try #require(user.compare, "the turn is a compare round")
        #expect(round.decision == nil && round.sides.map(\.source) == ["A", "B"])
        #expect(round.sides.map { conversation[$0.reply].reply?.sampling?.seed } == [42, 43])
        #expect(round.sides.allSatisfy { conversation[$0.reply].isComplete && !conversation[$0.reply].text.isEmpty && conversation[$0.reply].mark == nil })
        #expect(round.sides.map(\.name) == ["tutor · t=0.7 · seed 42", "tutor · t=0.7 · seed 43"])
        #expect(user.selectedChild == round.sides[0].reply, "the conversation continues from candidate A")
        #expect(ReviewQueue.items(in: loaded) == [ReviewItemKey(transcript: conversation.id, turn: user.id)], "one A/B item in the queue")
        #expect(conversation.markCount == 0, "nothing is marked without a judge and --auto-mark")
    }

    @Test func comparedRoundsGetThePairwiseJudgeAndAutoMarkDecidesOnlyWellFormedOnes() async throws {
        // Request order at concurrency 1: candidate A, candidate B, the pairwise verdict; then the same for the follow-up.
        let injector = try await FaultInjector.start([
            Self.reply("Rome."), Self.reply("Rome, as even a goldfish knows."), Self.reply("PREFERENCE: B\nREASON: B is dry and sarcastic."),
            Self.reply("Paris."), Self.reply("Paris, naturally."), Self.reply("Both are fine, I guess B."),
        ])
        defer { Task { await injector.stop() } }
        let directory = try TemporaryDirectory()
        try Data("{\"prompt\": \"Capital of Italy?\", \"follow_ups\": [\"And France?\"]}\n".utf8).write(to: directory.path("prompts.jsonl"))
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["autopilot", "--persona", "clippy", "--prompts", "prompts.jsonl", "--compare-seed", "7", "--judge", "judge-persona-adherence",
             "--auto-mark", "--backend", "openai", "--model", "scripted", "--personas", Self.shippedPersonas,
             "--transcripts", directory.path("Transcripts").path, "--dataset", directory.path("Datasets").path],
            environment: environment(baseURL: injector.baseURL), currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Judge: 1 scored, 1 malformed, 0 failed; 2 mark(s) set"), "\(result.stdout)")
        #expect(!(result.stdout + result.stderr).contains(Self.secret))
        #expect(injector.requests.count == 6)
        let judgeRequest = String(decoding: injector.requests[2].body, as: UTF8.self)
        #expect(judgeRequest.contains("REPLY A:\\nRome.\\n") && judgeRequest.contains("REPLY B:\\nRome, as even a goldfish knows."))
        #expect(judgeRequest.contains("PREFERENCE: <A|B|tie>"))
        // Source B samples with --compare-seed 7.
        let bodyB = try JSONSerialization.jsonObject(with: injector.requests[1].body) as? [String: Any]
        #expect((bodyB?["seed"] as? NSNumber)?.intValue == 7)
        let (loaded, _) = TranscriptStore(directory: directory.path("Transcripts")).loadAll()
        let conversation = try #require(loaded.first)
        let rounds = conversation.turns.filter { $0.role == .user }.compactMap(\.compare)
        #expect(rounds.count == 2)
        #expect(rounds[0].judgement?.preferred == "B" && rounds[0].judgement?.reason == "B is dry and sarcastic.")
        #expect(rounds[0].decision?.winner == "B" && rounds[0].decision?.judge == "judge-persona-adherence")
        #expect(conversation[rounds[0].sides[1].reply].mark?.value == .good && conversation[rounds[0].sides[0].reply].mark?.value == .bad)
        #expect(rounds[1].judgement?.status == .malformed && rounds[1].judgement?.raw == "Both are fine, I guess B." && rounds[1].decision == nil)
        #expect(conversation[rounds[1].sides[0].reply].mark == nil && conversation[rounds[1].sides[1].reply].mark == nil)
        // The judge's decision reaches the datasets at once: an SFT line and a preference pair.
        let preference = try String(contentsOf: directory.path("Datasets/clippy/preference.jsonl"), encoding: .utf8)
        #expect(preference.contains("Rome, as even a goldfish knows.") && preference.contains("\"Rome.\""))
        // Both rounds stay in the review queue for a person (the judged one as the judge's suggestion).
        #expect(ReviewQueue.items(in: loaded).count == 2)
    }

    @Test func aBadPromptListIsRefusedWithFileLineAndField() async throws {
        let directory = try TemporaryDirectory()
        try Data("{\"prompt\": \"Hi\"}\n{\"prompt\": \"Again\", \"follow_ups\": [7]}\n".utf8).write(to: directory.path("prompts.jsonl"))
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["autopilot", "--persona", "clippy", "--prompts", "prompts.jsonl", "--personas", Self.shippedPersonas,
             "--transcripts", directory.path("Transcripts").path],
            environment: environment(baseURL: URL(string: "http://127.0.0.1:9/v1")!), currentDirectory: directory.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("prompts.jsonl:2: follow_ups[0]: expected text"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("Transcripts").path))
    }

    @Test func aPromptListWithAJudgeMarksOnlyWellFormedVerdictsAndTheMarkReachesTheDataset() async throws {
        // Request order at concurrency 1: reply 1, its verdict, reply 2, its verdict.
        let injector = try await FaultInjector.start([
            Self.reply("Rome. Obviously."), Self.reply("SCORE: 5\nREASON: Dry and correct."),
            Self.reply("Paris, naturally."), Self.reply("Great reply, 5 stars!"),
        ])
        defer { Task { await injector.stop() } }
        let directory = try TemporaryDirectory()
        try Data("{\"prompt\": \"Capital of Italy?\", \"follow_ups\": [\"And France?\"]}\n".utf8).write(to: directory.path("prompts.jsonl"))
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["autopilot", "--persona", "clippy", "--prompts", "prompts.jsonl", "--judge", "judge-persona-adherence", "--auto-mark",
             "--backend", "openai", "--model", "scripted", "--personas", Self.shippedPersonas,
             "--transcripts", directory.path("Transcripts").path, "--dataset", directory.path("Datasets").path],
            environment: environment(baseURL: injector.baseURL), currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Judge: 1 scored, 1 malformed, 0 failed; 1 mark(s) set"), "\(result.stdout)")
        #expect(!(result.stdout + result.stderr).contains(Self.secret))
        #expect(injector.requests.count == 4)
        let judgeRequest = String(decoding: injector.requests[1].body, as: UTF8.self)
        #expect(judgeRequest.contains("REPLY TO JUDGE:\\nRome. Obviously."))
        let (loaded, _) = TranscriptStore(directory: directory.path("Transcripts")).loadAll()
        let conversation = try #require(loaded.first)
        let replies = conversation.activePath.map { conversation[$0] }.filter { $0.role == .assistant && $0.origin == .generated }
        #expect(replies.map(\.text) == ["Rome. Obviously.", "Paris, naturally."])
        #expect(conversation.activePath.map { conversation[$0] }.filter { $0.role == .user }.map(\.origin) == [.listed, .listed])
        #expect(replies[0].verdict?.score == 5 && replies[0].mark?.value == .good && replies[0].mark?.judge == "judge-persona-adherence")
        #expect(replies[1].verdict?.status == .malformed && replies[1].verdict?.raw == "Great reply, 5 stars!" && replies[1].mark == nil)
        let sft = try String(contentsOf: directory.path("Datasets/clippy/sft.jsonl"), encoding: .utf8)
        #expect(sft.contains("Rome. Obviously."), "the judge's good mark is in the dataset at once")
    }

    @Test func replayWithAJudgeReportsTheJudgedWinRate() async throws {
        // Request order: the new reply, then the verdict on the old reply, then on the new one.
        let injector = try await FaultInjector.start([
            Self.reply("Rome, as even a goldfish knows."), Self.reply("SCORE: 2\nREASON: Correct but flat."),
            Self.reply("SCORE: 4\nREASON: Dry, sarcastic, correct."),
        ])
        defer { Task { await injector.stop() } }
        let directory = try TemporaryDirectory()
        let personas = directory.path("Personas")
        try FileManager.default.createDirectory(at: personas, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.shippedPersonas).appendingPathComponent("judge-persona-adherence.md"),
                                         to: personas.appendingPathComponent("judge-persona-adherence.md"))
        let store = TranscriptStore(directory: directory.path("Transcripts"))
        try store.save(CLIFixture.conversation(id: "20261119-110640-clippy-bbbb", question: "Capital of Italy?", at: 86_400))
        let report = directory.path("report.json")
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["replay", "20261119-110640-clippy-bbbb", "--transcripts", store.directory.path, "--backend", "openai", "--model", "scripted",
             "--judge", "judge-persona-adherence", "--out", directory.path("out").path, "--report", report.path],
            environment: environment(baseURL: injector.baseURL), currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Overall judged win rate new vs old: 1.000 (1 won, 0 lost, 0 tied of 1; 0 unscored)"), "\(result.stdout)")
        #expect(result.stdout.contains("judge: old 2/5 (Correct but flat.), new 4/5 (Dry, sarcastic, correct.)"))
        let parsed = try ReplayReport.decode(try Data(contentsOf: report))
        let entry = try #require(parsed.entries.first)
        #expect(entry.judged?.winRate == 1 && entry.judged?.wins == 1)
        #expect(parsed.totals.judged?.pairs == 1)
        #expect(entry.turns.first?.oldVerdict?.score == 2 && entry.turns.first?.newVerdict?.score == 4)
        let json = String(decoding: try Data(contentsOf: report), as: UTF8.self)
        #expect(json.contains("\"win_rate\"") && json.contains("\"old_verdict\"") && json.contains("\"new_verdict\""))
        let replayed = try TranscriptStore(directory: directory.path("out")).load(URL(fileURLWithPath: try #require(entry.newPath)))
        #expect(replayed.turns.contains { $0.verdict?.score == 4 }, "the new reply's verdict is stored in the new transcript")
        // The judge asked about the old reply where it stood in the original conversation.
        let oldRequest = String(decoding: injector.requests[1].body, as: UTF8.self)
        #expect(oldRequest.contains("REPLY TO JUDGE:\\nParis, as any atlas would tell you."))
    }
}
