import Foundation
import DramatisCore

/// Builds character-card files the way other tools write them: JSON, and PNG with CRC-correct chunks.
public enum CardFixtures {
    public static func json(_ object: [String: Any]) -> Data {
        try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    public static var v2Data: [String: Any] { [
        "name": "Alice",
        "description": "{{char}} is a librarian in a small town.",
        "personality": "cheerful, curious",
        "scenario": "{{user}} visits the library on a rainy day.",
        "first_mes": "Welcome in, {{user}}! Dry off by the fire.",
        "mes_example": "<START>\n{{user}}: Do you have maps?\n{{char}}: Oh, dozens!\nWhich country?\n<START>\n{{user}}: Hi\n{{char}}: Hello, {{user}}.",
        "creator_notes": "SECRET-CREATOR-NOTE do not prompt",
        "system_prompt": "",
        "post_history_instructions": "",
        "alternate_greetings": ["Oh! A visitor, {{user}}."],
        "tags": ["SECRET-TAG", "books"],
        "creator": "SECRET-CREATOR",
        "character_version": "1.0",
        "extensions": [String: Any](),
    ] }

    public static var v2: [String: Any] { ["spec": "chara_card_v2", "spec_version": "2.0", "data": v2Data] }

    public static func v3(name: String = "Alice Three") -> [String: Any] {
        var data = v2Data
        data["name"] = name
        data["nickname"] = ""
        data["group_only_greetings"] = [String]()
        data["assets"] = [["type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"]]
        return ["spec": "chara_card_v3", "spec_version": "3.0", "data": data]
    }

    public static var v1: [String: Any] { [
        "name": "Bob", "description": "<BOT> is a grumpy baker.", "personality": "grumpy", "scenario": "",
        "first_mes": "What do you want, <USER>?", "mes_example": "",
    ] }

    /// A valid 1×1 RGBA PNG with the given extra text chunks before IDAT.
    public static func png(text: [(String, String)]) -> Data {
        let ihdr: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]
        // zlib stream, one stored block holding the scanline [filter 0, r, g, b, a] = 5 zero bytes; Adler-32 = 0x00050001.
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 0, 0, 0, 0, 0, 0x00, 0x05, 0x00, 0x01]
        var chunks = [PNGChunks.Chunk(type: "IHDR", data: ihdr)]
        for (keyword, value) in text { chunks.append(PNGChunks.textChunk(keyword: keyword, text: value)) }
        chunks.append(PNGChunks.Chunk(type: "IDAT", data: idat))
        chunks.append(PNGChunks.Chunk(type: "IEND", data: []))
        return Data(PNGChunks.write(chunks))
    }

    public static func base64(_ object: [String: Any]) -> String { json(object).base64EncodedString() }
}
