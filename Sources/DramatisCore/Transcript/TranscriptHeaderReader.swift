import Foundation

/// Reads a transcript's summary from the start and end of its file, without decoding its turns.
///
/// A version-2 file written by Dramatis has sorted keys, so everything but `turns` and `version` comes before
/// the top-level `"turns"` key (at two spaces' indent: a JSON string cannot hold a raw newline, so that
/// byte sequence is always structure) and `version` is the last key. The reader decodes that prefix as its
/// own small object and the version from the tail. Anything else (version 1, a hand-edited layout, a newer
/// version, a damaged file) returns nil, and the caller decodes the whole file, which also gives the error.
enum TranscriptHeaderReader {
    /// The top-level fields a listing needs (unknown keys, such as the persona's prompt, are skipped).
    private struct Header: Decodable {
        struct PersonaHeader: Decodable {
            var id: String
            var name: String
            var model: String?
        }
        var format: String
        var id: String
        var createdAt: Date
        var persona: PersonaHeader
        var backend: BackendDescriptor
        var replayOf: String?
        var summary: TranscriptDocument.StoredSummary

        enum CodingKeys: String, CodingKey {
            case format, id, persona, backend, summary
            case createdAt = "created_at"
            case replayOf = "replay_of"
        }
    }

    /// The marker that starts the top-level `turns` key.
    private static let turnsKey = Data("\n  \"turns\"".utf8)
    /// How much of a file's start is read at most looking for `turns` (a persona with huge examples falls back).
    private static let maximumPrefix = 4 << 20

    /// The summary of the version-2 transcript at `url`, or nil when only a full decode can tell.
    static func summary(of url: URL) -> TranscriptSummary? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let prefix = readPrefix(handle), let version = readVersion(handle),
              version == TranscriptDocument.currentVersion else { return nil }
        var object = prefix
        while let last = object.last, last == 0x20 || last == 0x0A || last == 0x0D || last == 0x09 { object.removeLast() }
        guard object.last == UInt8(ascii: ",") else { return nil }
        object.removeLast()
        object += Array("\n}".utf8)
        guard let header = try? TranscriptCoding.decoder().decode(Header.self, from: Data(object)),
              header.format == TranscriptDocument.formatName else { return nil }
        return TranscriptSummary(id: header.id, url: url, createdAt: header.createdAt, updatedAt: header.summary.updatedAt,
                                 personaID: header.persona.id, personaName: header.persona.name,
                                 backend: header.backend.name, model: header.persona.model ?? header.backend.model,
                                 turnCount: header.summary.turnCount, markCount: header.summary.markCount,
                                 title: header.summary.title, replayOf: header.replayOf)
    }

    /// The bytes before the top-level `"turns"` key, read in 64 KiB pieces.
    private static func readPrefix(_ handle: FileHandle) -> [UInt8]? {
        var bytes = Data()
        while bytes.count < maximumPrefix {
            guard let piece = try? handle.read(upToCount: 64 << 10), !piece.isEmpty else { return nil }
            // Search only the new piece, and the key's length before it in case the key straddles two pieces.
            let start = max(0, bytes.count - turnsKey.count)
            bytes.append(piece)
            if let found = bytes.range(of: turnsKey, in: start..<bytes.count) { return [UInt8](bytes[..<found.lowerBound]) }
        }
        return nil
    }

    /// The `version` number closing the file (`"version" : 2\n}\n`).
    private static func readVersion(_ handle: FileHandle) -> Int? {
        guard let size = try? handle.seekToEnd(), size > 0 else { return nil }
        let tailLength = min(size, 128)
        guard (try? handle.seek(toOffset: size - tailLength)) != nil,
              let tail = try? handle.read(upToCount: Int(tailLength)) else { return nil }
        let text = String(decoding: tail, as: UTF8.self)
        guard let range = text.range(of: #""version"\s*:\s*[0-9]+\s*\}\s*$"#, options: .regularExpression) else { return nil }
        return Int(text[range].filter(\.isNumber))
    }
}
