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
        #expect(try lines(folder.appendingPathComponent("sft.jsonl")) == ExportFormat.openai.lines(for: conversation))
        #expect(try lines(folder.appendingPathComponent("preference.jsonl")) == ExportFormat.openaiDPO.lines(for: conversation))
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

        // "Barcelona?" was cut off by the length limit: a good mark counts only once confirmed.
        conversation.setMark(.good, on: 6, at: TranscriptFixtures.at(31))
        #expect(try recorder.record(conversation).map(\.turn) == [6])
        #expect(try lines(sft).count == 3)
        conversation.setMark(.good, on: 6, at: TranscriptFixtures.at(31), confirmed: true)
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

    @Test func twoRecordersOnOneFolderDoNotLoseEachOthersExamples() throws {
        let directory = try TemporaryDirectory()
        let first = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")), datasetRoot: directory.path("Datasets"))
        let second = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")), datasetRoot: directory.path("Datasets"))
        try first.record(TranscriptFixtures.golden(id: "20261117-000000-clippy-0000", question: "Capital of France?"))
        try second.record(TranscriptFixtures.golden(id: "20261118-000000-clippy-0001"))
        var third = TranscriptFixtures.golden(id: "20261119-000000-clippy-0002", question: "Capital of Spain?")
        third.setMark(nil, on: 5, at: TranscriptFixtures.at(40))
        try first.record(third)   // must not drop the second recorder's conversation
        let sft = try lines(directory.path("Datasets/clippy/sft.jsonl"))
        #expect(sft.count == 5)
        #expect(sft.filter { $0.contains("What is the capital of France?") }.count == 2)
    }
    /// Random marks, un-marks, edits and regenerations, mostly on the newest conversation (written in place)
    /// and sometimes on older ones (atomic rewrite), with repeated texts so identical lines occur: after every
    /// record both files equal the export of all conversations, and the file keeps its inode while only the
    /// newest conversation changes.
    @Test func inPlaceUpdatesOfTheNewestConversationMatchExport() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        let sft = directory.path("Datasets/clippy/sft.jsonl"), preference = directory.path("Datasets/clippy/preference.jsonl")
        var generator = SplitMix64(seed: 6)
        var conversations: [Conversation] = []
        var inPlaceChecks = 0
        func inode(_ url: URL) -> Int? { (try? FileManager.default.attributesOfItem(atPath: url.path))?[.systemFileNumber] as? Int }
        for step in 0 ..< 160 {
            let roll = generator.next() % 100
            if conversations.isEmpty || roll < 8 {
                conversations.append(Conversation(id: String(format: "20261120-%06d-clippy-0000", conversations.count), createdAt: TranscriptFixtures.start,
                                                  persona: TranscriptFixtures.clippy, backend: TranscriptFixtures.backend, sampling: SamplingParameters()))
            }
            // 85%: the newest conversation; else an older one (if any).
            let index = roll < 85 || conversations.count == 1 ? conversations.count - 1 : Int(generator.next() % UInt64(conversations.count - 1))
            var conversation = conversations[index]
            let replies = conversation.turns.filter { $0.role == .assistant }.map(\.id)
            let action = generator.next() % 6
            let date = TranscriptFixtures.at(Double(step))
            if replies.isEmpty || action < 2 {
                // A new exchange; texts repeat across conversations, so identical lines appear.
                let user = conversation.appendUserMessage("Question \(generator.next() % 4)", at: date)
                let reply = conversation.startReply(after: user, backend: "local", model: "m", at: date)
                conversation.appendReplyText("Answer \(generator.next() % 3)", to: reply)
                conversation.finishReply(reply, reason: .stop)
                if generator.next() % 3 != 0 { conversation.setMark(generator.next() % 4 == 0 ? .bad : .good, on: reply, at: date) }
            } else if action == 2 {
                let reply = replies[Int(generator.next() % UInt64(replies.count))]
                conversation.setMark(nil, on: reply, at: date)
            } else if action == 3 {
                let reply = replies[Int(generator.next() % UInt64(replies.count))]
                _ = conversation.editReply(reply, to: "Edited \(generator.next() % 3)", at: date)
            } else if action == 4, let parent = conversation[replies.last!].parent {
                let regenerated = conversation.startReply(after: parent, backend: "local", model: "m", at: date)
                conversation.appendReplyText("Again \(generator.next() % 3)", to: regenerated)
                conversation.finishReply(regenerated, reason: .stop)
                conversation.setMark(generator.next() % 2 == 0 ? .bad : .good, on: regenerated, at: date)
            } else {
                let reply = replies[Int(generator.next() % UInt64(replies.count))]
                conversation.setMark(.good, on: reply, at: date)
            }
            conversations[index] = conversation
            let before = (inode(sft), inode(preference))
            try recorder.record(conversation)
            for (url, format) in [(sft, ExportFormat.openai), (preference, ExportFormat.openaiDPO)] {
                let expected = DatasetExporter(options: ExportOptions(format: format)).export(conversations).train
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                #expect(text == expected.map { $0 + "\n" }.joined(), "step \(step): \(url.lastPathComponent) differs from the export")
            }
            if index == conversations.count - 1, let sftInode = before.0, let preferenceInode = before.1 {
                #expect(inode(sft) == sftInode && inode(preference) == preferenceInode, "step \(step): the newest conversation's change replaced a file")
                inPlaceChecks += 1
            }
        }
        #expect(inPlaceChecks > 50)
    }

    @Test func aFileChangedBehindTheRecordersBackIsRebuiltNotPatched() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")),
                                datasetRoot: directory.path("Datasets"))
        var conversation = TranscriptFixtures.golden()
        try recorder.record(conversation)
        let sft = directory.path("Datasets/clippy/sft.jsonl")
        // Someone truncates the file in place (same inode): the recorder must notice and rewrite it whole.
        let handle = try FileHandle(forWritingTo: sft)
        try handle.truncate(atOffset: 10)
        try handle.close()
        conversation.setMark(nil, on: 5, at: TranscriptFixtures.at(30))
        try recorder.record(conversation)
        let expected = DatasetExporter(options: ExportOptions(format: .openai)).export([conversation]).train
        #expect(try lines(sft) == expected)
    }
}
