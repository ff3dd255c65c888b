import Foundation

/// Imports character-card files as persona files: every card is read, converted and checked before anything is written.
public enum CharacterCardImporter {
    /// A persona file ready to be written.
    public struct PlannedFile: Sendable, Hashable {
        public var card: URL
        public var destination: URL
        public var text: String
        public var warnings: [String]
    }

    /// Reads and converts every card; fails with every error found, in which case nothing may be written.
    ///
    /// A destination that exists already (or two cards with the same file stem) is an error unless `overwrite`.
    public static func plan(cards: [URL], outputDirectory: URL, overwrite: Bool = false) -> Result<[PlannedFile], CharacterCardErrors> {
        var planned: [PlannedFile] = []
        var errors: [CharacterCardError] = []
        var destinations: [String: URL] = [:]
        for card in cards {
            let file = PersonaProblem.displayPath(for: card)
            do {
                let data: Data
                do {
                    data = try Data(contentsOf: card)
                } catch {
                    throw CharacterCardError(file: file, message: "cannot read the file: \(error.localizedDescription)")
                }
                let decoded = try CharacterCardDecoder.decode(data: data, file: file)
                let output = try CharacterCardConversion.convert(decoded, sourceName: card.lastPathComponent)
                let destination = outputDirectory.appendingPathComponent(output.stem + ".md")
                if let other = destinations[destination.path] {
                    throw CharacterCardError(file: file, message: "would write \(PersonaProblem.displayPath(for: destination)), like \(PersonaProblem.displayPath(for: other)); import them separately")
                }
                if !overwrite, FileManager.default.fileExists(atPath: destination.path) {
                    throw CharacterCardError(file: file, message: "\(PersonaProblem.displayPath(for: destination)) exists already (use --force to replace it)")
                }
                let text = output.document.text
                // Self-check: what we write must read back as a valid persona.
                if case .failure(let problems) = PersonaFile.parse(data: Data(text.utf8), source: destination) {
                    throw CharacterCardError(file: file, message: "internal error: the converted persona does not parse:\n\(problems)")
                }
                destinations[destination.path] = card
                planned.append(PlannedFile(card: card, destination: destination, text: text, warnings: output.warnings))
            } catch let error as CharacterCardError {
                errors.append(error)
            } catch {
                errors.append(CharacterCardError(file: file, message: "\(error)"))
            }
        }
        return errors.isEmpty ? .success(planned) : .failure(CharacterCardErrors(errors))
    }

    /// Writes planned files atomically, creating the output folder when needed.
    public static func write(_ files: [PlannedFile]) throws {
        for file in files {
            try FileManager.default.createDirectory(at: file.destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: file.destination, options: .atomic)
        }
    }
}
