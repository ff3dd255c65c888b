import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// Golden tests of the Axolotl and LLaMA-Factory exports and the files written next to them.
@Suite struct ExportTrainerFormatsTests {
    static let system = #""system":"Clippy is a factual chatbot that is also sarcastic.""#
    static let head = #"{"from":"human","value":"2+2?"},{"from":"gpt","value":"4, obviously."},{"from":"human","value":"What is the capital of France?\nBe brief."}"#

    @Test func axolotlLinesAreTheWeightedChatLines() {
        let conversation = TranscriptFixtures.golden()
        #expect(ExportFormat.axolotl.lines(for: conversation) == ExportFormat.openai.lines(for: conversation))
        #expect(ExportFormat.axolotl.datasetFormat == .chat)
    }

    @Test func llamaFactoryPreferenceLinesEndWithTheHumanTurnAndHoldSingleObjects() {
        #expect(ExportFormat.llamafactoryDPO.lines(for: TranscriptFixtures.golden()) == [
            #"{"conversations":["# + Self.head + #"],"chosen":{"from":"gpt","value":"Paris, as any atlas would tell you."},"rejected":{"from":"gpt","value":"Paris. Obviously."},"# + Self.system + "}",
            #"{"conversations":["# + Self.head + #",{"from":"gpt","value":"Paris, as any atlas would tell you."},{"from":"human","value":"And of Spain? \"Quote\" \\ tab\t ünïcödé 🎭"}],"chosen":{"from":"gpt","value":"Madrid."},"rejected":{"from":"gpt","value":"Barcelona?"},"# + Self.system + "}",
        ])
    }

    @Test func llamaFactoryKTOLinesEndWithTheLabelledReply() {
        let lines = ExportFormat.llamafactoryKTO.lines(for: TranscriptFixtures.golden())
        #expect(lines.count == 4)
        #expect(lines.first == #"{"conversations":["# + Self.head + #",{"from":"gpt","value":"Paris. Obviously."}],"kto_tag":false,"# + Self.system + "}")
    }

    @Test func everyNewFormatValidatesWithoutErrors() throws {
        let conversation = TranscriptFixtures.golden()
        for format in [ExportFormat.axolotl, .llamafactory, .llamafactoryDPO, .llamafactoryKTO] {
            let text = format.lines(for: conversation).joined(separator: "\n")
            let report = try ValidationFixtures.validator(format: format.datasetFormat).validate(bytes: Array(text.utf8), name: format.rawValue)
            #expect(report.errors.filter { $0.line != nil }.isEmpty, "\(format.rawValue): \(report.errors)")
            #expect(!report.warnings.contains { $0.category == "unrecognized_key" }, "\(format.rawValue)")
        }
    }

    @Test func axolotlYAMLNamesOurWeights() {
        let yaml = TrainerConfigFiles.axolotlYAML(train: "/data/train.jsonl", validation: "/data/validation.jsonl")
        #expect(yaml.contains("""
            datasets:
              - path: "/data/train.jsonl"
                ds_type: json
                type: chat_template
                field_messages: messages
                message_property_mappings:
                  role: role
                  content: content
                message_field_training: weight
            """))
        #expect(yaml.contains("test_datasets:\n  - path: \"/data/validation.jsonl\""))
    }

    @Test func llamaFactoryDatasetInfoHasItsExactColumnsAndKeepsOtherEntries() throws {
        let existing = Data(#"{"mine":{"file_name":"mine.json"}}"#.utf8)
        let data = try TrainerConfigFiles.llamaFactoryDatasetInfo(format: .llamafactoryDPO, entries: [("dramatis_clippy_dpo", "dpo.jsonl")], existing: existing)
        let info = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        #expect(info["mine"]?["file_name"] as? String == "mine.json")
        let entry = try #require(info["dramatis_clippy_dpo"])
        #expect(entry["file_name"] as? String == "dpo.jsonl")
        #expect(entry["formatting"] as? String == "sharegpt")
        #expect(entry["ranking"] as? Bool == true)
        #expect(entry["columns"] as? [String: String] == ["messages": "conversations", "system": "system", "chosen": "chosen", "rejected": "rejected"])
        #expect(entry["tags"] as? [String: String] == ["role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt", "system_tag": "system"])
        let kto = try TrainerConfigFiles.llamaFactoryDatasetInfo(format: .llamafactoryKTO, entries: [("k", "k.jsonl")], existing: nil)
        let ktoInfo = try #require(try JSONSerialization.jsonObject(with: kto) as? [String: [String: Any]])
        #expect((ktoInfo["k"]?["columns"] as? [String: String])?["kto_tag"] == "kto_tag")
        #expect(ktoInfo["k"]?["ranking"] == nil)
        #expect(throws: TrainerConfigError.self) {
            _ = try TrainerConfigFiles.llamaFactoryDatasetInfo(format: .llamafactory, entries: [], existing: Data("[1]".utf8))
        }
    }
}
