import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis personas import CARD…`: converts character cards (JSON or PNG; V1, V2, V3) into persona files.
struct PersonasImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import SillyTavern-style character cards (.json or .png; V1, V2, V3) as persona files. Writes nothing if any card fails.")

    @Argument(help: "Character card files (.json or .png).")
    var cards: [String]

    @Option(help: ArgumentHelp("Folder to write the persona files into.", valueName: "DIR"))
    var out: String = "Personas"

    @Flag(help: "Replace persona files that exist already.")
    var force = false

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let urls = cards.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        let folder = URL(fileURLWithPath: out, isDirectory: true, relativeTo: cwd).standardizedFileURL
        switch CharacterCardImporter.plan(cards: urls, outputDirectory: folder, overwrite: force) {
        case .failure(let errors):
            for error in errors.errors { PersonasOutput.err("error: \(error)") }
            PersonasOutput.err("nothing written")
            throw ExitCode(1)
        case .success(let files):
            try CharacterCardImporter.write(files)
            for file in files {
                PersonasOutput.out("wrote \(PersonaProblem.displayPath(for: file.destination)) (from \(PersonaProblem.displayPath(for: file.card)))")
                for warning in file.warnings { PersonasOutput.err("  warning: \(warning)") }
            }
        }
    }
}
