import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis personas list`: a table of every persona file, broken ones included with their problems.
struct PersonasListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every persona: id, name, description, backend/model and problems.")

    @OptionGroup var location: PersonasLocationOptions

    func run() throws {
        let library = location.library()
        if library.entries.isEmpty {
            let searched = library.directories.map { PersonaProblem.displayPath(for: $0) }.joined(separator: ", ")
            PersonasOutput.out("No persona files found (searched \(searched)). Create one with: dramatis personas new NAME")
            return
        }
        let rows: [[String]] = library.entries.map { entry in
            switch entry {
            case .valid(let persona, _):
                let target = [persona.backend ?? "default", persona.model].compactMap { $0 }.joined(separator: "/")
                // Simulators and judges are tagged: they are for autopilot, not the chat's picker.
                let description = persona.role == .assistant ? persona.description : "[\(persona.role.rawValue)] \(persona.description)"
                return [entry.stem, persona.name, target, description, "ok"]
            case .invalid(_, let problems):
                return [entry.stem, "—", "—", "", problems.count == 1 ? "1 problem" : "\(problems.count) problems"]
            }
        }
        let headers = ["ID", "NAME", "BACKEND/MODEL", "DESCRIPTION", "PROBLEMS"]
        var widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map { DisplayWidth.columns($0) }.max() ?? 0
        }
        widths[0] = min(widths[0], 24)
        widths[1] = min(widths[1], 24)
        widths[2] = min(widths[2], 24)
        let fixed = widths[0] + widths[1] + widths[2] + widths[4] + 8
        widths[3] = max(12, min(widths[3], PersonasOutput.terminalWidth - fixed))
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let cell = PersonasOutput.fit(cells[column], widths[column])
                return column == cells.count - 1 ? cell : PersonasOutput.pad(cell, widths[column])
            }.joined(separator: "  ")
        }
        PersonasOutput.out(line(headers))
        for row in rows { PersonasOutput.out(line(row)) }
        let problems = library.problems
        if !problems.isEmpty {
            PersonasOutput.out("")
            PersonasOutput.out("Problems:")
            for problem in problems { PersonasOutput.out("  \(problem)") }
        }
    }
}
