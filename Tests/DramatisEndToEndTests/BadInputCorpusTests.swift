import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The committed bad-input corpus (`Tests/BadInputs/`) through the real CLI: every broken persona,
/// character card, transcript, configuration file and JSONL line gives its exact message — file,
/// line, column and field where they apply — and its exit status; nothing crashes and nothing is written.
@Suite struct BadInputCorpusTests {
    static let corpus = BuiltProducts.packageRoot.appendingPathComponent("Tests/BadInputs")

    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var status: Int32
        /// Exact lines expected (stdout and stderr together, in order: stdout first).
        var lines: [String]
        var testDescription: String { file }
    }

    /// Runs `dramatis` in the corpus folder (so paths print as given).
    static func dramatis(_ arguments: [String], in directory: URL = corpus) async throws -> ProcessResult {
        try await ProcessRunner.run(BuiltProducts.dramatis, arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                                                                                "HOME": FileManager.default.temporaryDirectory.path],
                              currentDirectory: directory, timeout: 60)
    }

    static func lines(_ result: ProcessResult) -> [String] {
        (result.stdout + result.stderr).split(separator: "\n").map(String.init)
    }

    /// No crash: a normal exit (not a signal) and no Swift runtime trap text.
    static func expectNoCrash(_ result: ProcessResult, _ label: String) {
        #expect(result.status < 128, "\(label) was ended by a signal")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(label): \(result.stderr)")
    }

    // MARK: Personas

    static let personas: [Case] = [
        Case(file: "bad-yaml.md", status: 1,
             lines: ["personas/bad-yaml.md:4:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 7)"]),
        Case(file: "empty-prompt.md", status: 1,
             lines: ["personas/empty-prompt.md:4:1: system prompt: empty: write the system prompt below the closing '---' (line 3)"]),
        Case(file: "invalid-utf8.md", status: 1,
             lines: ["personas/invalid-utf8.md:4:12: invalid UTF-8 (byte 0xE9 at offset 35); save the file as UTF-8"]),
        Case(file: "missing-front-matter.md", status: 1,
             lines: ["personas/missing-front-matter.md:1:1: missing front matter: a persona file starts with a line '---', then settings such as 'name: Clippy', then '---', then the system prompt"]),
        Case(file: "missing-name.md", status: 1,
             lines: ["personas/missing-name.md:1:1: name: required: add a line such as 'name: Clippy' to the front matter"]),
        Case(file: "unclosed-front-matter.md", status: 1,
             lines: ["personas/unclosed-front-matter.md:1:1: the front matter opened here is never closed: add a line '---' after the settings"]),
        Case(file: "unknown-field.md", status: 1,
             lines: ["personas/unknown-field.md:3:1: temprature: unknown setting (did you mean 'temperature'?)"]),
        Case(file: "wrong-type.md", status: 1,
             lines: ["personas/wrong-type.md:3:14: temperature: expected a number between 0 and 2, got \"hot\"",
                     "personas/wrong-type.md:4:13: max_tokens: expected a whole number, got \"many\""]),
    ]

    @Test("personas lint names file, line, column and field", arguments: personas)
    func personaLint(_ bad: Case) async throws {
        let result = try await Self.dramatis(["personas", "lint", "personas/\(bad.file)"])
        Self.expectNoCrash(result, bad.file)
        #expect(result.status == bad.status)
        #expect(result.stdout.split(separator: "\n").map(String.init) == bad.lines)
        let problems = bad.lines.count
        #expect(result.stderr == "1 persona file checked: 0 valid, 1 invalid, \(problems) problem\(problems == 1 ? "" : "s")\n")
    }

    @Test("a broken persona is refused by ask (exit 2) and personas show (exit 1) with the same problems")
    func brokenPersonaInUse() async throws {
        let directory = try TemporaryDirectory(prefix: "dramatis-bad-persona")
        try FileManager.default.createDirectory(at: directory.path("Personas"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent("personas/wrong-type.md"), to: directory.path("Personas/wrong-type.md"))
        let problems = ["  Personas/wrong-type.md:3:14: temperature: expected a number between 0 and 2, got \"hot\"",
                        "  Personas/wrong-type.md:4:13: max_tokens: expected a whole number, got \"many\""]
        let ask = try await Self.dramatis(["ask", "--persona", "wrong-type", "--no-save", "hi"], in: directory.url)
        Self.expectNoCrash(ask, "ask")
        #expect(ask.status == 2)
        #expect(Self.lines(ask) == ["dramatis ask: persona 'wrong-type' (Personas/wrong-type.md) has problems:"] + problems)
        let show = try await Self.dramatis(["personas", "show", "wrong-type"], in: directory.url)
        #expect(show.status == 1)
        #expect(Self.lines(show) == ["error: persona 'wrong-type' (Personas/wrong-type.md) has problems:"] + problems)
        #expect(!FileManager.default.fileExists(atPath: directory.path("Transcripts").path))
    }

    // MARK: Character cards

    static let cards: [Case] = [
        Case(file: "bad-base64.png", status: 1, lines: ["error: cards/bad-base64.png: the 'chara' tEXt chunk is not valid base64"]),
        Case(file: "bad-json-inside.png", status: 1,
             lines: ["error: cards/bad-json-inside.png: the 'chara' chunk: not valid JSON (Unexpected end of file during JSON parse.)"]),
        Case(file: "bad-json.json", status: 1, lines: ["error: cards/bad-json.json: not valid JSON (Unexpected end of file during JSON parse.)"]),
        Case(file: "no-chara-chunk.png", status: 1,
             lines: ["error: cards/no-chara-chunk.png: no character card inside: the PNG has no 'chara' or 'ccv3' tEXt chunk (text chunks found: 'Comment')"]),
        Case(file: "no-name.json", status: 1, lines: ["error: cards/no-name.json: data.name: the card has no name"]),
        Case(file: "not-a-card.json", status: 1,
             lines: ["error: cards/not-a-card.json: not a character card: no 'spec' field and no V1 fields (name, description, personality, scenario, first_mes, mes_example)"]),
        Case(file: "not-a-png.png", status: 1, lines: ["error: cards/not-a-png.png: not a PNG file (the PNG signature is missing)"]),
        Case(file: "truncated.png", status: 1,
             lines: ["error: cards/truncated.png: corrupt PNG: chunk 'tEXt' at byte 33 claims 214 bytes but the file ends first"]),
        Case(file: "wrong-type.json", status: 1, lines: ["error: cards/wrong-type.json: data.first_mes: expected text, got a list"]),
    ]

    @Test("personas import refuses a broken card and writes nothing", arguments: cards)
    func cardImport(_ bad: Case) async throws {
        let out = try TemporaryDirectory(prefix: "dramatis-bad-card")
        let result = try await Self.dramatis(["personas", "import", "cards/\(bad.file)", "--out", out.path("Personas").path])
        Self.expectNoCrash(result, bad.file)
        #expect(result.status == bad.status)
        #expect(result.stdout == "")
        #expect(Self.lines(result) == bad.lines + ["nothing written"])
        #expect(!FileManager.default.fileExists(atPath: out.path("Personas").path))
    }

    // MARK: Transcripts

    static let transcripts: [Case] = [
        Case(file: "20261101-000000-clippy-trnc.json", status: 1, lines: ["not valid JSON (the file ends too early; it may have been cut off)"]),
        Case(file: "20261101-000001-clippy-futr.json", status: 1,
             lines: ["field \"version\": 99 is newer than this Dramatis reads (up to 2); upgrade Dramatis — the file was left untouched"]),
        Case(file: "20261101-000002-clippy-type.json", status: 1, lines: ["field id: expected text, found a number"]),
        Case(file: "20261101-000003-clippy-fmt.json", status: 1, lines: ["field \"format\": \"something-else\" is not \"dramatis-transcript\""]),
        Case(file: "20261101-000004-clippy-utf8.json", status: 1,
             lines: ["invalid UTF-8 at line 1, column 59 (byte 0xE9 at offset 58); a transcript is UTF-8 JSON"]),
        Case(file: "20261101-000005-clippy-arry.json", status: 1, lines: ["expected a JSON object (a transcript) at the top level, found a list"]),
        Case(file: "20261101-000006-clippy-role.json", status: 1,
             lines: ["field turns[1].role: \"narrator\" is not a valid value (expected one of: system, user, assistant)"]),
        Case(file: "20261101-000007-clippy-text.json", status: 1, lines: ["field turns[1].text: expected text, found a number"]),
    ]

    @Test("transcripts show names the field at fault and exits 1", arguments: transcripts)
    func transcriptShow(_ bad: Case) async throws {
        let path = Self.corpus.appendingPathComponent("transcripts/\(bad.file)").path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try await Self.dramatis(["transcripts", "show", path])
        Self.expectNoCrash(result, bad.file)
        #expect(result.status == bad.status)
        #expect(result.stdout == "")
        #expect(Self.lines(result) == bad.lines.map { "dramatis transcripts show: \(path): \($0)" })
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the file must be left untouched")
    }

    @Test("transcripts list shows every broken transcript with its message; export and replay skip them")
    func transcriptFolder() async throws {
        let folder = Self.corpus.appendingPathComponent("transcripts")
        let list = try await Self.dramatis(["transcripts", "list", "--transcripts", folder.path])
        Self.expectNoCrash(list, "list")
        #expect(list.status == 0)
        let expected = Self.transcripts.map { "INVALID  \(folder.path)/\($0.file): \($0.lines[0])" }
        #expect(Set(list.stdout.split(separator: "\n").map(String.init)) == Set(expected))
        #expect(list.stderr == "\(Self.transcripts.count) transcript(s) could not be read (left untouched).\n")

        let export = try await Self.dramatis(["export", "--transcripts", folder.path])
        Self.expectNoCrash(export, "export")
        #expect(export.status == 0)
        #expect(export.stdout == "")
        #expect(export.stderr.hasSuffix("0 transcript(s) used, 0 duplicate example(s) dropped, \(Self.transcripts.count) unreadable file(s) skipped\n"))
        for bad in Self.transcripts { #expect(export.stderr.contains(bad.lines[0]), "\(bad.file)") }
    }

    // MARK: Configuration files

    static let configurations: [Case] = [
        Case(file: "bad-yaml.yaml", status: 2, lines: ["2: invalid YAML: did not find expected ',' or ']'"]),
        Case(file: "invalid-utf8.yaml", status: 2, lines: ["5: invalid UTF-8 (byte 0xE9 at column 15); save the file as UTF-8"]),
        Case(file: "stored-key.yaml", status: 2,
             lines: ["6: backends.x.api_key: API keys are never stored in the configuration file; name the environment variable with api_key_env, or a command that prints the key with api_key_command"]),
        Case(file: "unknown-field.yaml", status: 2,
             lines: ["6: backends.x.temprature: unknown field (expected one of: kind, base_url, endpoint, model, deployment, api_version, api_key_env, api_key_command, include_usage, supports_n, connect_timeout, idle_timeout, max_retries, headers)"]),
        Case(file: "wrong-type.yaml", status: 2, lines: ["6: backends.x.idle_timeout: must be a number of seconds between 0 and 3600"]),
    ]

    @Test("a broken dramatis.yaml stops ask with file, line and field (exit 2)", arguments: configurations)
    func configuration(_ bad: Case) async throws {
        let directory = try TemporaryDirectory(prefix: "dramatis-bad-config")
        let file = directory.path("dramatis.yaml")
        try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent("config/\(bad.file)"), to: file)
        let result = try await Self.dramatis(["ask", "--backend", "x", "--no-save", "hi"], in: directory.url)
        Self.expectNoCrash(result, bad.file)
        #expect(result.status == bad.status)
        #expect(result.stdout == "")
        #expect(Self.lines(result) == bad.lines.map { "dramatis ask: \(file.path):\($0)" })
        #expect(!result.stderr.contains("sk-do-not-store"))
    }

    // MARK: JSONL

    @Test("validate reports every bad JSONL line with its number and category (exit 1)")
    func jsonlLines() async throws {
        let tokenizers = AppPaths.fromEnvironment().tokenizerDirectory.path
        let result = try await Self.dramatis(["validate", "--tokenizer-directory", tokenizers, "jsonl/bad-lines.jsonl"])
        Self.expectNoCrash(result, "validate")
        #expect(result.status == 1)
        let errors = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  error") }.map(String.init)
        #expect(errors == [
            "  error   jsonl/bad-lines.jsonl:2: [invalid_json] invalid JSON at column 56: unterminated string",
            "  error   jsonl/bad-lines.jsonl:3: [missing_messages_list] \"messages\" is missing",
            "  error   jsonl/bad-lines.jsonl:4: [unrecognized_role] messages[0] has role \"wizard\"; expected one of assistant, function, system, tool, user",
            "  error   jsonl/bad-lines.jsonl:5: [missing_content] messages[0].content must be a string, found a number",
            "  error   jsonl/bad-lines.jsonl:6: [example_missing_assistant_message] no message has role \"assistant\"",
            "  error   jsonl/bad-lines.jsonl:7: [invalid_utf8] invalid UTF-8 at byte 47 of the line",
            "  error   jsonl/bad-lines.jsonl:8: [data_type] the line is a list, not a JSON object",
            "  error   jsonl/bad-lines.jsonl: [too_few_examples] 9 examples; fine-tuning needs at least 10, the upload would be refused",
        ])
        #expect(result.stdout.contains("  warning jsonl/bad-lines.jsonl:9: [blank_line] blank line (skipped; some uploaders reject blank lines)"))
        #expect(result.stdout.contains("FAILED: 8 errors, 5 warnings"))

        let json = try await Self.dramatis(["validate", "--json", "--tokenizer-directory", tokenizers, "jsonl/bad-lines.jsonl"])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let lines = (report["errors"] as? [[String: Any]] ?? []).map { $0["line"] as? Int }
        #expect(lines == [2, 3, 4, 5, 6, 7, 8, nil])
    }
}
