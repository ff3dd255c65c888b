import Foundation
import Testing
@testable import DramatisCore

/// Helpers for the validator tests.
enum ValidationFixtures {
    static func url(_ name: String) -> URL? {
        Bundle.module.url(forResource: "Fixtures/validation/\(name)", withExtension: "jsonl")
    }

    static func validator(format: DatasetFormat? = nil, model: String = "gpt-4o-mini", limit: Int? = nil,
                          workers: Int = 1) throws -> DatasetValidator {
        var trainingModel = TrainingModel.named(model)
        if let limit { trainingModel.contextLimit = limit }
        return DatasetValidator(tokenizer: try SharedTokenizers.require(trainingModel.encoding),
                                options: ValidationOptions(format: format, model: trainingModel), workers: workers)
    }

    static func validate(_ text: String, format: DatasetFormat? = nil) throws -> ValidationReport {
        try validator(format: format).validate(bytes: Array(text.utf8), name: "test.jsonl")
    }

    /// The (line, category) pairs of a report's errors.
    static func errors(_ report: ValidationReport) -> [(Int?, String)] {
        report.errors.map { ($0.line, $0.category) }
    }

    static func has(_ report: ValidationReport, _ category: ValidationCategory, line: Int?, warning: Bool = false) -> Bool {
        (warning ? report.warnings : report.errors).contains { $0.category == category.rawValue && $0.line == line }
    }

    /// `count` copies of a valid chat example, varied so they are not duplicates.
    static func chatLines(_ count: Int) -> String {
        (0 ..< count).map { i in
            #"{"messages":[{"role":"system","content":"Clippy is a factual chatbot that is also sarcastic."},{"role":"user","content":"Question \#(i)?"},{"role":"assistant","content":"Answer \#(i), obviously."}]}"#
        }.joined(separator: "\n") + "\n"
    }
}

@Suite("Validation")
struct ValidationTests {
    @Test("every notebook error category is reported with its line number")
    func notebookCategories() throws {
        let url = try #require(ValidationFixtures.url("chat-errors"))
        let report = try ValidationFixtures.validator().validate(fileAt: url.path)
        #expect(report.format == .chat)
        let expected: [(ValidationCategory, Int)] = [
            (.dataType, 2), (.missingMessagesList, 3), (.messageMissingKey, 4), (.unrecognizedRole, 4),
            (.messageUnrecognizedKey, 5), (.unrecognizedRole, 6), (.missingContent, 7),
            (.exampleMissingAssistantMessage, 8), (.invalidJSON, 9), (.invalidUTF8, 10),
            (.invalidWeight, 11), (.noTrainableAssistantMessage, 12),
        ]
        for (category, line) in expected {
            #expect(ValidationFixtures.has(report, category, line: line), "expected \(category.rawValue) on line \(line)")
        }
        // The valid first line and its duplicate on line 13 carry no error.
        #expect(!report.errors.contains { $0.line == 1 || $0.line == 13 })
        #expect(ValidationFixtures.has(report, .duplicateExample, line: 13, warning: true))
        #expect(report.warnings.first { $0.category == "duplicate_example" }?.message.contains("line 1") == true)
        #expect(ValidationFixtures.has(report, .blankLine, line: 14, warning: true))
        #expect(ValidationFixtures.has(report, .fewExamples, line: nil, warning: true))
        #expect(report.statistics.examples == 13)
        #expect(!report.isValid)
    }

    @Test("messages name the field at fault")
    func messagesNameFields() throws {
        let report = try ValidationFixtures.validate(#"{"messages":[{"role":"user","content":"hi","mood":"sad"},{"role":"assistant","content":"ok","weight":2}]}"#)
        let unrecognized = try #require(report.errors.first { $0.category == "message_unrecognized_key" })
        #expect(unrecognized.message.contains("messages[0]") && unrecognized.message.contains("\"mood\""))
        let weight = try #require(report.errors.first { $0.category == "invalid_weight" })
        #expect(weight.message.contains("messages[1].weight") && weight.message.contains("2"))
        let json = try ValidationFixtures.validate("{\"messages\": [}\n")
        #expect(json.errors.first?.message.contains("column 15") == true)
    }

    @Test("token statistics equal the notebook's counts made with tiktoken")
    func notebookTokenCounts() throws {
        let url = try #require(ValidationFixtures.url("chat-valid"))
        // Expected numbers from bench/validate_reference.py (the notebook's code with tiktoken 0.14.0).
        let o200k = try ValidationFixtures.validator().validate(fileAt: url.path)
        #expect(o200k.isValid)
        #expect(o200k.statistics.examples == 11)
        #expect(o200k.statistics.totalTokens == 499)
        #expect(o200k.statistics.assistantTokens == 118)
        #expect(o200k.statistics.epochs == 9)
        #expect(o200k.statistics.billedTokens == 4491)
        #expect(o200k.statistics.trainedAssistantTokens < o200k.statistics.assistantTokens) // one weight-0 reply
        let cl100k = try ValidationFixtures.validator(model: "gpt-3.5-turbo").validate(fileAt: url.path)
        #expect(cl100k.statistics.encoding == .cl100kBase)
        #expect(cl100k.statistics.totalTokens == 519)
        #expect(cl100k.statistics.assistantTokens == 123)
        #expect(cl100k.statistics.billedTokens == 4671)
        #expect(cl100k.statistics.contextLimit == 16_385)
    }

    @Test("one example's tokens: 3 per message + content + role + 3 priming")
    func singleExampleTokens() throws {
        let report = try ValidationFixtures.validate(#"{"messages":[{"role":"system","content":"Clippy is a factual chatbot that is also sarcastic."},{"role":"user","content":"What's the capital of France?"},{"role":"assistant","content":"Paris, as if everyone doesn't know that already."}]}"#)
        #expect(report.statistics.totalTokens == 43)
        #expect(report.statistics.assistantTokens == 10)
        #expect(report.statistics.epochs == 25)
        #expect(report.statistics.billedTokens == 1075)
        #expect(ValidationFixtures.has(report, .tooFewExamples, line: nil))
    }

    @Test("example count limits: under 10 is an error, under 50 a warning, 50 is clean")
    func exampleCounts() throws {
        let nine = try ValidationFixtures.validate(ValidationFixtures.chatLines(9))
        #expect(ValidationFixtures.has(nine, .tooFewExamples, line: nil))
        let ten = try ValidationFixtures.validate(ValidationFixtures.chatLines(10))
        #expect(ten.isValid)
        #expect(ValidationFixtures.has(ten, .fewExamples, line: nil, warning: true))
        let fifty = try ValidationFixtures.validate(ValidationFixtures.chatLines(50))
        #expect(fifty.isValid && fifty.warnings.isEmpty)
        #expect(fifty.statistics.epochs == 3)
    }

    @Test("examples over the training context are flagged and billed at the limit")
    func overLimit() throws {
        let validator = try ValidationFixtures.validator(limit: 30)
        let report = validator.validate(bytes: Array(ValidationFixtures.chatLines(12).utf8), name: "x")
        #expect(report.statistics.examplesOverLimit == 12)
        #expect(ValidationFixtures.has(report, .exampleTooLong, line: 5, warning: true))
        #expect(report.statistics.billingTokensPerEpoch == 12 * 30)
    }

    @Test("the notebook's epoch rule")
    func epochs() {
        #expect(TrainingCostEstimate.defaultEpochs(examples: 10) == 10)
        #expect(TrainingCostEstimate.defaultEpochs(examples: 3) == 25)
        #expect(TrainingCostEstimate.defaultEpochs(examples: 50) == 3)
        #expect(TrainingCostEstimate.defaultEpochs(examples: 10_000) == 2)
        #expect(TrainingCostEstimate.defaultEpochs(examples: 100_000) == 1)
    }

    @Test("distributions use numpy's linear quantiles")
    func distribution() throws {
        var histogram = Histogram()
        for value in [4, 1, 3, 2] { histogram.add(value) }
        let d = try #require(histogram.summary())
        #expect(d.min == 1 && d.max == 4 && d.median == 2.5 && d.mean == 2.5)
        #expect(abs(d.p10 - 1.3) < 1e-9 && abs(d.p90 - 3.7) < 1e-9)
    }

    @Test("the same report whatever the number of threads and block boundaries")
    func parallelMatchesSerial() throws {
        let text = ValidationFixtures.chatLines(300) + "not json\n" + ValidationFixtures.chatLines(3)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-validate-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let serial = try ValidationFixtures.validator(workers: 1).validate(fileAt: temporary.path)
        let parallel = try ValidationFixtures.validator(workers: 4).validate(fileAt: temporary.path)
        #expect(serial.statistics == parallel.statistics)
        #expect(serial.errors == parallel.errors)
        #expect(ValidationFixtures.has(serial, .invalidJSON, line: 301))
        #expect(ValidationFixtures.has(serial, .duplicateExample, line: 302, warning: true))
    }

    @Test("CRLF line endings and a byte-order mark are handled")
    func crlfAndBOM() throws {
        let text = "\u{FEFF}" + ValidationFixtures.chatLines(10).replacingOccurrences(of: "\n", with: "\r\n")
        let report = try ValidationFixtures.validate(text)
        #expect(report.isValid)
        #expect(ValidationFixtures.has(report, .byteOrderMark, line: 1, warning: true))
        #expect(report.statistics.examples == 10)
    }

    @Test("OpenAI DPO lines are detected and checked")
    func openAIDPO() throws {
        let good = #"{"input":{"messages":[{"role":"user","content":"Capital of France?"}]},"preferred_output":[{"role":"assistant","content":"Paris, obviously."}],"non_preferred_output":[{"role":"assistant","content":"Lyon."}]}"#
        let twoOutputs = #"{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"a"},{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"user","content":"c"}]}"#
        let same = #"{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"a"}]}"#
        let noInput = #"{"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]}"#
        let report = try ValidationFixtures.validate([good, twoOutputs, same, noInput].joined(separator: "\n"))
        #expect(report.format == .openaiDPO && report.formatDetected)
        #expect(!report.errors.contains { $0.line == 1 })
        #expect(ValidationFixtures.has(report, .invalidOutput, line: 2))
        #expect(report.errors.filter { $0.line == 2 && $0.category == "invalid_output" }.count == 2)
        #expect(ValidationFixtures.has(report, .identicalOutputs, line: 3, warning: true))
        #expect(ValidationFixtures.has(report, .missingMessagesList, line: 4))
    }

    @Test("TRL DPO and KTO lines are checked")
    func trlFormats() throws {
        let dpo = #"{"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"Hello."}],"rejected":[{"role":"assistant","content":"Go away."}]}"#
        let dpoBad = #"{"prompt":[],"chosen":[{"role":"assistant","content":"x"}],"rejected":"nope"}"#
        let dpoReport = try ValidationFixtures.validate(dpo + "\n" + dpoBad)
        #expect(dpoReport.format == .trlDPO)
        #expect(!dpoReport.errors.contains { $0.line == 1 })
        #expect(ValidationFixtures.has(dpoReport, .invalidPrompt, line: 2))
        #expect(ValidationFixtures.has(dpoReport, .invalidOutput, line: 2))

        let kto = #"{"prompt":[{"role":"user","content":"Hi"}],"completion":[{"role":"assistant","content":"Hello."}],"label":true}"#
        let ktoBad = #"{"prompt":[{"role":"user","content":"Hi"}],"completion":[{"role":"assistant","content":"Hey."}],"label":"yes"}"#
        let ktoReport = try ValidationFixtures.validate(kto + "\n" + ktoBad)
        #expect(ktoReport.format == .trlKTO)
        #expect(ValidationFixtures.has(ktoReport, .invalidLabel, line: 2))
        #expect(ValidationFixtures.has(ktoReport, .singleLabel, line: nil, warning: true))
    }

    @Test("ShareGPT turn order follows LLaMA-Factory's rule")
    func shareGPT() throws {
        let good = #"{"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello."}],"system":"Clippy is a factual chatbot that is also sarcastic."}"#
        let swapped = #"{"conversations":[{"from":"gpt","value":"Hello."},{"from":"human","value":"Hi"}]}"#
        let wrongFrom = #"{"conversations":[{"from":"user","value":"Hi"},{"from":"gpt","value":""}]}"#
        let preference = #"{"conversations":[{"from":"human","value":"Hi"}],"chosen":{"from":"gpt","value":"Hello."},"rejected":{"from":"gpt","value":"Bye."}}"#
        let report = try ValidationFixtures.validate([good, swapped, wrongFrom, preference].joined(separator: "\n"))
        #expect(report.format == .shareGPT)
        #expect(!report.errors.contains { $0.line == 1 || $0.line == 4 })
        #expect(ValidationFixtures.has(report, .turnOrder, line: 2))
        #expect(ValidationFixtures.has(report, .unrecognizedRole, line: 3))
        #expect(ValidationFixtures.has(report, .missingContent, line: 3))
    }

    @Test("--format overrides detection")
    func forcedFormat() throws {
        let report = try ValidationFixtures.validate(#"{"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello."}]}"#, format: .chat)
        #expect(report.format == .chat && !report.formatDetected)
        #expect(ValidationFixtures.has(report, .missingMessagesList, line: 1))
    }

    @Test("JSON report shape")
    func jsonShape() throws {
        let url = try #require(ValidationFixtures.url("chat-errors"))
        let report = try ValidationFixtures.validator().validate(fileAt: url.path)
        let json = ValidationReportRendering.json(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.count == report.errors.count)
        #expect(errors.allSatisfy { $0["line"] != nil && $0["category"] is String && $0["message"] is String })
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        #expect(warnings.contains { $0["category"] as? String == "few_examples" && $0["line"] is NSNull })
        let stats = try #require(object["stats"] as? [String: Any])
        for key in ["examples", "total_tokens", "assistant_tokens", "billed_tokens", "epochs"] {
            #expect(stats[key] is Int, "stats.\(key)")
        }
        #expect(stats["examples"] as? Int == 13)
        #expect(object["valid"] as? Bool == false)
    }

    @Test("an unreadable file is a thrown error naming it")
    func unreadable() throws {
        #expect(throws: ValidationFileError.self) {
            _ = try ValidationFixtures.validator().validate(fileAt: "/nonexistent/dramatis.jsonl")
        }
    }

    @Test("terminal text escapes control characters from the file")
    func textIsSanitized() throws {
        let report = try ValidationFixtures.validate(#"{"messages":[{"role":"user","content":"hi","\u001b[31mevil":1},{"role":"assistant","content":"ok"}]}"#)
        let text = ValidationReportRendering.text(report)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("message_unrecognized_key"))
    }
}
