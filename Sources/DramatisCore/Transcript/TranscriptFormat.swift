import Foundation

/// The on-disk shape of a transcript, version 2: one pretty-printed JSON object per file, keys sorted, all snake_case.
///
/// Version 1 (camelCase persona keys, no `summary`) still loads and is written as version 2 on its next save.
/// See docs/transcripts.md. Holds no secret: the backend is described by name, kind and model only.
struct TranscriptDocument: Codable, Sendable {
    /// Identifies the file type.
    static let formatName = "dramatis-transcript"
    /// The version this build writes and the newest it reads.
    static let currentVersion = 2

    /// What a transcript list shows, stored ahead of `turns` so a listing need not decode the turns.
    struct StoredSummary: Codable, Sendable, Hashable {
        var title: String
        var turnCount: Int
        var markCount: Int
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case title
            case turnCount = "turn_count"
            case markCount = "mark_count"
            case updatedAt = "updated_at"
        }
    }

    var format: String
    var version: Int
    var id: String
    var createdAt: Date
    var persona: Persona
    var backend: BackendDescriptor
    var sampling: SamplingParameters
    var replayOf: String?
    var roots: [TurnID]
    var selectedRoot: TurnID?
    /// Written by version 2; ignored when loading (the turns are the truth).
    var summary: StoredSummary?
    var turns: [Turn]

    init(_ conversation: Conversation) {
        format = Self.formatName
        version = Self.currentVersion
        id = conversation.id
        createdAt = conversation.createdAt
        persona = conversation.persona
        backend = conversation.backend
        sampling = conversation.sampling
        replayOf = conversation.replayOf
        roots = conversation.roots
        selectedRoot = conversation.selectedRoot
        turns = conversation.turns
        summary = StoredSummary(title: conversation.title, turnCount: conversation.turns.count,
                                markCount: conversation.markCount, updatedAt: conversation.updatedAt)
    }

    func conversation() throws -> Conversation {
        try Conversation(id: id, createdAt: createdAt, persona: persona, backend: backend, sampling: sampling,
                         replayOf: replayOf, turns: turns, roots: roots, selectedRoot: selectedRoot)
    }

    enum CodingKeys: String, CodingKey {
        case format, version, id, persona, backend, sampling, roots, turns, summary
        case createdAt = "created_at"
        case replayOf = "replay_of"
        case selectedRoot = "selected_root"
    }

    /// Just the header, decoded first so a future version gets a clear message rather than a field error.
    struct Header: Decodable {
        var format: String?
        var version: Int?
    }
}

/// Encoding and decoding of transcript files (deterministic bytes: sorted keys, ISO-8601 UTC dates).
enum TranscriptCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TranscriptDate.string(from: date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = TranscriptDate.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container,
                                                       debugDescription: "\"\(text)\" is not an ISO-8601 UTC date")
            }
            return date
        }
        return decoder
    }

    /// The file bytes for `conversation` (ends with a newline).
    static func encode(_ conversation: Conversation) throws -> Data {
        var data = try encoder().encode(TranscriptDocument(conversation))
        data.append(0x0A)
        return data
    }

    /// Parses file bytes; `path` is used in error messages.
    static func decode(_ data: Data, path: String) throws -> Conversation {
        let header: TranscriptDocument.Header
        do {
            header = try JSONDecoder().decode(TranscriptDocument.Header.self, from: data)
        } catch {
            throw TranscriptError(path: path, problem: describe(error, in: data))
        }
        guard header.format == TranscriptDocument.formatName else {
            throw TranscriptError(path: path, problem: header.format.map { "field \"format\": \"\($0)\" is not \"\(TranscriptDocument.formatName)\"" }
                                  ?? "field \"format\": missing (not a Dramatis transcript)")
        }
        guard let version = header.version else {
            throw TranscriptError(path: path, problem: "field \"version\": missing")
        }
        guard version <= TranscriptDocument.currentVersion, version >= 1 else {
            throw TranscriptError(path: path, problem: "field \"version\": \(version) is newer than this Dramatis reads (up to \(TranscriptDocument.currentVersion)); upgrade Dramatis — the file was left untouched")
        }
        do {
            return try decoder().decode(TranscriptDocument.self, from: data).conversation()
        } catch let error as ConversationError {
            throw TranscriptError(path: path, problem: error.description)
        } catch {
            throw TranscriptError(path: path, problem: describe(error, in: data))
        }
    }

    /// One line naming the field (as a JSON path) and what is wrong, or the line of a syntax error.
    static func describe(_ error: Error, in data: Data) -> String {
        func fieldPath(_ path: [CodingKey]) -> String {
            var result = ""
            for key in path {
                if let index = key.intValue { result += "[\(index)]" } else { result += result.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return result.isEmpty ? "(top level)" : result
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "field \(fieldPath(context.codingPath + [key])): missing"
        case DecodingError.typeMismatch(let type, let context):
            let found = foundKind(context.debugDescription).map { ", found \($0)" } ?? ""
            if context.codingPath.isEmpty { return "expected a JSON object (a transcript) at the top level\(found)" }
            return "field \(fieldPath(context.codingPath)): expected \(kindName(type))\(found)"
        case DecodingError.valueNotFound(let type, let context):
            return "field \(fieldPath(context.codingPath)): expected \(kindName(type)), found null"
        case DecodingError.dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // Checked only on failure (JSONDecoder rejects ill-formed UTF-8 as bad JSON), so valid files pay nothing.
                if let failure = UTF8Validation.firstInvalidByte(in: [UInt8](data)) {
                    return "invalid UTF-8 at line \(failure.line), column \(failure.column) (byte 0x\(String(failure.byte, radix: 16, uppercase: true)) "
                        + "at offset \(failure.offset)); a transcript is UTF-8 JSON"
                }
                return "not valid JSON\(syntaxLocation(context, data: data))"
            }
            return "field \(fieldPath(context.codingPath)): \(invalidValue(context.debugDescription))"
        default:
            return "\(error)"
        }
    }

    /// A JSON kind in words for a Swift type the decoder expected ("text", "a number", …).
    private static func kindName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String", "Character": return "text"
        case "Bool": return "true or false"
        case _ where name.hasPrefix("Dictionary"): return "an object"
        case _ where name.hasPrefix("Array"): return "a list"
        case _ where name.hasPrefix("Int") || name.hasPrefix("UInt") || name == "Double" || name == "Float": return "a number"
        default: return name
        }
    }

    /// What the decoder found instead, from its description ("… but found number instead." → "a number").
    private static func foundKind(_ description: String) -> String? {
        guard let range = description.range(of: #"but found (an? )?[A-Za-z ]+? instead"#, options: .regularExpression) else { return nil }
        let found = description[range].dropFirst("but found ".count).dropLast(" instead".count)
        switch found {
        case "number": return "a number"
        case "string": return "text"
        case "bool", "boolean": return "true or false"
        case "array", "an array": return "a list"
        case "dictionary", "a dictionary", "object", "an object": return "an object"
        case "null": return "null"
        default: return String(found)
        }
    }

    /// "Cannot initialize ChatRole from invalid String value narrator" → a readable message with the allowed values.
    private static func invalidValue(_ description: String) -> String {
        guard let range = description.range(of: #"^Cannot initialize \w+ from invalid \w+ value "#, options: .regularExpression) else {
            return description
        }
        let typeName = description[range].split(separator: " ")[2]
        let value = description[range.upperBound...]
        let allowed: [String]? = switch typeName {
        case "ChatRole": ChatRole.allCases.map(\.rawValue)
        case "Mark": Mark.allCases.map(\.rawValue)
        default: nil
        }
        return "\"\(value)\" is not a valid value" + (allowed.map { " (expected one of: \($0.joined(separator: ", ")))" } ?? "")
    }

    /// " (line N)" for a JSON syntax error when the underlying error names a character index.
    private static func syntaxLocation(_ context: DecodingError.Context, data: Data) -> String {
        var text = "\(context.underlyingError.map { "\($0)" } ?? "") \(context.debugDescription)"
        // JSONDecoder does not say where the syntax error is; JSONSerialization does ("around character N").
        do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch { text += " \(error)" }
        if let range = text.range(of: #"line \d+"#, options: .regularExpression) { return " (\(text[range]))" }
        if let range = text.range(of: #"(character|offset|index) \d+"#, options: .regularExpression),
           let offset = Int(text[range].split(separator: " ").last ?? "") {
            let line = data.prefix(max(0, min(offset, data.count))).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            return " (line \(line))"
        }
        if data.isEmpty { return " (the file is empty)" }
        if text.localizedCaseInsensitiveContains("end of file") { return " (the file ends too early; it may have been cut off)" }
        return ""
    }
}
