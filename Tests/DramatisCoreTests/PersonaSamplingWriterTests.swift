import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// "Save to persona": the front-matter writer keeps comments and layout, changes only changed keys, leaves the body
/// alone, and what it writes parses back with the new values; the shared sampling checks say what lint says.
@Suite("PersonaSamplingWriter")
struct PersonaSamplingWriterTests {
    static func parse(_ text: String) throws -> Persona {
        try PersonaFile.parse(data: Data(text.utf8), source: URL(fileURLWithPath: "/nowhere/t.md"), displayPath: "t.md").get()
    }

    /// The lines of `after` that are not in `before` at the same place, and the other way round (a line diff by LCS).
    static func changedLines(_ before: String, _ after: String) -> (removed: [String], added: [String]) {
        let a = before.components(separatedBy: "\n"), b = after.components(separatedBy: "\n")
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var removed: [String] = [], added: [String] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                i += 1; j += 1
            } else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] {
                added.append(b[j]); j += 1
            } else {
                removed.append(a[i]); i += 1
            }
        }
        return (removed, added)
    }

    static let commented = """
    ---
    # Clippy: my favourite persona.   Keep the odd spacing.
    name:   "Clippy"
    description: Sarcastic facts.   # shown in the list

    # sampling ------------------------------------------------
    temperature: 0.7            # 0 to 2; lower is more predictable
    # top_p: 1                  # 0 to 1
    max_tokens:    300          # a positive whole number
    stop:
      - "\\nUser:"   # the user's turn
      - END

    examples:                   # few-shot pairs
      - user: Hi
        assistant: Hello.
    ---
    You are {{char}}.

    temperature: 2 is not a setting here, it is prompt text.
    """

    @Test("changed keys keep their line, spacing and trailing comment; nothing else changes; the body is untouched")
    func changesOnlyChangedKeys() throws {
        var sampling = try Self.parse(Self.commented).sampling
        sampling.temperature = 0.3
        sampling.maxTokens = 40
        let (text, changed) = try PersonaSamplingWriter.update(Self.commented, to: sampling, file: "t.md")
        #expect(changed == [.temperature, .maxTokens])
        let diff = Self.changedLines(Self.commented, text)
        #expect(diff.removed == ["temperature: 0.7            # 0 to 2; lower is more predictable",
                                 "max_tokens:    300          # a positive whole number"])
        #expect(diff.added == ["temperature: 0.3            # 0 to 2; lower is more predictable",
                               "max_tokens:    40           # a positive whole number"])
        let persona = try Self.parse(text)
        #expect(persona.sampling == sampling)
        #expect(text.hasSuffix("---\nYou are {{char}}.\n\ntemperature: 2 is not a setting here, it is prompt text."))
    }

    @Test("a commented-out key becomes the setting in its place; an absent one is added after the nearest earlier setting")
    func addsAbsentKeys() throws {
        var sampling = try Self.parse(Self.commented).sampling
        sampling.topP = 0.9
        sampling.seed = 7
        sampling.presencePenalty = -0.5
        let (text, changed) = try PersonaSamplingWriter.update(Self.commented, to: sampling, file: "t.md")
        #expect(changed == [.topP, .seed, .presencePenalty])
        let lines = text.components(separatedBy: "\n")
        // `# top_p: 1   # 0 to 1` is uncommented where it was, its comment in the same column as before.
        let topP = try #require(lines.firstIndex(of: "top_p: 0.9                  # 0 to 1"))
        #expect(lines[topP - 1].hasPrefix("temperature: 0.7"))
        #expect(!text.contains("# top_p"))
        // seed and presence_penalty: after the stop list (the last earlier setting present), in template order.
        let stopEnd = try #require(lines.firstIndex(of: "  - END"))
        #expect(lines[stopEnd + 1] == "seed: 7")
        #expect(lines[stopEnd + 2] == "presence_penalty: -0.5")
        #expect(lines[stopEnd + 3] == "")
        let diff = Self.changedLines(Self.commented, text)
        #expect(diff.removed == ["# top_p: 1                  # 0 to 1"])
        #expect(diff.added.count == 3)
        #expect(try Self.parse(text).sampling == sampling)
    }

    @Test("a block list is replaced by a flow list; unset keys are removed with their value lines")
    func replacesBlockListAndRemovesUnset() throws {
        var sampling = try Self.parse(Self.commented).sampling
        sampling.stop = ["\n###", "say \"bye\""]
        sampling.temperature = nil
        let (text, _) = try PersonaSamplingWriter.update(Self.commented, to: sampling, file: "t.md")
        let diff = Self.changedLines(Self.commented, text)
        #expect(diff.removed == ["temperature: 0.7            # 0 to 2; lower is more predictable",
                                 "stop:", "  - \"\\nUser:\"   # the user's turn", "  - END"])
        #expect(diff.added == [#"stop: ["\n###", "say \"bye\""]"#])
        let persona = try Self.parse(text)
        #expect(persona.sampling.stop == ["\n###", "say \"bye\""])
        #expect(persona.sampling.temperature == nil)
        #expect(persona.examples.count == 1)
    }

    @Test("CRLF line breaks, a byte-order mark, quoted keys and a file without any sampling key")
    func oddLayout() throws {
        let original = "\u{FEFF}---\r\n\"name\": Odd\r\n# just a comment\r\nuser_name: Bob\r\n---\r\nPrompt line.\r\n"
        let sampling = SamplingParameters(temperature: 1, maxTokens: 12, stop: ["x"])
        let (text, changed) = try PersonaSamplingWriter.update(original, to: sampling, file: "odd.md")
        #expect(changed == [.temperature, .maxTokens, .stop])
        #expect(text == "\u{FEFF}---\r\n\"name\": Odd\r\ntemperature: 1\r\nmax_tokens: 12\r\nstop: [\"x\"]\r\n# just a comment\r\nuser_name: Bob\r\n---\r\nPrompt line.\r\n")
        #expect(try Self.parse(text).sampling == sampling)
    }

    @Test("the same values write nothing; a broken file or lone CR line breaks are refused, naming the problem")
    func unchangedAndRefused() throws {
        let sampling = try Self.parse(Self.commented).sampling
        let (text, changed) = try PersonaSamplingWriter.update(Self.commented, to: sampling, file: "t.md")
        #expect(changed.isEmpty)
        #expect(text == Self.commented)

        let broken = "---\nname: B\ntemperature: hot\n---\nPrompt\n"
        #expect {
            try PersonaSamplingWriter.update(broken, to: SamplingParameters(temperature: 1), file: "Personas/b.md")
        } throws: { error in
            "\(error)".contains("Personas/b.md:3:14: temperature: expected a number between 0 and 2, got \"hot\"")
        }
        #expect(throws: PersonaSamplingWriteError.self) {
            try PersonaSamplingWriter.update("---\rname: C\r---\rPrompt\r", to: SamplingParameters(temperature: 1), file: "c.md")
        }
        // A valid file whose layout a line edit cannot follow is refused rather than broken.
        #expect {
            try PersonaSamplingWriter.update("---\n{name: D, temperature: 1}\n---\nPrompt\n", to: SamplingParameters(temperature: 0.5), file: "d.md")
        } throws: { error in
            "\(error)".hasPrefix("d.md: this front matter's layout cannot be edited in place")
        }
    }

    @Test("save writes durably, keeps the file's permissions and lints it; a persona without a file says so")
    func saveToFile() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("clippy.md")
        try Data(Self.commented.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        var sampling = try Self.parse(Self.commented).sampling
        sampling.temperature = 1.25
        let outcome = try PersonaSamplingSaver.save(sampling, personaID: "clippy", directories: [directory.url])
        guard case .saved(_, let changed) = outcome else { Issue.record("not saved: \(outcome)"); return }
        #expect(changed == ["temperature"])
        let onDisk = try PersonaFile.load(contentsOf: file).get()
        #expect(onDisk.sampling.temperature == 1.25)
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o644)
        #expect(try PersonaSamplingSaver.save(sampling, personaID: "clippy", directories: [directory.url]) == .unchanged(file: PersonaProblem.displayPath(for: file)))
        #expect(try PersonaSamplingSaver.save(sampling, personaID: "gone", directories: [directory.url]) == .noFile(personaID: "gone"))
    }

    @Test("the panel's checks are lint's: the same bad value gets the same message")
    func panelChecksMatchLint() throws {
        let cases: [(SamplingField, String)] = [(.temperature, "3"), (.temperature, "hot"), (.topP, "1.5"), (.maxTokens, "0"),
                                                (.maxTokens, "1.5"), (.seed, "x"), (.presencePenalty, "-2.5"), (.frequencyPenalty, "9")]
        for (field, written) in cases {
            var parameters = SamplingParameters()
            let problem = try #require(field.read(written, into: &parameters), "\(field.key) \(written) accepted")
            let text = "---\nname: T\n\(field.key): \(written)\n---\nPrompt\n"
            guard case .failure(let lint) = PersonaFile.parse(data: Data(text.utf8), source: URL(fileURLWithPath: "/t.md"), displayPath: "t.md") else {
                Issue.record("lint accepted \(field.key): \(written)")
                continue
            }
            #expect(lint.problems.map(\.message) == [problem.message])
            #expect(parameters == SamplingParameters())
        }
        var parameters = SamplingParameters(temperature: 1)
        #expect(SamplingField.temperature.read("  ", into: &parameters) == nil)
        #expect(parameters.temperature == nil)
        #expect(SamplingField.stop.read(#""\nUser:", "a\"b""#, into: &parameters) == nil)
        #expect(parameters.stop == ["\nUser:", "a\"b"])
        #expect(SamplingField.stop.read(#""open"#, into: &parameters)?.message == "a quoted text is not closed: end it with \"")
        #expect(SamplingField.stop.read(#""a", """#, into: &parameters)?.message == "a stop sequence cannot be empty")
        #expect(StopListText.format(["\n###", "\u{1B}"]) == #""\n###", "\u001B""#)
        #expect(try StopListText.parse(StopListText.format(["\n###", "\u{1B}", "\\"])).get() == ["\n###", "\u{1B}", "\\"])
    }
}
