import DramatisCore
import Foundation

/// Fuzzes the character-card importer: PNG chunk reader, `tEXt`/base64 extraction, card JSON decoding,
/// conversion to a persona file, and reading that file back.
///
/// The first input byte picks how the rest is presented, so the fuzzer also gets past the PNG CRCs:
/// 0 mod 3 — the rest as a file as is (JSON, or PNG when it has the signature); 1 — the rest as the text of a
/// `chara` chunk in a well-formed PNG; 2 — the rest base64-encoded into that chunk.
///
/// Invariants: nothing crashes; a card that converts yields a persona file that parses (the importer's own
/// self-check), and the settings and texts written into it read back exactly as converted.
public enum CharacterCardFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "character-card", run: run)

    /// Decodes, converts and re-reads one card built from `data`.
    public static func run(_ data: [UInt8]) throws {
        guard let mode = data.first else { return }
        let payload = Array(data.dropFirst())
        let file: [UInt8]
        switch mode % 3 {
        case 0: file = payload
        case 1: file = png(chara: payload)
        default: file = png(chara: Array(Data(payload).base64EncodedString().utf8))
        }
        let card: CharacterCard
        let output: CharacterCardConversion.Output
        do {
            card = try CharacterCardDecoder.decode(data: Data(file), file: "card.png")
            output = try CharacterCardConversion.convert(card, sourceName: "card.png")
        } catch {
            return                                   // a rejected card is a fine outcome
        }
        let document = output.document
        let text = document.text
        let source = URL(fileURLWithPath: "/fuzz/\(output.stem).md")
        let persona: Persona
        switch PersonaFile.parse(data: Data(text.utf8), source: source, displayPath: "converted.md") {
        case .success(let parsed): persona = parsed
        case .failure(let problems):
            throw FuzzInvariantViolation("the converted persona does not parse: \(problems)\n--- file ---\n\(debug(text))")
        }
        let user = document.userName ?? PersonaFile.defaultUserName
        func expand(_ text: String) -> String { PersonaPlaceholders.expand(text, character: document.name, user: user) }
        try require(persona.name == document.name, "name reads back as \(debug(persona.name)), written \(debug(document.name))")
        try require(persona.description == (document.description ?? ""),
                    "description reads back as \(debug(persona.description)), written \(debug(document.description ?? ""))")
        try require(persona.userName == user, "user_name reads back as \(debug(persona.userName)), written \(debug(user))")
        try require(persona.tags == document.tags, "tags read back as \(persona.tags.map(debug)), written \(document.tags.map(debug))")
        try require(persona.greeting == document.greeting.map(expand),
                    "greeting reads back as \(persona.greeting.map(debug) ?? "nil"), written \(document.greeting.map(debug) ?? "nil")")
        try require(persona.alternateGreetings == document.alternateGreetings.map(expand),
                    "alternate greetings read back as \(persona.alternateGreetings.map(debug)), written \(document.alternateGreetings.map(debug))")
        let examples = document.examples.map { Persona.Example(user: expand($0.user), assistant: expand($0.assistant)) }
        try require(persona.examples == examples, "examples read back as \(persona.examples), written \(examples)")
        let prompt = expand(document.systemPrompt.trimmingCharacters(in: .whitespacesAndNewlines))
        try require(persona.systemPrompt == prompt,
                    "system prompt reads back as \(debug(persona.systemPrompt)), written \(debug(prompt))")
    }

    /// A minimal well-formed PNG (1×1 header, no pixels needed by the importer) with one `chara` `tEXt` chunk.
    static func png(chara text: [UInt8]) -> [UInt8] {
        let header: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]
        return PNGChunks.write([
            PNGChunks.Chunk(type: "IHDR", data: header),
            PNGChunks.Chunk(type: "tEXt", data: Array("chara".utf8) + [0] + text),
            PNGChunks.Chunk(type: "IEND", data: []),
        ])
    }
}
