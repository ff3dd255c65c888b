import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis personas new NAME`: writes a commented persona template and opens `$EDITOR` when interactive.
struct PersonasNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented persona template to Personas/<name>.md and open it in $EDITOR when interactive.")

    @Argument(help: "The persona's name (the file is named after it).")
    var name: String

    @Option(help: ArgumentHelp("Folder to write into.", valueName: "DIR"))
    var dir: String = "Personas"

    @Flag(help: "Do not open an editor.")
    var noEdit = false

    func run() throws {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            PersonasOutput.err("error: the name cannot be empty")
            throw ExitCode(1)
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let folder = URL(fileURLWithPath: dir, isDirectory: true, relativeTo: cwd).standardizedFileURL
        let file = folder.appendingPathComponent(CharacterCardConversion.stem(for: trimmed) + ".md")
        let shown = PersonaProblem.displayPath(for: file)
        if FileManager.default.fileExists(atPath: file.path) {
            PersonasOutput.err("error: \(shown) exists already; edit it, or choose another name")
            throw ExitCode(1)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(PersonaTemplate.text(name: trimmed).utf8).write(to: file, options: .withoutOverwriting)
        PersonasOutput.out("wrote \(shown)")
        let environment = ProcessInfo.processInfo.environment
        let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 }
        guard !noEdit, let editor, isatty(0) == 1, isatty(1) == 1 else {
            PersonasOutput.out("edit it, then check it with: dramatis personas lint \(shown)")
            return
        }
        // The editor command may carry arguments (`code -w`), so the shell splits it; the path is passed as "$1".
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "sh", file.path]
        try process.run()
        process.waitUntilExit()
        switch PersonaFile.load(contentsOf: file) {
        case .success(let persona): PersonasOutput.out("\(shown): valid (\(persona.name))")
        case .failure(let problems):
            for problem in problems.problems { PersonasOutput.out(problem.description) }
            throw ExitCode(1)
        }
    }
}
