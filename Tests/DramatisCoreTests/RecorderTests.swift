import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

@Suite struct RecorderTests {
    func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func recordWritesTranscriptAndDatasets() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        let conversation = TranscriptFixtures.golden()
        try recorder.record(conversation)
        let folder = directory.path("Datasets/clippy")
        #expect(try lines(folder.appendingPathComponent("sft.jsonl")) == DatasetFormat.openai.lines(for: conversation))
        #expect(try lines(folder.appendingPathComponent("preference.jsonl")) == DatasetFormat.openaiDPO.lines(for: conversation))
        #expect(try recorder.transcripts.load(recorder.transcripts.url(for: conversation.id)) == conversation)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("sft.jsonl").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
    }

    @Test func unmarkAndRemarkUpdateInPlaceWithoutDuplicates() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        let sft = directory.path("Datasets/clippy/sft.jsonl")
        let other = TranscriptFixtures.golden(id: "20261117-000000-clippy-0000", question: "Capital of France?")
        try recorder.record(other)
        var conversation = TranscriptFixtures.golden()
        try recorder.record(conversation)
        #expect(try lines(sft).count == 4)

        conversation.setMark(nil, on: 5, at: TranscriptFixtures.at(30))
        try recorder.record(conversation)
        let afterUnmark = try lines(sft)
        #expect(afterUnmark.count == 3)
        #expect(afterUnmark.filter { $0.contains("Madrid") }.count == 1)  // only the other conversation's

        conversation.setMark(.good, on: 6, at: TranscriptFixtures.at(31))
        try recorder.record(conversation)
        let afterRemark = try lines(sft)
        #expect(afterRemark.count == 4)
        #expect(afterRemark.last?.contains(#"{"role":"assistant","content":"Barcelona?","weight":1}"#) == true)
        #expect(Set(afterRemark).count == afterRemark.count)
        // Preference: the Madrid/Barcelona pair is gone (both good now), the edit pair stays.
        #expect(try lines(directory.path("Datasets/clippy/preference.jsonl")).count == 3)
    }

    @Test func newRecorderRebuildsFromTranscripts() throws {
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.path("Transcripts"))
        try store.save(TranscriptFixtures.golden(id: "20261117-000000-clippy-0000", question: "Capital of France?"))
        // A dataset file left stale by an older run gets rebuilt from the transcripts.
        try DurableFile.write(Data("stale\n".utf8), to: directory.path("Datasets/clippy/sft.jsonl"))
        let recorder = Recorder(transcripts: store, datasetRoot: directory.path("Datasets"))
        try recorder.record(TranscriptFixtures.golden())
        let sft = try lines(directory.path("Datasets/clippy/sft.jsonl"))
        #expect(sft.count == 4)
        #expect(!sft.contains("stale"))
    }

    @Test func identicalExamplesFromTwoConversationsAreWrittenOnceLikeExport() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        let first = TranscriptFixtures.golden(id: "20261117-000000-clippy-0000")
        let second = TranscriptFixtures.golden(id: "20261118-000000-clippy-0001")
        try recorder.record(first)
        try recorder.record(second)
        let sft = try lines(directory.path("Datasets/clippy/sft.jsonl"))
        #expect(sft == DatasetExporter(options: ExportOptions(format: .openai)).export([second, first]).train)
        #expect(sft.count == 2)
    }

    @Test func recordingWithoutDatasetChangesLeavesTheFilesAlone() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        try recorder.record(TranscriptFixtures.golden())
        let sft = directory.path("Datasets/clippy/sft.jsonl").path
        let inode = try FileManager.default.attributesOfItem(atPath: sft)[.systemFileNumber] as? Int
        var unmarked = Conversation(id: "20261119-000000-clippy-0009", createdAt: TranscriptFixtures.start, persona: TranscriptFixtures.clippy,
                                    backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        let user = unmarked.appendUserMessage("Hi", at: TranscriptFixtures.at(1))
        try recorder.record(unmarked)
        let reply = unmarked.startReply(after: user, backend: "local", model: "m", at: TranscriptFixtures.at(2))
        unmarked.finishReply(reply, reason: .stop)
        try recorder.record(unmarked)
        #expect(try FileManager.default.attributesOfItem(atPath: sft)[.systemFileNumber] as? Int == inode)
        #expect(try recorder.transcripts.load(recorder.transcripts.url(for: unmarked.id)) == unmarked)
    }
}
