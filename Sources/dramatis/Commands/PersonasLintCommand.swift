import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis personas lint [PATH…]`: checks persona files and lists every problem; exit status 1 when any is invalid.
struct PersonasLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check persona files (default: every persona folder); exit 1 listing every problem when any is invalid.")

    @OptionGroup var location: PersonasLocationOptions
    @OptionGroup var datasetLocation: DatasetLocationOptions

    @Argument(help: "Persona files or folders to check.")
    var paths: [String] = []

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        var missing: [String] = []
        let library: PersonaLibrary
        if paths.isEmpty {
            library = location.library()
        } else {
            let urls = paths.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
            missing = zip(paths, urls).filter { !FileManager.default.fileExists(atPath: $0.1.path) }.map(\.0)
            library = PersonaLibrary.load(paths: urls.filter { FileManager.default.fileExists(atPath: $0.path) })
        }
        for path in missing { PersonasOutput.out("\(path): no such file or folder") }
        for problem in library.problems { PersonasOutput.out(problem.description) }
        let adapterProblems = Self.adapterProblems(library, datasetRoot: datasetLocation.root)
        for problem in adapterProblems { PersonasOutput.out(problem) }
        let invalid = library.entries.filter { !$0.problems.isEmpty }.count + adapterProblems.count
        let files = library.entries.count
        if files == 0, missing.isEmpty {
            PersonasOutput.out("no persona files found")
            throw ExitCode(1)
        }
        let summary = "\(files) persona file\(files == 1 ? "" : "s") checked: \(files - invalid) valid, \(invalid) invalid"
            + (library.problems.isEmpty ? "" : ", \(library.problems.count) problem\(library.problems.count == 1 ? "" : "s")")
        if invalid > 0 || !missing.isEmpty {
            PersonasOutput.err(summary)
            throw ExitCode(1)
        }
        PersonasOutput.out(summary)
    }

    /// `FILE:LINE: adapter: …` for each valid persona whose `adapter:` names no finished training run.
    static func adapterProblems(_ library: PersonaLibrary, datasetRoot: URL) -> [String] {
        library.entries.compactMap { entry -> String? in
            guard let persona = entry.persona, let adapter = persona.adapter else { return nil }
            do {
                _ = try TrainingRuns(datasetRoot: datasetRoot, personaID: persona.id).resolve(adapter)
                return nil
            } catch {
                let text = (try? String(contentsOf: entry.source, encoding: .utf8)) ?? ""
                let line = (text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("adapter:") } ?? 0) + 1
                return "\(entry.source.path):\(line):1: adapter: \(error)"
            }
        }
    }
}
