import Foundation

/// Every persona file found in the persona folders, valid or not: a broken file never hides the good ones.
public struct PersonaLibrary: Sendable {
    /// One persona file: parsed, or with the problems that stop it from parsing.
    public enum Entry: Sendable, Hashable {
        case valid(Persona, source: URL)
        case invalid(source: URL, problems: [PersonaProblem])

        /// The file the entry comes from.
        public var source: URL {
            switch self {
            case .valid(_, let source), .invalid(let source, _): return source
            }
        }

        /// The file stem: the persona id.
        public var stem: String { source.deletingPathExtension().lastPathComponent }

        /// The persona's name, or the file stem when the file is invalid.
        public var displayName: String {
            switch self {
            case .valid(let persona, _): return persona.name
            case .invalid: return stem
            }
        }

        /// The parsed persona, if valid.
        public var persona: Persona? {
            if case .valid(let persona, _) = self { return persona }
            return nil
        }

        /// The problems, empty when valid.
        public var problems: [PersonaProblem] {
            if case .invalid(_, let problems) = self { return problems }
            return []
        }
    }

    /// Entries in lookup order: folder by folder, files sorted by name within a folder.
    public var entries: [Entry]
    /// The folders searched, in order (missing ones included).
    public var directories: [URL]

    /// Creates a library from already-made entries.
    public init(entries: [Entry], directories: [URL] = []) {
        self.entries = entries
        self.directories = directories
    }

    /// The valid personas, in lookup order.
    public var personas: [Persona] { entries.compactMap(\.persona) }

    /// Every problem of every invalid entry.
    public var problems: [PersonaProblem] { entries.flatMap(\.problems) }

    /// The folders to search: `extra` (from `--personas`), then `./Personas/`, then the user folder.
    public static func defaultDirectories(workingDirectory: URL, paths: AppPaths, extra: [URL]) -> [URL] {
        extra + [workingDirectory.appendingPathComponent("Personas", isDirectory: true), paths.userPersonaDirectory]
    }

    /// Loads the standard folders: `extra`, then `./Personas`, then the user folder from `paths`.
    public static func loadDefault(extra: [URL] = [],
                                   workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
                                   paths: AppPaths = .fromEnvironment()) -> PersonaLibrary {
        load(directories: defaultDirectories(workingDirectory: workingDirectory, paths: paths, extra: extra))
    }

    /// Loads every `*.md` file of `directories` (missing folders are skipped, repeated ones read once).
    ///
    /// A later file whose name or stem repeats an earlier one is marked invalid, naming the earlier file.
    public static func load(directories: [URL]) -> PersonaLibrary {
        var seenDirectories = Set<String>()
        var entries: [Entry] = []
        for directory in directories {
            let key = directory.standardizedFileURL.resolvingSymlinksInPath().path
            guard seenDirectories.insert(key).inserted else { continue }
            for file in markdownFiles(in: directory) {
                switch PersonaFile.load(contentsOf: file) {
                case .success(let persona): entries.append(.valid(persona, source: file))
                case .failure(let problems): entries.append(.invalid(source: file, problems: problems.problems))
                }
            }
        }
        return PersonaLibrary(entries: markDuplicates(entries), directories: directories)
    }

    /// Loads the given files and folders (for `personas lint PATH…`).
    public static func load(paths: [URL]) -> PersonaLibrary {
        var entries: [Entry] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory), isDirectory.boolValue {
                entries += load(directories: [path]).entries
            } else {
                switch PersonaFile.load(contentsOf: path) {
                case .success(let persona): entries.append(.valid(persona, source: path))
                case .failure(let problems): entries.append(.invalid(source: path, problems: problems.problems))
                }
            }
        }
        return PersonaLibrary(entries: markDuplicates(entries), directories: [])
    }

    /// The `*.md` files directly inside `directory`, sorted by name.
    static func markdownFiles(in directory: URL) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// Marks later entries that repeat an earlier persona's name or stem as invalid.
    static func markDuplicates(_ entries: [Entry]) -> [Entry] {
        var byName: [String: URL] = [:]
        var byStem: [String: URL] = [:]
        return entries.map { entry in
            guard case .valid(let persona, let source) = entry else { return entry }
            let nameKey = persona.name.lowercased()
            let stemKey = entry.stem.lowercased()
            var problems: [PersonaProblem] = []
            let file = PersonaProblem.displayPath(for: source)
            if let earlier = byName[nameKey], earlier.standardizedFileURL != source.standardizedFileURL {
                problems.append(PersonaProblem(file: file, line: nameLine(in: source), column: 1, field: "name",
                                               message: "duplicate name '\(persona.name)': already used by \(PersonaProblem.displayPath(for: earlier)); rename one of them"))
            } else if let earlier = byStem[stemKey], earlier.standardizedFileURL != source.standardizedFileURL {
                problems.append(PersonaProblem(file: file, line: 1, column: 1, field: nil,
                                               message: "duplicate persona id '\(entry.stem)': \(PersonaProblem.displayPath(for: earlier)) has the same file name; rename one of them"))
            }
            if !problems.isEmpty { return .invalid(source: source, problems: problems) }
            byName[nameKey] = source
            byStem[stemKey] = source
            return entry
        }
    }

    /// The line of the `name:` key in a persona file (1 when not found).
    static func nameLine(in file: URL) -> Int {
        guard let data = try? Data(contentsOf: file) else { return 1 }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.hasPrefix("name:") } ?? 0) + 1
    }

    /// The persona addressed by file stem (`clippy`), name (`Clippy`, case-insensitive) or path to a `.md` file.
    public func resolve(_ nameOrStem: String) throws -> Persona {
        switch lookup(nameOrStem) {
        case .valid(let persona, _)?: return persona
        case .invalid(let source, let problems)?:
            throw PersonaLookupError.invalid(name: nameOrStem, source: source, problems: problems)
        case nil:
            if nameOrStem.hasSuffix(".md") || nameOrStem.contains("/") {
                let url = URL(fileURLWithPath: nameOrStem)
                if FileManager.default.fileExists(atPath: url.path) {
                    switch PersonaFile.load(contentsOf: url) {
                    case .success(let persona): return persona
                    case .failure(let problems):
                        throw PersonaLookupError.invalid(name: nameOrStem, source: url, problems: problems.problems)
                    }
                }
            }
            let known = entries.map(\.stem)
            throw PersonaLookupError.notFound(name: nameOrStem, suggestion: SpellingSuggestion.closest(to: nameOrStem, among: known),
                                              available: known, directories: directories)
        }
    }

    /// The entry addressed by stem (exact, then case-insensitive) or name (case-insensitive).
    public func lookup(_ nameOrStem: String) -> Entry? {
        if let entry = entries.first(where: { $0.stem == nameOrStem }) { return entry }
        let lowered = nameOrStem.lowercased()
        if let entry = entries.first(where: { $0.stem.lowercased() == lowered }) { return entry }
        return entries.first { $0.persona?.name.lowercased() == lowered }
    }
}

/// Why `PersonaLibrary.resolve` found no usable persona.
public enum PersonaLookupError: Error, Sendable, CustomStringConvertible {
    case notFound(name: String, suggestion: String?, available: [String], directories: [URL])
    case invalid(name: String, source: URL, problems: [PersonaProblem])

    /// A message for the terminal, listing problems or the personas that do exist.
    public var description: String {
        switch self {
        case let .notFound(name, suggestion, available, directories):
            var message = "no persona named '\(name)'"
            if let suggestion { message += " (did you mean '\(suggestion)'?)" }
            if available.isEmpty {
                let searched = directories.map { PersonaProblem.displayPath(for: $0) }.joined(separator: ", ")
                message += "; no persona files found in \(searched.isEmpty ? "the persona folders" : searched)"
            } else {
                message += "; available: \(available.joined(separator: ", "))"
            }
            return message
        case let .invalid(name, source, problems):
            return "persona '\(name)' (\(PersonaProblem.displayPath(for: source))) has problems:\n"
                + problems.map { "  \($0.description)" }.joined(separator: "\n")
        }
    }
}
