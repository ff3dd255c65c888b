import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// The recorder never writes an example known to hurt training: identical pairs, unconfirmed cut-off/empty/refusing replies.
@Suite struct DataQualityRecorderTests {
    /// A conversation with one question and two replies (`first` finished with `firstReason`, then `second`).
    static func twoReplies(_ first: String, _ second: String, firstReason: FinishReason = .stop) -> (Conversation, TurnID, TurnID) {
        var conversation = Conversation(id: "20261118-000000-clippy-0009", createdAt: TranscriptFixtures.start,
                                        persona: TranscriptFixtures.clippy, backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        let question = conversation.appendUserMessage("Capital of France?", at: TranscriptFixtures.at(1))
        let a = conversation.startReply(after: question, backend: "local", model: "m", at: TranscriptFixtures.at(2))
        conversation.appendReplyText(first, to: a)
        conversation.finishReply(a, reason: firstReason)
        let b = conversation.startReply(after: question, backend: "local", model: "m", at: TranscriptFixtures.at(3))
        conversation.appendReplyText(second, to: b)
        conversation.finishReply(b, reason: .stop)
        return (conversation, a, b)
    }

    func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func anIdenticalPairIsNeverWrittenAndTheReasonIsReturned() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")), datasetRoot: directory.path("Datasets"))
        var (conversation, first, second) = Self.twoReplies("Paris,  obviously.", "Paris, obviously.\n")
        conversation.setMark(.bad, on: first, at: TranscriptFixtures.at(4))
        conversation.setMark(.good, on: second, at: TranscriptFixtures.at(5))
        let withheld = try recorder.record(conversation)
        #expect(withheld == [WithheldExample(conversationID: conversation.id, turn: second, reason: .identicalPair(rejected: first))])
        #expect(withheld.first?.message == "Not written as a preference pair: the good and the bad reply are identical (ignoring whitespace).")
        #expect(lines(directory.path("Datasets/clippy/preference.jsonl")).isEmpty)
        // The good reply is still a supervised example; KTO gets neither contradicting label.
        #expect(lines(directory.path("Datasets/clippy/sft.jsonl")).count == 1)
        #expect(ExportFormat.trlKTO.lines(for: conversation).isEmpty)
        #expect(ExportFormat.trlDPO.lines(for: conversation).isEmpty)
        // A real difference makes a pair again.
        conversation.appendReplyText(" Everyone knows.", to: second)
        #expect(try recorder.record(conversation).isEmpty)
        #expect(lines(directory.path("Datasets/clippy/preference.jsonl")).count == 1)
    }

    @Test func aCutOffGoodReplyIsWrittenOnlyWhenConfirmed() throws {
        let directory = try TemporaryDirectory()
        let recorder = Recorder(transcripts: TranscriptStore(directory: directory.path("Transcripts")), datasetRoot: directory.path("Datasets"))
        var (conversation, cut, other) = Self.twoReplies("Paris is the capital and the largest", "Lyon.", firstReason: .length)
        conversation.setMark(.good, on: cut, at: TranscriptFixtures.at(4))
        conversation.setMark(.bad, on: other, at: TranscriptFixtures.at(5))
        let withheld = try recorder.record(conversation)
        #expect(withheld.map(\.reason) == [.unconfirmed([.cutOff(.length)])])
        #expect(withheld.first?.message == "Not written: the reply marked good was cut off (max tokens reached); confirm the mark to train on it.")
        #expect(lines(directory.path("Datasets/clippy/sft.jsonl")).isEmpty)
        #expect(lines(directory.path("Datasets/clippy/preference.jsonl")).isEmpty)
        // KTO keeps the bad label only.
        #expect(ExportFormat.trlKTO.lines(for: conversation).count == 1)

        conversation.setMark(.good, on: cut, at: TranscriptFixtures.at(6), confirmed: true)
        #expect(try recorder.record(conversation).isEmpty)
        #expect(lines(directory.path("Datasets/clippy/sft.jsonl")).count == 1)
        #expect(lines(directory.path("Datasets/clippy/preference.jsonl")).count == 1)
        // The confirmation is in the transcript, so a rebuild (another process) keeps the example.
        let reloaded = try recorder.transcripts.load(recorder.transcripts.url(for: conversation.id))
        #expect(reloaded[cut].mark?.isConfirmed == true)
        #expect(ExportFormat.openai.lines(for: reloaded) == lines(directory.path("Datasets/clippy/sft.jsonl")))
    }

    @Test func concernsOfReplies() {
        func reply(_ text: String, _ reason: FinishReason?, origin: TurnOrigin = .generated, complete: Bool = true, error: String? = nil) -> Turn {
            Turn(id: 1, parent: 0, role: .assistant, text: text, origin: origin, createdAt: TranscriptFixtures.start, isComplete: complete,
                 reply: ReplyMetadata(backend: "b", model: "m", finishReason: reason, error: error))
        }
        #expect(ReplyConcern.concerns(of: reply("Paris.", .stop)).isEmpty)
        #expect(ReplyConcern.concerns(of: reply("Paris is", .length)) == [.cutOff(.length)])
        #expect(ReplyConcern.concerns(of: reply("Paris is", .cancelled)) == [.cutOff(.cancelled)])
        #expect(ReplyConcern.concerns(of: reply("Par", .incomplete, error: "connection reset")) == [.cutOff(.incomplete)])
        #expect(ReplyConcern.concerns(of: reply("Par", nil, complete: false)) == [.cutOff(.incomplete)])
        #expect(ReplyConcern.concerns(of: reply(" \n ", .stop)) == [.empty])
        #expect(ReplyConcern.concerns(of: reply("I’m sorry, but I can’t help with that.", .stop)) == [.refusal])
        #expect(ReplyConcern.concerns(of: reply("As an AI language model, I have no opinions.", .stop)) == [.refusal])
        #expect(ReplyConcern.concerns(of: reply("I cannot assist with that request.", .stop)) == [.refusal])
        #expect(ReplyConcern.concerns(of: reply("I can't believe you asked. Paris.", .stop)).isEmpty)
        #expect(ReplyConcern.concerns(of: reply("Sorry to disappoint: it is Paris.", .stop)).isEmpty)
        // The person's own rewrite of a cut-off reply inherits its metadata but is not cut off.
        #expect(ReplyConcern.concerns(of: reply("Paris, as any atlas would tell you.", .length, origin: .edited)).isEmpty)
        #expect(ReplyConcern.describe([.cutOff(.length), .refusal]) == "was cut off (max tokens reached) and looks like a refusal")
    }

    @Test func exportFlagsLeaveOutFewShotAndGreetingAndTrainOnlyTheLastReply() {
        let conversation = TranscriptFixtures.golden()
        let selection = ExampleSelection(fewShot: false, greeting: false, trainedReplies: .last)
        let examples = DatasetExamples.sft(from: conversation, selection: selection)
        #expect(examples.count == 2)
        let long = examples[1].messages
        #expect(long.map(\.role) == [.system, .user, .assistant, .user, .assistant])
        #expect(long.map(\.weight) == [nil, nil, 0, nil, 1])
        #expect(!long.contains { $0.content == "4, obviously." || $0.content == "Hi, I'm Clippy." })
        let pairs = DatasetExamples.preferencePairs(from: conversation, selection: selection)
        #expect(pairs.first?.prompt.map(\.role) == [.system, .user])
    }
}
