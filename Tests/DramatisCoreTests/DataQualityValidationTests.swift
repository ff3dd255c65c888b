import Foundation
import Testing
@testable import DramatisCore

/// Golden tests of the data-quality findings of `dramatis validate`: each finding with its line and exact message.
@Suite("DataQualityValidation")
struct DataQualityValidationTests {
    static func chat(_ user: String, _ assistant: String, weight: Int? = nil) -> String {
        let weightPart = weight.map { #","weight":\#($0)"# } ?? ""
        return #"{"messages":[{"role":"user","content":"\#(user)"},{"role":"assistant","content":"\#(assistant)"\#(weightPart)}]}"#
    }

    static func warnings(_ report: ValidationReport, _ category: ValidationCategory) -> [String] {
        report.warnings.filter { $0.category == category.rawValue }.map { "\($0.line.map(String.init) ?? "-"): \($0.message)" }
    }

    @Test("blank, refusing and cut-off trained replies; context-only replies are not judged")
    func trainedReplies() throws {
        let lines = [
            Self.chat("Hi", "  "),
            Self.chat("Help me", "I'm sorry, but I can't help with that."),
            Self.chat("Capital?", "Paris is the capital of France and it is also the largest city in the"),
            Self.chat("Capital again?", "Paris is the capital of France and it is also the largest city in the", weight: 0)
                .replacingOccurrences(of: "]}", with: #",{"role":"user","content":"ok"},{"role":"assistant","content":"Fine."}]}"#),
            Self.chat("Code?", "```swift\\nprint(1)"),
        ]
        let report = try ValidationFixtures.validate(lines.joined(separator: "\n"))
        #expect(Self.warnings(report, .emptyReply) == ["1: messages[1]: the trained reply is blank"])
        #expect(Self.warnings(report, .refusalReply) == [#"2: messages[1]: the trained reply looks like a refusal ("I'm sorry, but I can't…")"#])
        #expect(Self.warnings(report, .cutOffReply) == [
            #"3: messages[1]: the trained reply looks cut off (it ends "…largest city in the")"#,
            #"5: messages[1]: the trained reply looks cut off (it ends "…```swift print(1)")"#,
        ])
    }

    @Test("identical outputs, also when they differ only in whitespace")
    func identicalOutputs() throws {
        let same = #"{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"Hello there."}],"non_preferred_output":[{"role":"assistant","content":"Hello there."}]}"#
        let spaced = #"{"input":{"messages":[{"role":"user","content":"Yo"}]},"preferred_output":[{"role":"assistant","content":"Hello  there."}],"non_preferred_output":[{"role":"assistant","content":"Hello there.\n"}]}"#
        let report = try ValidationFixtures.validate(same + "\n" + spaced)
        #expect(Self.warnings(report, .identicalOutputs) == [
            "1: preferred_output and non_preferred_output are identical",
            "2: preferred_output and non_preferred_output are identical except for whitespace",
        ])
        let trl = #"{"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"A b"}],"rejected":[{"role":"assistant","content":" A\tb"}]}"#
        #expect(Self.warnings(try ValidationFixtures.validate(trl), .identicalOutputs) == [#"1: "chosen" and "rejected" are identical except for whitespace"#])
    }

    @Test("exact and near-duplicate examples are reported as clusters")
    func duplicateClusters() throws {
        let lines = [
            Self.chat("Capital of France?", "Paris."),
            Self.chat("Capital of Spain?", "Madrid."),
            Self.chat("Capital of France?", "Paris."),
            Self.chat("capital of  france", "PARIS!"),
            Self.chat("Capital of France?", "Paris."),
        ]
        let report = try ValidationFixtures.validate(lines.joined(separator: "\n"))
        #expect(Self.warnings(report, .duplicateExample) == ["3: same content as line 1 (3 identical examples: lines 1, 3, 5)"])
        #expect(Self.warnings(report, .nearDuplicateExample) == [
            "4: near-duplicate of line 1: the same words ignoring case, whitespace and punctuation (lines 1, 3, 4, 5)",
        ])
    }

    @Test("the same conversation trained toward different replies; contradicting labels and pairs")
    func conflicts() throws {
        let sft = [Self.chat("Capital of France?", "Paris."), Self.chat("Capital of France?", "Lyon, obviously."), Self.chat("Capital of France?", "Paris.")]
        let report = try ValidationFixtures.validate(sft.joined(separator: "\n"))
        #expect(Self.warnings(report, .conflictingReplies) == ["2: the same conversation up to this reply as line 1 is trained toward a different reply"])

        let up = #"{"prompt":[{"role":"user","content":"Hi"}],"completion":[{"role":"assistant","content":"Hello."}],"label":true}"#
        let down = #"{"prompt":[{"role":"user","content":"Hi"}],"completion":[{"role":"assistant","content":"Hello. "}],"label":false}"#
        #expect(Self.warnings(try ValidationFixtures.validate(up + "\n" + down), .conflictingReplies)
            == ["2: line 1 labels the same completion to the same prompt true"])

        let pair = #"{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"A"}],"non_preferred_output":[{"role":"assistant","content":"B"}]}"#
        let reversed = #"{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"B"}],"non_preferred_output":[{"role":"assistant","content":"A"}]}"#
        let chain = #"{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"B"}],"non_preferred_output":[{"role":"assistant","content":"C"}]}"#
        #expect(Self.warnings(try ValidationFixtures.validate([pair, chain, reversed].joined(separator: "\n")), .conflictingReplies)
            == ["3: line 1 prefers the other reply of this same pair"])
    }

    @Test("API keys, e-mail addresses and phone numbers are named by line and masked")
    func sensitiveData() throws {
        let key = "sk-proj-abcdefghijklmnopqrstuvwxyz1234"
        let line = Self.chat("my key is \(key), mail jane.doe@example.com or call +1 555 123 4567.", "Noted (555) 123-4567.")
        let report = try ValidationFixtures.validate(line)
        #expect(Self.warnings(report, .possibleSecret) == ["1: messages[0].content contains what looks like an API key (sk-…1234)"])
        #expect(Self.warnings(report, .personalData) == [
            "1: messages[0].content contains what looks like an e-mail address (jan….com)",
            "1: messages[0].content contains what looks like a phone number (+1 …567)",
            "1: messages[1].content contains what looks like a phone number ((55…567)",
        ])
        let text = ValidationReportRendering.text(report) + ValidationReportRendering.json(report)
        #expect(!text.contains(key) && !text.contains("jane.doe") && !text.contains("123 4567"))
        // Ordinary numbers, versions, dates and prices are not phone numbers.
        for innocent in ["It costs 1234567890 cents", "version 1.2.3.4", "on 2026-11-29 at 10:30", "call me maybe", "user@localhost", "sk-short"] {
            #expect(SensitiveDataScanner.scan(innocent).isEmpty, "\(innocent)")
        }
        #expect(SensitiveDataScanner.scan("AKIAIOSFODNN7EXAMPLE").map(\.kind) == [.apiKey])
        #expect(SensitiveDataScanner.scan("-----BEGIN RSA PRIVATE KEY-----\nMII").map(\.kind) == [.privateKey])
        #expect(SensitiveDataScanner.scan("ghp_abcdefghijklmnopqrstuvwxyz0123456789").map(\.masked) == ["ghp…6789"])
    }

    @Test("--target: Azure wants a byte-order mark, formats each target reads, minimum counts")
    func targets() throws {
        func validate(_ text: String, _ target: UploadTarget) throws -> ValidationReport {
            var options = ValidationOptions(target: target)
            options.model = .named("gpt-4o-mini")
            return DatasetValidator(tokenizer: try SharedTokenizers.require(.o200kBase), options: options, workers: 1)
                .validate(bytes: Array(text.utf8), name: "t.jsonl")
        }
        let ten = ValidationFixtures.chatLines(10)
        let azure = try validate(ten, .azure)
        #expect(Self.warnings(azure, .byteOrderMark) == ["-: azure wants UTF-8 with a byte-order mark and the file has none (dramatis export --target azure writes one)"])
        #expect(Self.warnings(try validate("\u{FEFF}" + ten, .azure), .byteOrderMark).isEmpty)
        #expect(Self.warnings(try validate("\u{FEFF}" + ten, .openai), .byteOrderMark) == ["1: the file starts with a UTF-8 byte-order mark; some uploaders reject it"])
        let kto = #"{"prompt":[{"role":"user","content":"Hi"}],"completion":[{"role":"assistant","content":"Hello."}],"label":true}"#
        let together = try validate(kto, .together)
        #expect(together.errors.filter { $0.category == "target_format" }.map(\.message) == ["together does not read trl-kto files; it takes chat, openai-dpo"])
        #expect(try validate(kto, .trl).isValid)
        let few = try validate(ValidationFixtures.chatLines(3), .openai)
        #expect(few.errors.map(\.message) == ["3 examples; openai fine-tuning needs at least 10, the upload would be refused"])
    }
}
