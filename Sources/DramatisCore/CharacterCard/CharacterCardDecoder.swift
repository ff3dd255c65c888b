import Foundation

/// Decodes character cards from JSON bytes or from PNG files carrying them in `tEXt` chunks.
public enum CharacterCardDecoder {
    /// Reads a card from `.json` bytes or PNG bytes (detected by signature); `file` names it in errors.
    public static func decode(data: Data, file: String) throws(CharacterCardError) -> CharacterCard {
        let bytes = [UInt8](data)
        if PNGChunks.hasSignature(bytes) { return try decodePNG(bytes, file: file) }
        if file.lowercased().hasSuffix(".png") {
            throw CharacterCardError(file: file, message: "not a PNG file (the PNG signature is missing)")
        }
        return try decodeJSON(data, file: file, origin: "")
    }

    /// Reads the card inside a PNG: `ccv3` wins over `chara` when both exist.
    public static func decodePNG(_ bytes: [UInt8], file: String) throws(CharacterCardError) -> CharacterCard {
        let chunks: [PNGChunks.Chunk]
        do {
            chunks = try PNGChunks.read(bytes)
        } catch {
            throw CharacterCardError(file: file, message: error.message)
        }
        let entries = PNGChunks.textEntries(chunks)
        guard let entry = entries.first(where: { $0.keyword.lowercased() == "ccv3" })
                ?? entries.first(where: { $0.keyword.lowercased() == "chara" }) else {
            let keywords = entries.map { "'\($0.keyword)'" }.joined(separator: ", ")
            throw CharacterCardError(file: file, message: "no character card inside: the PNG has no 'chara' or 'ccv3' tEXt chunk"
                                     + (keywords.isEmpty ? "" : " (text chunks found: \(keywords))"))
        }
        let cleaned = entry.text.filter { !$0.isWhitespace }
        guard !cleaned.isEmpty, let json = Data(base64Encoded: cleaned) ?? Data(base64Encoded: padded(cleaned)) else {
            throw CharacterCardError(file: file, message: "the '\(entry.keyword)' tEXt chunk is not valid base64")
        }
        return try decodeJSON(json, file: file, origin: "the '\(entry.keyword)' chunk: ")
    }

    /// Base64 without its trailing `=` padding, padded back.
    static func padded(_ text: String) -> String {
        let remainder = text.count % 4
        return remainder == 0 ? text : text + String(repeating: "=", count: 4 - remainder)
    }

    /// Reads a V1, V2 or V3 card from JSON.
    public static func decodeJSON(_ data: Data, file: String, origin: String) throws(CharacterCardError) -> CharacterCard {
        func fail(_ message: String) -> CharacterCardError { CharacterCardError(file: file, message: origin + message) }
        guard UTF8Validation.firstInvalidByte(in: [UInt8](data)) == nil else { throw fail("the card JSON is not valid UTF-8") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw fail("not valid JSON (\(jsonErrorDetail(error)))")
        }
        guard let top = object as? [String: Any] else { throw fail("the card JSON must be an object, got \(kind(object))") }
        let fields: [String: Any]
        let spec: CharacterCard.Spec
        let prefix: String
        if let specValue = top["spec"] {
            guard let specName = specValue as? String else { throw fail("spec: expected text, got \(kind(specValue))") }
            guard let known = CharacterCard.Spec(rawValue: specName), known != .v1 else {
                throw fail("unknown card spec '\(specName)' (supported: chara_card_v2, chara_card_v3, and V1 cards without 'spec')")
            }
            guard let data = top["data"] as? [String: Any] else {
                throw fail("data: a \(specName) card keeps its fields in a 'data' object, got \(top["data"].map(kind) ?? "nothing")")
            }
            fields = data
            spec = known
            prefix = "data."
        } else {
            let v1Keys = ["name", "description", "personality", "scenario", "first_mes", "mes_example"]
            guard top["name"] != nil, v1Keys.dropFirst().contains(where: { top[$0] != nil }) else {
                throw fail("not a character card: no 'spec' field and no V1 fields (name, description, personality, scenario, first_mes, mes_example)")
            }
            fields = top
            spec = .v1
            prefix = ""
        }
        func text(_ key: String) throws(CharacterCardError) -> String {
            switch fields[key] {
            case nil, is NSNull: return ""
            case let value as String: return value
            case let value?: throw fail("\(prefix)\(key): expected text, got \(kind(value))")
            }
        }
        func texts(_ key: String) throws(CharacterCardError) -> [String] {
            switch fields[key] {
            case nil, is NSNull: return []
            case let values as [Any]:
                var result: [String] = []
                for (index, value) in values.enumerated() {
                    guard let string = value as? String else {
                        throw fail("\(prefix)\(key)[\(index)]: expected text, got \(kind(value))")
                    }
                    result.append(string)
                }
                return result
            case let value?: throw fail("\(prefix)\(key): expected a list of text, got \(kind(value))")
            }
        }
        let name = try text("name").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw fail("\(prefix)name: the card has no name") }
        return CharacterCard(
            spec: spec, name: name, description: try text("description"), personality: try text("personality"),
            scenario: try text("scenario"), firstMessage: try text("first_mes"), messageExamples: try text("mes_example"),
            creatorNotes: try text("creator_notes"), systemPrompt: try text("system_prompt"),
            postHistoryInstructions: try text("post_history_instructions"),
            alternateGreetings: try texts("alternate_greetings"), tags: try texts("tags"), creator: try text("creator"),
            characterVersion: try text("character_version"), nickname: try text("nickname"))
    }

    /// A JSON value's kind, for "got …" messages.
    static func kind(_ value: Any) -> String {
        switch value {
        case is String: return "text"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case is NSNull: return "null"
        case is Bool, is NSNumber: return "a number or true/false"
        default: return "\(type(of: value))"
        }
    }

    /// The useful part of a JSONSerialization error.
    static func jsonErrorDetail(_ error: Error) -> String {
        let nsError = error as NSError
        if let debug = nsError.userInfo["NSDebugDescription"] as? String { return debug }
        return nsError.localizedDescription
    }
}
