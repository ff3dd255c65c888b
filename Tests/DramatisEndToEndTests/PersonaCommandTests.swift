import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// End-to-end tests of `dramatis personas …`, run against the built binary in an isolated folder.
@Suite("Persona commands")
struct PersonaCommandTests {
    /// A scratch folder used as working directory, HOME and XDG_CONFIG_HOME, so no real persona folder leaks in.
    final class Sandbox: Sendable {
        let temp: TemporaryDirectory
        var root: URL { temp.url }

        init() throws { temp = try TemporaryDirectory(prefix: "dramatis-personas") }

        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = root.path
            environment["XDG_CONFIG_HOME"] = root.appendingPathComponent("config").path
            environment["COLUMNS"] = "160"
            environment.removeValue(forKey: "EDITOR")
            environment.removeValue(forKey: "VISUAL")
            return environment
        }

        /// The built `dramatis`. `BuiltProducts.dramatis` looks one folder too high on Linux (where
        /// `Bundle.main.bundleURL` is already the build folder), so the build folder itself is tried too.
        static var binary: URL {
            let candidates = [BuiltProducts.dramatis,
                              Bundle.main.bundleURL.appendingPathComponent("dramatis"),
                              BuiltProducts.packageRoot.appendingPathComponent(".build/debug/dramatis")]
            return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
        }

        func run(_ arguments: [String], in directory: URL? = nil) async throws -> ProcessResult {
            try await ProcessRunner.run(Self.binary, ["personas"] + arguments, environment: environment,
                                  currentDirectory: directory ?? root)
        }

        func write(_ text: String, _ relativePath: String) throws {
            let url = root.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func write(_ data: Data, _ relativePath: String) throws {
            let url = root.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }

        func exists(_ relativePath: String) -> Bool {
            FileManager.default.fileExists(atPath: root.appendingPathComponent(relativePath).path)
        }
    }

    /// The JSON printed by `personas show --json`.
    struct Shown: Decodable {
        var persona: Persona
        var messages: [ChatMessage]
    }

    static func shown(_ result: ProcessResult) throws -> Shown {
        try JSONDecoder().decode(Shown.self, from: Data(result.stdout.utf8))
    }

    @Test("lint lists every problem with file:line:column and exits 1; a clean folder exits 0")
    func lint() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("---\nname: Good\n---\nBe good.\n", "Personas/good.md")
        try sandbox.write("---\nname: Bad\ntemperature: hot\nmax_tokens: -5\n---\nBe bad.\n", "Personas/bad.md")
        let failing = try await sandbox.run(["lint"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("Personas/bad.md:3:14: temperature: expected a number between 0 and 2, got \"hot\""))
        #expect(failing.stdout.contains("Personas/bad.md:4:13: max_tokens: expected a positive whole number, got -5"))
        #expect(failing.stderr.contains("2 persona files checked: 1 valid, 1 invalid, 2 problems"))
        let passing = try await sandbox.run(["lint", "Personas/good.md"])
        #expect(passing.status == 0)
        #expect(passing.stdout.contains("1 persona file checked: 1 valid, 0 invalid"))
        let missing = try await sandbox.run(["lint", "Personas/nope.md"])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("Personas/nope.md: no such file or folder"))
    }

    @Test("the shipped library lints clean")
    func shippedLibraryLintsClean() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["lint"], in: BuiltProducts.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("list shows broken personas next to the good ones, with their problems")
    func list() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("---\nname: Good One\ndescription: Works fine.\nmodel: smol\n---\nBe good.\n", "Personas/good.md")
        try sandbox.write("---\nname: Bad\ncolour: red\n---\nBe bad.\n", "extra/bad.md")
        let result = try await sandbox.run(["list", "--personas", "extra"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.contains { $0.hasPrefix("bad ") && $0.hasSuffix("1 problem") })
        #expect(lines.contains { $0.hasPrefix("good ") && $0.contains("Good One") && $0.contains("default/smol") && $0.contains("Works fine.") && $0.hasSuffix("ok") })
        #expect(result.stdout.contains("extra/bad.md:3:1: colour: unknown setting"))
    }

    @Test("show prints the resolved persona and the exact messages, placeholders expanded")
    func show() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("""
            ---
            name: Tess
            user_name: Sam
            temperature: 0.3
            greeting: Hi {{user}}!
            examples:
              - user: Who are you?
                assistant: I am {{char}}.
            ---
            You are {{char}}, helping {{user}}.
            """, "Personas/tess.md")
        let json = try Self.shown(try await sandbox.run(["show", "tess", "--json"]))
        #expect(json.messages == [.system("You are Tess, helping Sam."), .user("Who are you?"), .assistant("I am Tess."), .assistant("Hi Sam!")])
        #expect(json.persona.sampling.temperature == 0.3)
        let text = try await sandbox.run(["show", "Tess"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("You are Tess, helping Sam."))
        #expect(text.stdout.contains("temperature 0.3"))
        let unknown = try await sandbox.run(["show", "tes"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no persona named 'tes' (did you mean 'tess'?)"))
    }

    @Test("show of the shipped clippy sends Azure's sentence and its few-shot examples")
    func showClippy() async throws {
        let sandbox = try Sandbox()
        let json = try Self.shown(try await sandbox.run(["show", "clippy", "--json"], in: BuiltProducts.packageRoot))
        #expect(json.messages.first?.role == .system)
        #expect(json.messages.first?.content.hasPrefix("Clippy is a factual chatbot that is also sarcastic.") == true)
        #expect(json.messages.filter { $0.role == .user }.count >= 3)
    }

    @Test("import: JSON (V1, V2, V3) and PNG cards round-trip through personas show")
    func importRoundTrip() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(CardFixtures.json(CardFixtures.v2), "cards/alice.json")
        try sandbox.write(CardFixtures.json(CardFixtures.v1), "cards/bob.json")
        try sandbox.write(CardFixtures.json(CardFixtures.v3(name: "Carol")), "cards/carol.json")
        try sandbox.write(CardFixtures.png(text: [("chara", CardFixtures.base64(CardFixtures.v2)),
                                                  ("ccv3", CardFixtures.base64(CardFixtures.v3(name: "Dora")))]), "cards/dora.png")
        let result = try await sandbox.run(["import", "cards/alice.json", "cards/bob.json", "cards/carol.json", "cards/dora.png", "--out", "imported"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote imported/alice.md (from cards/alice.json)"))
        for stem in ["alice", "bob", "carol", "dora"] { #expect(sandbox.exists("imported/\(stem).md")) }

        let alice = try Self.shown(try await sandbox.run(["show", "alice", "--personas", "imported", "--json"]))
        #expect(alice.persona.name == "Alice")
        #expect(alice.messages.first == .system("""
            You are Alice.

            Alice is a librarian in a small town.

            Alice's personality: cheerful, curious

            Scenario: User visits the library on a rainy day.
            """))
        #expect(alice.messages.dropFirst() == [.user("Do you have maps?"), .assistant("Oh, dozens!\nWhich country?"),
                                               .user("Hi"), .assistant("Hello, User."),
                                               .assistant("Welcome in, User! Dry off by the fire.")])
        #expect(alice.persona.alternateGreetings == ["Oh! A visitor, User."])
        #expect(!alice.messages.map(\.content).joined().contains("SECRET"))

        let dora = try Self.shown(try await sandbox.run(["show", "dora", "--personas", "imported", "--json"]))
        #expect(dora.persona.name == "Dora")   // from the ccv3 chunk, not the chara one
        let bob = try Self.shown(try await sandbox.run(["show", "Bob", "--personas", "imported", "--json"]))
        #expect(bob.messages.last == .assistant("What do you want, User?"))
        #expect(try await sandbox.run(["lint", "imported"]).status == 0)

        // A second import of the same card does not overwrite without --force.
        let again = try await sandbox.run(["import", "cards/alice.json", "--out", "imported"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("imported/alice.md exists already (use --force to replace it)"))
        #expect(try await sandbox.run(["import", "cards/alice.json", "--out", "imported", "--force"]).status == 0)
    }

    @Test("import with one broken card prints a clear error and writes nothing")
    func importFailureWritesNothing() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(CardFixtures.json(CardFixtures.v2), "cards/alice.json")
        try sandbox.write(CardFixtures.png(text: [("Comment", "no card here")]), "cards/empty.png")
        let result = try await sandbox.run(["import", "cards/alice.json", "cards/empty.png", "--out", "out"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cards/empty.png: no character card inside"))
        #expect(result.stderr.contains("nothing written"))
        #expect(!sandbox.exists("out"))
    }

    @Test("new writes a valid commented template and refuses to overwrite")
    func newTemplate() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["new", "Night Owl", "--no-edit"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("wrote Personas/night-owl.md"))
        let persona = try await sandbox.run(["show", "night-owl", "--json"])
        #expect(try Self.shown(persona).persona.name == "Night Owl")
        #expect(try await sandbox.run(["lint"]).status == 0)
        let again = try await sandbox.run(["new", "Night Owl", "--no-edit"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("Personas/night-owl.md exists already"))
    }

    @Test("the template parses and documents every setting")
    func templateParses() throws {
        let text = PersonaTemplate.text(name: "Tricky \"name\": yes")
        let persona = try PersonaFile.parse(data: Data(text.utf8), source: URL(fileURLWithPath: "/x/t.md")).get()
        #expect(persona.name == "Tricky \"name\": yes")
        for field in PersonaFile.knownFields where !["presence_penalty", "frequency_penalty"].contains(field) {
            #expect(text.contains("\(field):"), "template does not mention \(field)")
        }
    }
}
