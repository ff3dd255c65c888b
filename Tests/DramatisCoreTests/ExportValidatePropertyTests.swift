import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// Property: every line every exporter writes, for random conversations with marks, edits and branches,
/// validates with no error in its format.
@Suite struct ExportValidatePropertyTests {
    static let texts = ["Paris.", "", " ", "Paris,  obviously.\n", "I'm sorry, but I can't help with that.",
                        "Line one\nline two \"quoted\" \\ back\tslash", "ünïcödé 🎭 東京", "```swift\nprint(1)\n```",
                        "It is the largest city in the country and also the capital of the whole", "<|endoftext|>", "\u{1}control"]

    /// A random conversation: user messages, replies with random finish reasons, regenerations, edits, branches, marks.
    static func randomConversation(_ generator: inout SplitMix64, index: Int, persona: Persona) -> Conversation {
        func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
        func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }
        var conversation = Conversation(id: String(format: "20261201-%06d-p-0000", index), createdAt: TranscriptFixtures.start,
                                        persona: persona, backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        var date = 0.0
        func now() -> Date { date += 1; return TranscriptFixtures.at(date) }
        for _ in 0 ..< Int(generator.next() % 5) + 1 {
            var user = conversation.appendUserMessage(pick(texts.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }), at: now())
            if chance(20), conversation[user].parent != nil || conversation.roots.count > 0 {
                user = conversation.editUserMessage(user, to: "Edited: " + pick(texts), at: now())
            }
            var replies: [TurnID] = []
            for _ in 0 ..< Int(generator.next() % 3) + 1 {
                let reply = conversation.startReply(after: user, backend: "local", model: "m", at: now())
                conversation.appendReplyText(pick(texts), to: reply)
                if chance(85) {
                    conversation.finishReply(reply, reason: pick([.stop, .stop, .length, .cancelled, .contentFilter]))
                } else {
                    conversation.finishReply(reply, reason: .incomplete, error: "connection reset")
                }
                replies.append(reply)
            }
            for reply in replies {
                switch generator.next() % 5 {
                case 0: conversation.setMark(.good, on: reply, at: now())
                case 1: conversation.setMark(.good, on: reply, at: now(), confirmed: true)
                case 2: conversation.setMark(.bad, on: reply, at: now())
                default: break
                }
            }
            if chance(30), let reply = replies.last {
                conversation.editReply(reply, to: pick(texts.filter { !$0.isEmpty }), at: now())
            }
            conversation.select(pick(conversation.alternatives(of: replies[0])))
        }
        return conversation
    }

    @Test func everyExportedLineValidates() throws {
        var generator = SplitMix64(seed: 20261129)
        var fewShot = TranscriptFixtures.clippy
        var bare = TranscriptFixtures.clippy
        bare.examples = []
        bare.greeting = nil
        fewShot.greeting = "Hello \"there\"."
        let conversations = (0 ..< 60).map { Self.randomConversation(&generator, index: $0, persona: $0 % 2 == 0 ? fewShot : bare) }
        var linesChecked = 0
        for format in ExportFormat.allCases {
            for selection in [ExampleSelection(), ExampleSelection(fewShot: false, greeting: false, trainedReplies: .last)] {
                let result = DatasetExporter(options: ExportOptions(format: format, selection: selection)).export(conversations)
                linesChecked += result.train.count
                let text = result.train.joined(separator: "\n")
                let report = try ValidationFixtures.validator(format: format.datasetFormat).validate(bytes: Array(text.utf8), name: format.rawValue)
                let lineErrors = report.errors.filter { $0.line != nil }
                #expect(lineErrors.isEmpty, "\(format.rawValue): \(lineErrors.prefix(3)) in \(lineErrors.first.map { result.train[$0.line! - 1] } ?? "")")
            }
        }
        #expect(linesChecked > 200)
    }
}
