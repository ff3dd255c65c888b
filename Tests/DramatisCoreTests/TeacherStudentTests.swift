import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// Teacher/student compare mode: the teacher's good replies (a win or a tie) are also written into the student
/// persona's `sft.jsonl` with the student's system prompt, and each round the teacher won into its
/// `preference.jsonl` as a pair (teacher's reply chosen, student's rejected), at once and identically after a rebuild
/// from the transcripts; the teacher persona's own files are what they would be without it.
@Suite struct TeacherStudentTests {
    typealias F = TranscriptFixtures
    static let studentPrompt = "You are Pupil, a small local model. Answer in one short sentence."
    static let student = CompareStudent(persona: "pupil", systemPrompt: studentPrompt)

    /// A chat as clippy (source A, the teacher unless `teacher` is nil) against the persona "pupil" (source B):
    /// three rounds decided A better, B better, tie.
    static func conversation(teacher: String? = "A", id: String = "20261118-000000-clippy-0007") -> Conversation {
        var conversation = Conversation(id: id, createdAt: F.start, persona: F.clippy, backend: F.backend, sampling: F.clippy.sampling)
        let rounds: [(String, String, String, CompareDecision.Verdict, Int?)] = [
            ("Capital of France?", "Paris, obviously.", "Paris is capital.", .better, 0),
            ("And of Italy?", "Rome. Next question.", "Rome.", .better, 1),
            ("Largest ocean?", "The Pacific, naturally.", "Pacific Ocean.", .tie, nil),
        ]
        var second = 1.0
        for (question, textA, textB, verdict, winner) in rounds {
            let user = conversation.appendUserMessage(question, at: F.at(second))
            let a = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(second + 1))
            let b = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(second + 1))
            conversation.appendReplyText(textA, to: a)
            conversation.appendReplyText(textB, to: b)
            conversation.finishReply(a, reason: .stop)
            conversation.finishReply(b, reason: .stop)
            conversation.beginCompare(under: user, sides: [CompareSide(reply: a, source: "A", name: "clippy"),
                                                           CompareSide(reply: b, source: "B", name: "pupil", persona: "pupil")],
                                      blind: false, teacher: teacher, student: teacher == nil ? nil : student)
            conversation.decideCompare(under: user, verdict, winnerPane: winner, at: F.at(second + 2))
            second += 3
        }
        return conversation
    }

    static func lines(_ url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The (role, content, weight) of each message of an OpenAI SFT line.
    static func messages(_ line: String) throws -> [(String, String, Int?)] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        return messages.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "", $0["weight"] as? Int) }
    }

    static func recorder(_ directory: TemporaryDirectory) -> Recorder {
        Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")), datasetRoot: directory.path("Datasets"))
    }

    @Test func theTeachersWinsAndTiesGoIntoTheStudentsSFTWithTheStudentsSystemPrompt() throws {
        let directory = try TemporaryDirectory()
        let recorder = Self.recorder(directory)
        try recorder.record(Self.conversation())
        let pupil = directory.path("Datasets/pupil")
        let sft = try Self.lines(pupil.appendingPathComponent("sft.jsonl"))
        // Two examples: ending at round 1's teacher reply (won) and at round 3's (tie); round 2's teacher reply lost.
        #expect(sft.count == 2)
        let first = try Self.messages(sft[0])
        #expect(first.map(\.0) == ["system", "user", "assistant"])
        #expect(first[0].1 == Self.studentPrompt)
        #expect(first[1].1 == "Capital of France?")
        #expect(first[2].1 == "Paris, obviously." && first[2].2 == 1)
        let second = try Self.messages(sft[1])
        #expect(second.map(\.1) == [Self.studentPrompt, "Capital of France?", "Paris, obviously.", "And of Italy?", "Rome.",
                                     "Largest ocean?", "The Pacific, naturally."])
        // The student's own winner (round 2) is context, the teacher's replies are trained on.
        #expect(second.map(\.2) == [nil, nil, 1, nil, 0, nil, 1])
        // No clippy system prompt, few-shot example or greeting reaches the student's lines.
        #expect(!sft.joined().contains(F.clippy.systemPrompt) && !sft.joined().contains("Hi, I'm Clippy.") && !sft.joined().contains("2+2?"))
        // One preference pair: round 1, which the teacher won (round 2 the student won, round 3 was a tie).
        #expect(try Self.lines(pupil.appendingPathComponent("preference.jsonl")) == [Self.goldenPair])
    }

    /// The student's DPO line for round 1 of `conversation()`: the student's system prompt, the question, the
    /// teacher's reply preferred over the student's.
    static let goldenPair = #"{"input":{"messages":[{"role":"system","content":"You are Pupil, a small local model. Answer in one short sentence."},{"role":"user","content":"Capital of France?"}]},"preferred_output":[{"role":"assistant","content":"Paris, obviously."}],"non_preferred_output":[{"role":"assistant","content":"Paris is capital."}]}"#

    @Test func theTeacherBeatingTheStudentIsAPreferencePairInEveryPairFormat() throws {
        let loaded = [Self.conversation()]
        func export(_ format: ExportFormat) -> [String] {
            DatasetExporter(options: ExportOptions(format: format, personaID: "pupil")).export(loaded).train
        }
        #expect(export(.openaiDPO) == [Self.goldenPair])
        #expect(export(.trlDPO) == [#"{"prompt":[{"role":"system","content":"You are Pupil, a small local model. Answer in one short sentence."},{"role":"user","content":"Capital of France?"}],"chosen":[{"role":"assistant","content":"Paris, obviously."}],"rejected":[{"role":"assistant","content":"Paris is capital."}]}"#])
        // KTO: the teacher's good replies (rounds 1 and 3) and the beaten student reply, labelled.
        let kto = export(.trlKTO)
        #expect(kto.count == 3)
        #expect(kto.filter { $0.contains("\"label\":false") }.count == 1 && kto.contains { $0.contains("Paris is capital.") && $0.contains("\"label\":false") })
        #expect(!kto.contains { $0.contains("\"Rome.\"}],\"label\"") }, "the student's own win is not labelled in its dataset")
    }

    @Test func anIdenticalTeacherAndStudentReplyIsNoPairAndIsReportedWithheld() throws {
        let directory = try TemporaryDirectory()
        var conversation = Conversation(id: "20261118-000000-clippy-0009", createdAt: F.start, persona: F.clippy, backend: F.backend,
                                        sampling: F.clippy.sampling)
        let user = conversation.appendUserMessage("Capital of France?", at: F.at(1))
        let a = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(2))
        let b = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(2))
        conversation.appendReplyText("Paris.", to: a)
        conversation.appendReplyText(" Paris. ", to: b)
        conversation.finishReply(a, reason: .stop)
        conversation.finishReply(b, reason: .stop)
        conversation.beginCompare(under: user, sides: [CompareSide(reply: a, source: "A"), CompareSide(reply: b, source: "B", persona: "pupil")],
                                  blind: false, teacher: "A", student: Self.student)
        conversation.decideCompare(under: user, .better, winnerPane: 0, at: F.at(3))
        try Self.recorder(directory).record(conversation)
        #expect(try Self.lines(directory.path("Datasets/pupil/preference.jsonl")).isEmpty)
        #expect(try Self.lines(directory.path("Datasets/pupil/sft.jsonl")).count == 1)
        let view = try #require(StudentExamples.conversation(for: "pupil", from: conversation))
        #expect(DatasetExamples.withheld(from: view).map(\.reason) == [.identicalPair(rejected: b)])
        // `dramatis export --persona pupil` counts it among the withheld marks (the views it exports).
        let used = DatasetExporter(options: ExportOptions(format: .openaiDPO, personaID: "pupil")).usedViews([conversation])
        #expect(used.map(\.persona.id) == ["pupil"])
        #expect(used.flatMap(DatasetExamples.withheld(from:)).map(\.reason) == [.identicalPair(rejected: b)])
    }

    @Test func eachDecisionIsWrittenIntoTheStudentsFileAtOnce() throws {
        let directory = try TemporaryDirectory()
        let recorder = Self.recorder(directory)
        var conversation = Conversation(id: "20261118-000000-clippy-0008", createdAt: F.start, persona: F.clippy, backend: F.backend,
                                        sampling: F.clippy.sampling)
        let user = conversation.appendUserMessage("Capital of France?", at: F.at(1))
        let a = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(2))
        let b = conversation.startReply(after: user, backend: "local", model: "smollm2-135m", at: F.at(2))
        conversation.appendReplyText("Paris, obviously.", to: a)
        conversation.appendReplyText("Paris is capital.", to: b)
        conversation.finishReply(a, reason: .stop)
        conversation.finishReply(b, reason: .stop)
        conversation.beginCompare(under: user, sides: [CompareSide(reply: a, source: "B"), CompareSide(reply: b, source: "A", persona: "pupil")],
                                  blind: true, teacher: "B", student: Self.student)
        try recorder.record(conversation)
        let file = directory.path("Datasets/pupil/sft.jsonl")
        #expect(try Self.lines(file).isEmpty)
        // Pane A shows the teacher (source B, blind): the student's pane wins: nothing for the student.
        conversation.decideCompare(under: user, .better, winnerPane: 1, at: F.at(3))
        try recorder.record(conversation)
        #expect(try Self.lines(file).isEmpty)
        // Decided again as the teacher's pane: one line, written by this very record call.
        conversation.decideCompare(under: user, .better, winnerPane: 0, at: F.at(4))
        try recorder.record(conversation)
        let lines = try Self.lines(file)
        #expect(lines.count == 1)
        #expect(try Self.messages(lines[0]).last?.1 == "Paris, obviously.")
        // … and the teacher-vs-student pair, by the same call.
        let pairs = directory.path("Datasets/pupil/preference.jsonl")
        #expect(try Self.lines(pairs) == [Self.goldenPair])
        // A tie: the teacher's reply stays an SFT line, the pair goes.
        conversation.decideCompare(under: user, .tie, at: F.at(5))
        try recorder.record(conversation)
        #expect(try Self.lines(file).count == 1 && Self.lines(pairs).isEmpty)
        // Skipped: the line goes again.
        conversation.decideCompare(under: user, .skip, at: F.at(6))
        try recorder.record(conversation)
        #expect(try Self.lines(file).isEmpty)
    }

    @Test func theTeacherPersonasFilesAreTheSameAsWithoutTeacherStudent() throws {
        let with = try TemporaryDirectory(), without = try TemporaryDirectory()
        try Self.recorder(with).record(Self.conversation(teacher: "A"))
        try Self.recorder(without).record(Self.conversation(teacher: nil))
        for name in ["sft.jsonl", "preference.jsonl"] {
            let teacherLines = try Self.lines(with.path("Datasets/clippy/\(name)"))
            #expect(!teacherLines.isEmpty)
            #expect(teacherLines == (try Self.lines(without.path("Datasets/clippy/\(name)"))))
        }
        #expect(!FileManager.default.fileExists(atPath: without.path("Datasets/pupil").path))
    }

    @Test func aRebuildFromTheTranscriptsWritesTheSameStudentLinesAndExportAgrees() throws {
        let directory = try TemporaryDirectory()
        let conversation = Self.conversation()
        try Self.recorder(directory).record(conversation)
        let file = directory.path("Datasets/pupil/sft.jsonl")
        let written = try String(contentsOf: file, encoding: .utf8)
        // The student's own chat, recorded by another process, sits in the same file.
        var own = Conversation(id: "20261119-000000-pupil-0001", createdAt: F.at(100), persona: Persona(id: "pupil", name: "Pupil",
                               systemPrompt: Self.studentPrompt), backend: F.backend, sampling: SamplingParameters())
        let question = own.appendUserMessage("Hello?", at: F.at(101))
        let reply = own.startReply(after: question, backend: "local", model: "smollm2-135m", at: F.at(102))
        own.appendReplyText("Hi.", to: reply)
        own.finishReply(reply, reason: .stop)
        own.setMark(.good, on: reply, at: F.at(103))
        try Self.recorder(directory).record(own)
        let both = try Self.lines(file)
        #expect(both.count == 3 && both.prefix(2).joined(separator: "\n") + "\n" == written)
        let pairFile = directory.path("Datasets/pupil/preference.jsonl")
        #expect(try Self.lines(pairFile) == [Self.goldenPair])
        // Lost or damaged files: a new recorder rebuilds them from the transcripts, byte for byte.
        try FileManager.default.removeItem(at: file)
        try FileManager.default.removeItem(at: pairFile)
        try Self.recorder(directory).prepare(personaID: "pupil")
        #expect(try Self.lines(file) == both)
        #expect(try Self.lines(pairFile) == [Self.goldenPair])
        try "garbage\n".write(to: file, atomically: true, encoding: .utf8)
        try "garbage\n".write(to: pairFile, atomically: true, encoding: .utf8)
        try Self.recorder(directory).prepare(personaID: "pupil")
        #expect(try Self.lines(file) == both)
        #expect(try Self.lines(pairFile) == [Self.goldenPair])
        // `dramatis export --persona pupil` writes the same lines.
        let loaded = TranscriptStore(directory: directory.path("Transcripts")).loadAll().conversations
        #expect(DatasetExporter(options: ExportOptions(format: .openai, personaID: "pupil")).export(loaded).train == both)
        #expect(DatasetExporter(options: ExportOptions(format: .openaiDPO, personaID: "pupil")).export(loaded).train == [Self.goldenPair])
        #expect(DatasetExporter(options: ExportOptions(format: .openai, personaID: "clippy")).export(loaded).train
                == ExportFormat.openai.lines(for: conversation))
    }

    @Test func theTranscriptKeepsTheTeacherAndTheStudentSnapshot() throws {
        let directory = try TemporaryDirectory()
        let recorder = Self.recorder(directory)
        let conversation = Self.conversation()
        try recorder.record(conversation)
        let url = recorder.transcripts.url(for: conversation.id)
        #expect(try recorder.transcripts.load(url) == conversation)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"teacher\" : \"A\"") && text.contains("\"system_prompt\" : \"\(Self.studentPrompt)\""))
        #expect(StudentExamples.studentPersonaIDs(in: conversation) == ["pupil"])
        // Without a teacher nothing is stored and no student is named.
        let plain = Self.conversation(teacher: nil)
        #expect(!String(decoding: try TranscriptStore.fileData(for: plain), as: UTF8.self).contains("\"teacher\""))
        #expect(StudentExamples.studentPersonaIDs(in: plain).isEmpty)
    }
}
