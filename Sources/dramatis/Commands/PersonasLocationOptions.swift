import ArgumentParser
import DramatisCore
import Foundation

/// The `--personas DIR` option shared by the persona commands, and the library it selects.
struct PersonasLocationOptions: ParsableArguments {
    @Option(name: .customLong("personas"), help: ArgumentHelp("Extra persona folder, searched before ./Personas and the user folder (repeatable).", valueName: "DIR"))
    var extraDirectories: [String] = []

    /// The folders searched, in order.
    var directories: [URL] {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let extra = extraDirectories.map { URL(fileURLWithPath: $0, isDirectory: true, relativeTo: cwd).standardizedFileURL }
        return PersonaLibrary.defaultDirectories(workingDirectory: ProjectLocation.current().baseDirectory, paths: AppPaths.fromEnvironment(), extra: extra)
    }

    /// Every persona file in those folders.
    func library() -> PersonaLibrary { PersonaLibrary.load(directories: directories) }
}

/// Output helpers for the persona commands: everything printed passes through `TerminalSanitizer`.
enum PersonasOutput {
    /// Prints sanitized text to standard output.
    static func out(_ text: String) {
        print(TerminalSanitizer.sanitize(text))
    }

    /// Prints sanitized text to standard error.
    static func err(_ text: String) {
        FileHandle.standardError.write(Data((TerminalSanitizer.sanitize(text) + "\n").utf8))
    }

    /// `text` cut to at most `width` terminal columns, ending in `…` when cut; newlines become spaces.
    static func fit(_ text: String, _ width: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        if DisplayWidth.columns(flat) <= width { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let columns = DisplayWidth.columns(character)
            if used + columns > width - 1 { break }
            result.append(character)
            used += columns
        }
        return result + "…"
    }

    /// `text` padded with spaces to `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - DisplayWidth.columns(text)))
    }

    /// The terminal width from `COLUMNS`, else 100.
    static var terminalWidth: Int {
        if let value = ProcessInfo.processInfo.environment["COLUMNS"], let width = Int(value), width >= 40 { return width }
        return 100
    }
}
