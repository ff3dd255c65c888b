import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// Teacher/student compare mode end to end: `dramatis chat --persona clippy --compare pupil --teacher A` in tmux
/// with the real local model; the teacher's winning reply lands in the student's `sft.jsonl` with the student's
/// system prompt, the pair teacher-over-student in its `preference.jsonl`, `dramatis export --persona pupil` writes
/// the same lines, and `stats --json` has the tally and lists the student.
@Suite(.serialized) struct TUITeacherStudentTests {
    static let pupilPrompt = "You are Pupil, a small local model. Answer in one short sentence."

    @Test func theTeachersWinIsWrittenIntoTheStudentsDatasetAndExportAndStatsAgree() async throws {
        let engine = try await LocalModel.engine()
        let extra = try TemporaryDirectory(prefix: "dramatis-pupil")
        try """
        ---
        name: Pupil
        description: A small student model.
        temperature: 0
        seed: 42
        max_tokens: 64
        ---
        \(Self.pupilPrompt)
        """.write(to: extra.path("pupil.md"), atomically: true, encoding: .utf8)
        try await onThread {
            let harness = try TUIChatHarness(backendURL: engine.baseURL,
                                             arguments: ["--persona", "clippy", "--temperature", "0", "--seed", "42", "--max-tokens", "64",
                                                         "--compare", "pupil", "--teacher", "A"],
                                             extraPersonas: extra.url, width: 120, height: 40)
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("Oh, look who needs help", timeout: 60)
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            try tmux.waitUntil(timeout: 180, "both replies finished") { $0.contains("a/b A/B better") }
            // One key: A (the teacher) better.
            try tmux.press("a")
            let saved = try harness.savedConversation("A better") { $0.turns.last { $0.compare != nil }?.compare?.decision != nil }
            let round = try #require(saved.turns.last { $0.compare != nil }?.compare)
            #expect(round.teacher == "A" && round.student == CompareStudent(persona: "pupil", systemPrompt: Self.pupilPrompt))
            let teacherText = saved[round.sides[0].reply].text
            #expect(!teacherText.isEmpty)
            // The student's lines are those of the student view (empty only if the recorder's rules withhold the
            // reply: cut off by max_tokens without confirmation).
            let view = try #require(StudentExamples.conversation(for: "pupil", from: saved))
            let expected = ExportFormat.openai.lines(for: view).map { $0 + "\n" }.joined()
            let deadline = Date().addingTimeInterval(10)
            while harness.dataset("pupil", "sft.jsonl") != expected && Date() < deadline { usleep(50_000) }
            #expect(harness.dataset("pupil", "sft.jsonl") == expected)
            if DatasetExamples.withheld(from: saved).isEmpty {
                let line = try #require(try JSONSerialization.jsonObject(with: Data(harness.dataset("pupil", "sft.jsonl").utf8)) as? [String: Any])
                let messages = try #require(line["messages"] as? [[String: Any]])
                #expect(messages.first?["content"] as? String == Self.pupilPrompt)
                #expect(messages.last?["content"] as? String == teacherText && messages.last?["weight"] as? Int == 1)
            }
            // The teacher-vs-student pair: chosen = the teacher's reply, rejected = the student's, the student's system
            // prompt (none only when the two replies are identical, which the recorder never writes as a pair).
            let studentText = saved[round.sides[1].reply].text
            let expectedPairs = ExportFormat.openaiDPO.lines(for: view).map { $0 + "\n" }.joined()
            while harness.dataset("pupil", "preference.jsonl") != expectedPairs && Date() < deadline { usleep(50_000) }
            #expect(harness.dataset("pupil", "preference.jsonl") == expectedPairs)
            if !NormalizedText.equalIgnoringWhitespace(teacherText, studentText) && DatasetExamples.withheld(from: view).isEmpty {
                let pair = try #require(try JSONSerialization.jsonObject(with: Data(harness.dataset("pupil", "preference.jsonl").utf8)) as? [String: Any])
                let prompt = try #require((pair["input"] as? [String: Any])?["messages"] as? [[String: Any]])
                #expect(prompt.first?["content"] as? String == Self.pupilPrompt)
                #expect(prompt.last?["content"] as? String == "What is the capital of France?")
                #expect((pair["preferred_output"] as? [[String: Any]])?.first?["content"] as? String == teacherText)
                #expect((pair["non_preferred_output"] as? [[String: Any]])?.first?["content"] as? String == studentText)
            }
            // The teacher's own files are as without a teacher: the export of the transcript.
            #expect(harness.dataset("clippy", "sft.jsonl") == ExportFormat.openai.lines(for: saved).map { $0 + "\n" }.joined())
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)

            // `dramatis export --persona pupil` rebuilds the same lines from the transcripts.
            let personas = BuiltProducts.packageRoot.appendingPathComponent("Personas").path
            let export = try ProcessRunner.runBlocking(BuiltProducts.dramatis, ["export", "--persona", "pupil", "--format", "openai",
                                                                              "--transcripts", harness.transcripts.path],
                                                       currentDirectory: harness.home.url)
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stdout == harness.dataset("pupil", "sft.jsonl"))
            let exportPairs = try ProcessRunner.runBlocking(BuiltProducts.dramatis, ["export", "--persona", "pupil", "--format", "openai-dpo",
                                                                                   "--transcripts", harness.transcripts.path],
                                                            currentDirectory: harness.home.url)
            #expect(exportPairs.status == 0, "\(exportPairs.stderr)")
            #expect(exportPairs.stdout == harness.dataset("pupil", "preference.jsonl"))
            // `stats --json` without --persona lists the student too, though it has no transcript of its own.
            let all = try ProcessRunner.runBlocking(BuiltProducts.dramatis, ["stats", "--json", "--transcripts", harness.transcripts.path,
                                                                           "--personas", personas, "--personas", extra.url.path],
                                                    currentDirectory: harness.home.url)
            #expect(all.status == 0, "\(all.stderr)")
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
            #expect(listed.compactMap { $0["persona"] as? String } == ["clippy", "pupil"])
            let pupilStats = try #require(listed.first { $0["persona"] as? String == "pupil" })
            #expect(pupilStats["preference_pairs"] as? Int == ExportFormat.openaiDPO.lines(for: view).count)
            // `dramatis stats --json` carries the tally: one decisive round, A won.
            let stats = try ProcessRunner.runBlocking(BuiltProducts.dramatis, ["stats", "--json", "--persona", "clippy",
                                                                             "--transcripts", harness.transcripts.path, "--personas", personas],
                                                      currentDirectory: harness.home.url)
            #expect(stats.status == 0, "\(stats.stderr)")
            let object = try #require((try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]])?.first)
            let compare = try #require(object["compare"] as? [String: Any])
            #expect(compare["wins"] as? [String: Int] == ["A": 1, "B": 0] && compare["decisive"] as? Int == 1)
        }
    }

    @Test func teacherOptionsAreCheckedBeforeTheScreen() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-teacher-options")
        let environment = ["HOME": home.url.path, "XDG_CONFIG_HOME": home.path("config").path, "PATH": "/usr/bin:/bin"]
        let alone = try await ProcessRunner.run(BuiltProducts.dramatis, ["chat", "--teacher", "A"], environment: environment,
                                                currentDirectory: home.url)
        #expect(alone.status != 0)
        #expect(alone.stderr.contains("--teacher needs --compare PERSONA"))
        let wrong = try await ProcessRunner.run(BuiltProducts.dramatis, ["chat", "--compare", "pirate", "--teacher", "C"],
                                                environment: environment, currentDirectory: home.url)
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("--teacher must be A or B (got C)"))
        let candidates = try await ProcessRunner.run(BuiltProducts.dramatis, ["chat", "--compare", "pirate", "--teacher", "B",
                                                                             "--compare-candidates", "3"],
                                                     environment: environment, currentDirectory: home.url)
        #expect(candidates.status != 0)
        #expect(candidates.stderr.contains("does not go with --compare-candidates"))
    }
}
