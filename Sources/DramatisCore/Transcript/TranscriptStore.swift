import Foundation

/// Saves, loads and lists transcripts: one JSON file per conversation in one folder.
///
/// Saving is atomic and durable (see `DurableFile`). A file that exists but does not load
/// (malformed, or written by a newer version) is never overwritten.
public final class TranscriptStore: Sendable {
    /// The folder holding `<id>.json` files (subfolders such as `examples/` are listed too).
    public let directory: URL
    /// Ids this store wrote or loaded successfully: safe to overwrite without re-reading.
    /// (`KnownIDs` holds them behind a lock, so the store is shareable across tasks.)
    private let known = KnownIDs()

    /// A store rooted at `directory` (created with 0700 permissions on first save).
    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// The file a conversation with `id` is saved to.
    public func url(for id: String) -> URL {
        directory.appendingPathComponent("\(id).json")
    }

    /// Writes the transcript durably (fsynced before return). Refuses to replace an unreadable file.
    public func save(_ conversation: Conversation) throws {
        let url = url(for: conversation.id)
        guard Self.isValidID(conversation.id) else {
            throw TranscriptError(path: url.path, problem: "conversation id \"\(conversation.id)\" is not a safe file name (letters, digits, '-', '_', '.'; not starting with '.')")
        }
        if !known.contains(conversation.id), FileManager.default.fileExists(atPath: url.path) {
            // An existing file we have not read: make sure it is a transcript we may replace.
            let existing = try load(url)
            guard existing.id == conversation.id else {
                throw TranscriptError(path: url.path, problem: "holds conversation \"\(existing.id)\", not \"\(conversation.id)\"; not overwritten")
            }
        }
        try DurableFile.write(try TranscriptCoding.encode(conversation), to: url)
        known.insert(conversation.id)
    }

    /// Reads and validates a transcript file.
    public func load(_ url: URL) throws -> Conversation {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TranscriptError(path: url.path, problem: "cannot read: \((error as NSError).localizedDescription)")
        }
        let conversation = try TranscriptCoding.decode(data, path: url.path)
        if url.standardizedFileURL == self.url(for: conversation.id).standardizedFileURL {
            known.insert(conversation.id)
        }
        return conversation
    }

    /// Loads by id (`<directory>/<id>.json`, or a file named `<id>.json` in a subfolder) or by path.
    public func load(idOrPath: String) throws -> Conversation {
        let direct = url(for: idOrPath)
        if FileManager.default.fileExists(atPath: direct.path) { return try load(direct) }
        if idOrPath.contains("/") || idOrPath.hasSuffix(".json") {
            return try load(URL(fileURLWithPath: idOrPath))
        }
        if let match = transcriptFiles().first(where: { $0.deletingPathExtension().lastPathComponent == idOrPath }) {
            return try load(match)
        }
        throw TranscriptError(path: direct.path, problem: "no transcript with id \"\(idOrPath)\" in \(directory.path)")
    }

    /// Every transcript file, newest first (by id, which starts with the date); bad files are listed with their error.
    ///
    /// A version-2 file is listed from its stored summary without decoding its turns, unless `verifying`,
    /// which decodes every file in full so a damaged turn shows here rather than when the file is opened.
    public func list(verifying: Bool = false) -> [TranscriptListing] {
        transcriptFiles().map { url in
            if !verifying, let summary = TranscriptHeaderReader.summary(of: url) { return .valid(summary) }
            do {
                return .valid(TranscriptSummary(try load(url), url: url))
            } catch let error as TranscriptError {
                return .invalid(url, error.problem)
            } catch {
                return .invalid(url, "\(error)")
            }
        }
    }

    /// Loads every readable transcript directly in `directory` (not subfolders), oldest first, with the failures.
    public func loadAll(includeSubfolders: Bool = false) -> (conversations: [Conversation], failures: [TranscriptError]) {
        var conversations: [Conversation] = []
        var failures: [TranscriptError] = []
        for url in transcriptFiles(recursive: includeSubfolders).reversed() {
            do {
                conversations.append(try load(url))
            } catch let error as TranscriptError {
                failures.append(error)
            } catch {
                failures.append(TranscriptError(path: url.path, problem: "\(error)"))
            }
        }
        return (conversations, failures)
    }

    /// `.json` files under `directory`, skipping hidden and temporary files, newest name first.
    public func transcriptFiles(recursive: Bool = true) -> [URL] {
        let fileManager = FileManager.default
        var result: [URL] = []
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory.path) else { return [] }
        for name in names where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if recursive {
                    result += TranscriptStore(directory: url).transcriptFiles(recursive: true)
                }
            } else if name.hasSuffix(".json") {
                result.append(url)
            }
        }
        return result.sorted { $0.lastPathComponent == $1.lastPathComponent ? $0.path > $1.path : $0.lastPathComponent > $1.lastPathComponent }
    }

    /// The exact bytes `save` writes for `conversation` (pretty JSON, sorted keys, trailing newline).
    public static func fileData(for conversation: Conversation) throws -> Data {
        try TranscriptCoding.encode(conversation)
    }

    /// Parses transcript file bytes exactly as `load` does, without the disk (fuzzing, tools); `path` names it in errors.
    public static func conversation(fromFileData data: Data, path: String) throws -> Conversation {
        try TranscriptCoding.decode(data, path: path)
    }

    /// Whether `id` is usable as a file stem: 1–200 of `A–Z a–z 0–9 - _ .`, not starting with a dot.
    public static func isValidID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 200, !id.hasPrefix(".") else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    /// A new sortable id: `20261122-034500-clippy-1a2b` (UTC time, persona id, random suffix).
    public static func newConversationID(personaID: String, date: Date) -> String {
        let stamp = TranscriptDate.string(from: date)   // 2026-11-22T03:45:00.123Z
        let digits = stamp.filter(\.isNumber)            // 20261122034500123
        let day = digits.prefix(8), time = digits.dropFirst(8).prefix(6)
        let safePersona = String(personaID.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" ? $0 : "-" }.prefix(40))
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(day)-\(time)-\(safePersona.isEmpty ? "persona" : safePersona)-\(String(repeating: "0", count: 4 - suffix.count))\(suffix)"
    }
}

/// A locked set of ids (a class with a lock, so the store can be shared across tasks).
private final class KnownIDs: @unchecked Sendable {
    // @unchecked: every access to `ids` goes through `lock`.
    private let lock = NSLock()
    private var ids: Set<String> = []

    func contains(_ id: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return ids.contains(id)
    }

    func insert(_ id: String) {
        lock.lock(); defer { lock.unlock() }
        ids.insert(id)
    }
}
