import Foundation

/// "Save to persona": writes a conversation's sampling settings back into its persona's file, durably, and lints the
/// file again afterwards.
public enum PersonaSamplingSaver {
    /// What saving did.
    public enum Outcome: Sendable, Hashable {
        /// The file now holds the settings; `changed` lists the keys that changed, in template order.
        case saved(file: String, changed: [String])
        /// The file already held exactly these settings: nothing was written.
        case unchanged(file: String)
        /// No persona file has this id (e.g. a transcript's persona whose file was removed or renamed): nothing was written.
        case noFile(personaID: String)
    }

    /// Saves `sampling` into the file of persona `personaID` found in `directories` (the chat's persona folders).
    public static func save(_ sampling: SamplingParameters, personaID: String, directories: [URL]) throws -> Outcome {
        let library = PersonaLibrary.load(directories: directories)
        guard let entry = library.entries.first(where: { $0.stem == personaID }) else { return .noFile(personaID: personaID) }
        return try save(sampling, toFileAt: entry.source)
    }

    /// Saves `sampling` into the persona file at `url`: only changed keys change (see `PersonaSamplingWriter`); written
    /// with `DurableFile` (whole or not at all, durable when it returns), then read and linted again.
    public static func save(_ sampling: SamplingParameters, toFileAt url: URL) throws -> Outcome {
        let file = PersonaProblem.displayPath(for: url)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PersonaSamplingWriteError(file: file, problem: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PersonaSamplingWriteError(file: file, problem: "the file is not valid UTF-8; fix it first (dramatis personas lint)")
        }
        let (updated, changed) = try PersonaSamplingWriter.update(text, to: sampling, file: file)
        guard !changed.isEmpty else { return .unchanged(file: file) }
        // Through a symlink to the file it names; the file keeps its permissions (DurableFile creates owner-only files).
        let target = url.resolvingSymlinksInPath()
        let permissions = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.posixPermissions]
        try DurableFile.write(Data(updated.utf8), to: target)
        if let permissions { try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: target.path) }
        // Lint what is on disk now, the way `dramatis personas lint` does.
        if case .failure(let problems) = PersonaFile.load(contentsOf: url) {
            throw PersonaSamplingWriteError(file: file, problem: "written, but the file no longer lints: "
                                                + problems.problems.map(\.description).joined(separator: "; "))
        }
        return .saved(file: file, changed: changed.map(\.key))
    }
}
