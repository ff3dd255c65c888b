import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// Golden tests: the fixture conversation (marks, a regeneration, an edit, a second branch) gives exactly these lines.
@Suite struct ExportGoldenTests {
    static let preamble = #"{"role":"system","content":"Clippy is a factual chatbot that is also sarcastic."},{"role":"user","content":"2+2?"},{"role":"assistant","content":"4, obviously.","weight":0},{"role":"assistant","content":"Hi, I'm Clippy.","weight":0}"#
    static let promptPreamble = #"{"role":"system","content":"Clippy is a factual chatbot that is also sarcastic."},{"role":"user","content":"2+2?"},{"role":"assistant","content":"4, obviously."},{"role":"assistant","content":"Hi, I'm Clippy."}"#
    static let question = #"{"role":"user","content":"What is the capital of France?\nBe brief."}"#
    static let followUp = #"{"role":"user","content":"And of Spain? \"Quote\" \\ tab\t ünïcödé 🎭"}"#

    @Test func openAISupervisedLines() {
        #expect(ExportFormat.openai.lines(for: TranscriptFixtures.golden()) == [
            #"{"messages":["# + Self.preamble + "," + Self.question + #",{"role":"assistant","content":"Paris, as any atlas would tell you.","weight":1}]}"#,
            #"{"messages":["# + Self.preamble + "," + Self.question + #",{"role":"assistant","content":"Paris, as any atlas would tell you.","weight":1},"#
                + Self.followUp + #",{"role":"assistant","content":"Madrid.","weight":1}]}"#,
        ])
    }

    @Test func openAIPreferenceLines() {
        #expect(ExportFormat.openaiDPO.lines(for: TranscriptFixtures.golden()) == [
            #"{"input":{"messages":["# + Self.promptPreamble + "," + Self.question
                + #"]},"preferred_output":[{"role":"assistant","content":"Paris, as any atlas would tell you."}],"non_preferred_output":[{"role":"assistant","content":"Paris. Obviously."}]}"#,
            #"{"input":{"messages":["# + Self.promptPreamble + "," + Self.question + #",{"role":"assistant","content":"Paris, as any atlas would tell you."},"# + Self.followUp
                + #"]},"preferred_output":[{"role":"assistant","content":"Madrid."}],"non_preferred_output":[{"role":"assistant","content":"Barcelona?"}]}"#,
        ])
    }

    @Test func trlKTOLines() {
        let first = "[" + Self.promptPreamble + "," + Self.question + "]"
        let second = "[" + Self.promptPreamble + "," + Self.question + #",{"role":"assistant","content":"Paris, as any atlas would tell you."},"# + Self.followUp + "]"
        #expect(ExportFormat.trlKTO.lines(for: TranscriptFixtures.golden()) == [
            #"{"prompt":"# + first + #","completion":[{"role":"assistant","content":"Paris. Obviously."}],"label":false}"#,
            #"{"prompt":"# + first + #","completion":[{"role":"assistant","content":"Paris, as any atlas would tell you."}],"label":true}"#,
            #"{"prompt":"# + second + #","completion":[{"role":"assistant","content":"Madrid."}],"label":true}"#,
            #"{"prompt":"# + second + #","completion":[{"role":"assistant","content":"Barcelona?"}],"label":false}"#,
        ])
    }

    @Test func trlDPOLines() {
        let first = "[" + Self.promptPreamble + "," + Self.question + "]"
        let second = "[" + Self.promptPreamble + "," + Self.question + #",{"role":"assistant","content":"Paris, as any atlas would tell you."},"# + Self.followUp + "]"
        #expect(ExportFormat.trlDPO.lines(for: TranscriptFixtures.golden()) == [
            #"{"prompt":"# + first + #","chosen":[{"role":"assistant","content":"Paris, as any atlas would tell you."}],"rejected":[{"role":"assistant","content":"Paris. Obviously."}]}"#,
            #"{"prompt":"# + second + #","chosen":[{"role":"assistant","content":"Madrid."}],"rejected":[{"role":"assistant","content":"Barcelona?"}]}"#,
        ])
    }

    @Test func shareGPTLines() {
        let head = #"{"conversations":[{"from":"human","value":"2+2?"},{"from":"gpt","value":"4, obviously."},{"from":"human","value":"What is the capital of France?\nBe brief."},{"from":"gpt","value":"Paris, as any atlas would tell you."}"#
        let system = #""system":"Clippy is a factual chatbot that is also sarcastic."}"#
        #expect(ExportFormat.sharegpt.lines(for: TranscriptFixtures.golden()) == [
            head + "]," + system,
            head + #",{"from":"human","value":"And of Spain? \"Quote\" \\ tab\t ünïcödé 🎭"},{"from":"gpt","value":"Madrid."}],"# + system,
        ])
    }

    @Test func unmarkedConversationGivesNothing() {
        var conversation = Conversation(id: "x", createdAt: TranscriptFixtures.start, persona: TranscriptFixtures.clippy,
                                        backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        let user = conversation.appendUserMessage("Hi", at: TranscriptFixtures.at(1))
        let reply = conversation.startReply(after: user, backend: "local", model: "m", at: TranscriptFixtures.at(2))
        conversation.finishReply(reply, reason: .stop)
        for format in ExportFormat.allCases {
            #expect(format.lines(for: conversation).isEmpty)
        }
    }

    @Test func controlCharactersAreEscaped() {
        let value = JSONValue.object([("a", .string("x\u{1}\u{7F}\u{2028}/é"))])
        #expect(value.serialized() == #"{"a":"x\u0001\u007f\u2028/é"}"#)
    }
}
