import Foundation
import Testing
@testable import DramatisCore

@Suite("PersonaFile")
struct PersonaFileTests {
    static let source = URL(fileURLWithPath: "/nowhere/Personas/t.md")

    static func parse(_ text: String) -> Result<Persona, PersonaProblems> {
        PersonaFile.parse(data: Data(text.utf8), source: source, displayPath: "Personas/t.md")
    }

    static func problems(_ text: String) -> [String] {
        switch parse(text) {
        case .success: return []
        case .failure(let problems): return problems.problems.map(\.description)
        }
    }

    @Test("a complete persona parses with placeholders expanded")
    func parsesCompletePersona() throws {
        let text = """
        ---
        name: Clippy
        description: Sarcastic facts.
        backend: local
        model: smol
        temperature: 0.8
        top_p: 0.9
        max_tokens: 120
        stop: ["\\nUser:", END]
        seed: 42
        greeting: Hi {{user}}, I am {{char}}.
        alternate_greetings: ["Yo {{user}}"]
        examples:
          - user: Who are you, {{char}}?
            assistant: I am {{char}}, {{USER}}.
        tags: [a, b]
        user_name: Dana
        ---

        {{char}} is a factual chatbot. Talk to {{user}}.

        """
        let persona = try Self.parse(text).get()
        #expect(persona.id == "t")
        #expect(persona.name == "Clippy")
        #expect(persona.description == "Sarcastic facts.")
        #expect(persona.backend == "local")
        #expect(persona.model == "smol")
        #expect(persona.sampling.temperature == 0.8)
        #expect(persona.sampling.topP == 0.9)
        #expect(persona.sampling.maxTokens == 120)
        #expect(persona.sampling.stop == ["\nUser:", "END"])
        #expect(persona.sampling.seed == 42)
        #expect(persona.greeting == "Hi Dana, I am Clippy.")
        #expect(persona.alternateGreetings == ["Yo Dana"])
        #expect(persona.examples == [Persona.Example(user: "Who are you, Clippy?", assistant: "I am Clippy, Dana.")])
        #expect(persona.tags == ["a", "b"])
        #expect(persona.userName == "Dana")
        #expect(persona.systemPrompt == "Clippy is a factual chatbot. Talk to Dana.")
        #expect(persona.preambleMessages == [
            .system("Clippy is a factual chatbot. Talk to Dana."), .user("Who are you, Clippy?"), .assistant("I am Clippy, Dana."),
        ])
    }

    @Test("defaults: user name is User, sampling unset, CRLF and BOM accepted")
    func defaults() throws {
        let persona = try Self.parse("\u{FEFF}---\r\nname: A\r\n---\r\nHello {{user}}.\r\n").get()
        #expect(persona.userName == "User")
        #expect(persona.systemPrompt == "Hello User.")
        #expect(persona.sampling == SamplingParameters())
        #expect(persona.greeting == nil)
    }

    /// One bad file and the exact problem lines it must produce.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        var expected: [String]
        var testDescription: String { label }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(label: "wrong type", text: "---\nname: T\ntemperature: hot\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:14: temperature: expected a number between 0 and 2, got \"hot\""]),
        ErrorCase(label: "temperature above 2", text: "---\nname: T\ntemperature: 2.5\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:14: temperature: expected a number between 0 and 2, got 2.5"]),
        ErrorCase(label: "temperature below 0", text: "---\nname: T\ntemperature: -0.1\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:14: temperature: expected a number between 0 and 2, got -0.1"]),
        ErrorCase(label: "top_p above 1", text: "---\nname: T\ntop_p: 1.5\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:8: top_p: expected a number between 0 and 1, got 1.5"]),
        ErrorCase(label: "negative max_tokens", text: "---\nname: T\nmax_tokens: -5\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:13: max_tokens: expected a positive whole number, got -5"]),
        ErrorCase(label: "fractional max_tokens", text: "---\nname: T\nmax_tokens: 1.5\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:13: max_tokens: expected a whole number, got \"1.5\""]),
        ErrorCase(label: "seed not a number", text: "---\nname: T\nseed: lucky\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:7: seed: expected a whole number, got \"lucky\""]),
        ErrorCase(label: "unknown key with suggestion", text: "---\nname: T\ntemprature: 0.5\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:1: temprature: unknown setting (did you mean 'temperature'?)"]),
        ErrorCase(label: "camelCase key", text: "---\nname: T\n  \ntopP: 0.5\n---\nPrompt\n",
                  expected: ["Personas/t.md:4:1: topP: unknown setting (did you mean 'top_p'?)"]),
        ErrorCase(label: "card key", text: "---\nname: T\nfirst_mes: hi\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:1: first_mes: unknown setting (did you mean 'greeting'?)"]),
        ErrorCase(label: "prompt in front matter",
                  text: "---\nname: T\nsystem_prompt: hi\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:1: system_prompt: unknown setting: the system prompt is the text after the closing '---', not a front-matter field"]),
        ErrorCase(label: "bad YAML", text: "---\nname: T\ntags: [a, b\n---\nPrompt\n",
                  expected: ["Personas/t.md:4:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 7)"]),
        ErrorCase(label: "bad indentation", text: "---\nname: T\n  description: x\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:14: invalid YAML: mapping values are not allowed in this context"]),
        ErrorCase(label: "empty prompt", text: "---\nname: T\n---\n\n  \n",
                  expected: ["Personas/t.md:4:1: system prompt: empty: write the system prompt below the closing '---' (line 3)"]),
        ErrorCase(label: "missing name", text: "---\ndescription: x\n---\nPrompt\n",
                  expected: ["Personas/t.md:1:1: name: required: add a line such as 'name: Clippy' to the front matter"]),
        ErrorCase(label: "empty name", text: "---\nname: \"\"\n---\nPrompt\n",
                  expected: ["Personas/t.md:2:7: name: expected text, got an empty value"]),
        ErrorCase(label: "name is a list", text: "---\nname: [a]\n---\nPrompt\n",
                  expected: ["Personas/t.md:2:7: name: expected text, got a list (text that starts with '[' must be in quotes)"]),
        ErrorCase(label: "unquoted placeholder at the start", text: "---\nname: T\ngreeting: {{user}}, hi\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:19: invalid YAML: did not find expected key (while parsing a block mapping at line 2, column 1); text that starts with '{{' must be in quotes, e.g. greeting: \"{{user}}, hello\""]),
        ErrorCase(label: "unquoted placeholder alone", text: "---\nname: T\ngreeting: {{user}}\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:11: greeting: expected text, got a set of 'key: value' settings (text that starts with '{', like '{{user}}', must be in quotes)"]),
        ErrorCase(label: "no front matter", text: "You are helpful.\n",
                  expected: ["Personas/t.md:1:1: missing front matter: a persona file starts with a line '---', then settings such as 'name: Clippy', then '---', then the system prompt"]),
        ErrorCase(label: "unclosed front matter", text: "---\nname: T\nPrompt\n",
                  expected: ["Personas/t.md:1:1: the front matter opened here is never closed: add a line '---' after the settings"]),
        ErrorCase(label: "front matter not a mapping", text: "---\n- a\n- b\n---\nPrompt\n",
                  expected: ["Personas/t.md:2:1: the front matter must be settings written as 'key: value' lines, got a list"]),
        ErrorCase(label: "duplicate key", text: "---\nname: T\ntemperature: 1\ntemperature: 0.5\n---\nPrompt\n",
                  expected: ["Personas/t.md:4:1: temperature: appears more than once; keep one"]),
        ErrorCase(label: "example missing assistant", text: "---\nname: T\nexamples:\n  - user: hi\n---\nPrompt\n",
                  expected: ["Personas/t.md:4:5: examples[0].assistant: missing: each example needs both 'user' and 'assistant'"]),
        ErrorCase(label: "example wrong key", text: "---\nname: T\nexamples:\n  - user: hi\n    bot: hello\n---\nPrompt\n",
                  expected: [
                      "Personas/t.md:4:5: examples[0].assistant: missing: each example needs both 'user' and 'assistant'",
                      "Personas/t.md:5:5: examples[0].bot: unknown key in an example; an example has exactly 'user' and 'assistant' (did you mean 'assistant'?)",
                  ]),
        ErrorCase(label: "examples not a list", text: "---\nname: T\nexamples: hello\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:11: examples: expected a list of '- user: …' / '  assistant: …' pairs, got \"hello\""]),
        ErrorCase(label: "stop is a mapping", text: "---\nname: T\nstop: {a: b}\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:7: stop: expected a list of text (one '- item' per line, or [a, b]), got a set of 'key: value' settings"]),
        ErrorCase(label: "empty stop", text: "---\nname: T\nstop: [\"\"]\n---\nPrompt\n",
                  expected: ["Personas/t.md:3:7: stop: a stop sequence cannot be empty"]),
        ErrorCase(label: "several problems in one file", text: "---\nname: T\ntemperature: 9\ntop_p: x\ncolour: red\n---\n",
                  expected: [
                      "Personas/t.md:3:14: temperature: expected a number between 0 and 2, got 9",
                      "Personas/t.md:4:8: top_p: expected a number between 0 and 1, got \"x\"",
                      "Personas/t.md:5:1: colour: unknown setting; known settings: \(PersonaFile.knownFields.joined(separator: ", "))",
                      "Personas/t.md:7:1: system prompt: empty: write the system prompt below the closing '---' (line 6)",
                  ]),
    ]

    @Test("every kind of mistake is reported with file:line:column and field", arguments: errorCases)
    func errorMessages(_ errorCase: ErrorCase) {
        #expect(Self.problems(errorCase.text) == errorCase.expected)
    }

    @Test("invalid UTF-8 is reported at the line and column of the first bad byte")
    func invalidUTF8() {
        var bytes = Array("---\nname: T\n---\nLine one\nHé ".utf8)
        bytes.append(0xFF)
        bytes += Array(" rest\n".utf8)
        let result = PersonaFile.parse(data: Data(bytes), source: Self.source, displayPath: "Personas/t.md")
        guard case .failure(let problems) = result else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(problems.description == "Personas/t.md:5:4: invalid UTF-8 (byte 0xFF at offset 29); save the file as UTF-8")
    }

    @Test("a truncated multi-byte sequence and an overlong encoding are invalid")
    func utf8Validation() {
        #expect(UTF8Validation.firstInvalidByte(in: Array("é".utf8).dropLast() + []) != nil)
        #expect(UTF8Validation.firstInvalidByte(in: [0x41, 0xC0, 0xAF])?.offset == 1)
        #expect(UTF8Validation.firstInvalidByte(in: [0xED, 0xA0, 0x80])?.offset == 0)   // surrogate
        #expect(UTF8Validation.firstInvalidByte(in: Array("日本 🎭\nok".utf8)) == nil)
        #expect(UTF8Validation.firstInvalidByte(in: Array("a\nbc".utf8) + [0x80])?.line == 2)
        #expect(UTF8Validation.firstInvalidByte(in: Array("a\nbc".utf8) + [0x80])?.column == 3)
    }

    @Test("display path is relative to the working directory when inside it")
    func displayPath() {
        #expect(PersonaProblem.displayPath(for: URL(fileURLWithPath: "/a/b/Personas/x.md"), relativeTo: "/a/b") == "Personas/x.md")
        #expect(PersonaProblem.displayPath(for: URL(fileURLWithPath: "/c/x.md"), relativeTo: "/a/b") == "/c/x.md")
    }

    @Test("placeholders expand case-insensitively and leave other macros alone")
    func placeholders() {
        #expect(PersonaPlaceholders.expand("{{char}} {{ USER }} {{Char}} {{random}} {{", character: "C", user: "U")
                == "C U C {{random}} {{")
    }

    @Test("spelling suggestions")
    func suggestions() {
        #expect(SpellingSuggestion.closest(to: "temprature", among: PersonaFile.knownFields) == "temperature")
        #expect(SpellingSuggestion.closest(to: "max-tokens", among: PersonaFile.knownFields) == "max_tokens")
        #expect(SpellingSuggestion.closest(to: "greting", among: PersonaFile.knownFields) == "greeting")
        #expect(SpellingSuggestion.closest(to: "zzz", among: PersonaFile.knownFields) == nil)
    }
}
