import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

@Suite("PersonaLibrary")
struct PersonaLibraryTests {
    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test("a broken file is listed with its problems and does not hide the good ones")
    func brokenFileDoesNotHideGoodOnes() throws {
        let temp = try TemporaryDirectory()
        let folder = temp.path("Personas")
        try Self.write("---\nname: Good\n---\nBe good.\n", to: folder.appendingPathComponent("good.md"))
        try Self.write("---\nname: Bad\ntemperature: hot\n---\nBe bad.\n", to: folder.appendingPathComponent("bad.md"))
        try Self.write("not a persona", to: folder.appendingPathComponent("notes.txt"))
        let library = PersonaLibrary.load(directories: [folder])
        #expect(library.entries.map(\.stem) == ["bad", "good"])
        #expect(library.personas.map(\.name) == ["Good"])
        #expect(library.entries[0].problems.count == 1)
        #expect(library.entries[0].problems[0].line == 3)
        #expect(library.entries[0].problems[0].field == "temperature")
        #expect(try library.resolve("good").name == "Good")
        #expect(throws: PersonaLookupError.self) { try library.resolve("bad") }
    }

    @Test("a persona is addressed by stem or by name, case-insensitively")
    func resolveByStemOrName() throws {
        let temp = try TemporaryDirectory()
        let folder = temp.path("p")
        try Self.write("---\nname: Captain Saltbeard\n---\nArr.\n", to: folder.appendingPathComponent("pirate.md"))
        let library = PersonaLibrary.load(directories: [folder])
        #expect(try library.resolve("pirate").id == "pirate")
        #expect(try library.resolve("captain saltbeard").id == "pirate")
        #expect(try library.resolve("PIRATE").id == "pirate")
        do {
            _ = try library.resolve("pirat")
            Issue.record("an unknown persona resolved")
        } catch let error as PersonaLookupError {
            #expect(error.description == "no persona named 'pirat' (did you mean 'pirate'?); available: pirate")
        }
    }

    @Test("duplicate names across folders: the first folder wins, the later file is invalid and names the earlier")
    func duplicateNamesAcrossFolders() throws {
        let temp = try TemporaryDirectory()
        let first = temp.path("one"), second = temp.path("two")
        try Self.write("---\nname: Clippy\n---\nA.\n", to: first.appendingPathComponent("clippy.md"))
        try Self.write("---\ndescription: copy\nname: clippy\n---\nB.\n", to: second.appendingPathComponent("paperclip.md"))
        try Self.write("---\nname: Other\n---\nC.\n", to: second.appendingPathComponent("clippy.md"))
        let library = PersonaLibrary.load(directories: [first, second])
        #expect(library.entries.count == 3)
        #expect(library.personas.map(\.systemPrompt) == ["A."])
        let problems = library.problems
        #expect(problems.count == 2)
        // two/clippy.md repeats the stem; two/paperclip.md repeats the name (line 3 holds `name:`).
        #expect(problems[0].description.contains("duplicate persona id 'clippy'"))
        #expect(problems[1].line == 3)
        #expect(problems[1].field == "name")
        #expect(problems[1].description.contains("duplicate name 'clippy': already used by \(PersonaProblem.displayPath(for: first.appendingPathComponent("clippy.md")))"))
        #expect(try library.resolve("clippy").systemPrompt == "A.")
    }

    @Test("the same folder given twice is read once; missing folders are skipped")
    func repeatedAndMissingFolders() throws {
        let temp = try TemporaryDirectory()
        let folder = temp.path("p")
        try Self.write("---\nname: A\n---\nA.\n", to: folder.appendingPathComponent("a.md"))
        let library = PersonaLibrary.load(directories: [folder, temp.path("missing"), URL(fileURLWithPath: folder.path + "/")])
        #expect(library.entries.count == 1)
        #expect(library.problems.isEmpty)
    }

    @Test("default directories: --personas first, then ./Personas, then the XDG config folder")
    func defaultDirectories() {
        let paths = AppPaths.fromEnvironment(["HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg"])
        let directories = PersonaLibrary.defaultDirectories(workingDirectory: URL(fileURLWithPath: "/work"), paths: paths,
                                                            extra: [URL(fileURLWithPath: "/extra")])
        #expect(directories.map(\.path) == ["/extra", "/work/Personas", "/cfg/dramatis/personas"])
    }
}

@Suite("Persona shipped library")
struct PersonaShippedLibraryTests {
    static let folder = BuiltProducts.packageRoot.appendingPathComponent("Personas", isDirectory: true)

    @Test("every file in Personas/ is valid")
    func everyShippedPersonaIsValid() {
        let library = PersonaLibrary.load(directories: [Self.folder])
        #expect(library.problems.map(\.description) == [])
        #expect(library.entries.count >= 9)
        for persona in library.personas {
            #expect(!persona.description.isEmpty, "\(persona.id) has no description")
            #expect(!persona.systemPrompt.contains("{{"), "\(persona.id) has an unexpanded placeholder")
        }
    }

    @Test("the required personas exist", arguments: [
        "default", "clippy", "tutor", "code-reviewer", "support", "socratic-coach", "pirate", "translator", "json-extractor",
    ])
    func requiredPersonaExists(_ id: String) throws {
        let persona = try PersonaLibrary.load(directories: [Self.folder]).resolve(id)
        #expect(persona.id == id)
    }

    @Test("clippy carries Azure's exact sentence and few-shot examples")
    func clippy() throws {
        let clippy = try PersonaLibrary.load(directories: [Self.folder]).resolve("clippy")
        #expect(clippy.systemPrompt.hasPrefix("Clippy is a factual chatbot that is also sarcastic."))
        #expect(clippy.examples.count >= 3)
        #expect(clippy.preambleMessages.first == .system(clippy.systemPrompt))
    }
}
