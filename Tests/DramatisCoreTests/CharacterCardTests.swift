import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

@Suite("CharacterCard")
struct CharacterCardTests {
    @Test("CRC-32 matches the standard check value and PNG's IEND CRC")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("IEND".utf8)) == 0xAE42_6082)
    }

    @Test("a V2 JSON card maps onto persona settings and never leaks metadata into prompts")
    func v2Mapping() throws {
        let card = try CharacterCardDecoder.decode(data: CardFixtures.json(CardFixtures.v2), file: "alice.json")
        #expect(card.spec == .v2)
        let output = try CharacterCardConversion.convert(card, sourceName: "alice.json")
        #expect(output.stem == "alice")
        let persona = try PersonaFile.parse(data: Data(output.document.text.utf8), source: URL(fileURLWithPath: "/x/alice.md")).get()
        #expect(persona.name == "Alice")
        #expect(persona.systemPrompt == """
            You are Alice.

            Alice is a librarian in a small town.

            Alice's personality: cheerful, curious

            Scenario: User visits the library on a rainy day.
            """)
        #expect(persona.greeting == "Welcome in, User! Dry off by the fire.")
        #expect(persona.alternateGreetings == ["Oh! A visitor, User."])
        #expect(persona.examples == [
            Persona.Example(user: "Do you have maps?", assistant: "Oh, dozens!\nWhich country?"),
            Persona.Example(user: "Hi", assistant: "Hello, User."),
        ])
        #expect(persona.tags == ["SECRET-TAG", "books"])
        let sent = persona.preambleMessages.map(\.content).joined(separator: "\n") + (persona.greeting ?? "")
        #expect(!sent.contains("SECRET"))
        #expect(output.document.text.contains("# SECRET-CREATOR-NOTE do not prompt"))
    }

    @Test("a non-empty system_prompt becomes the body; {{original}} pulls in the assembled text")
    func systemPrompt() throws {
        var data = CardFixtures.v2Data
        data["system_prompt"] = "Stay in character as {{char}}."
        var card = try CharacterCardDecoder.decode(data: CardFixtures.json(["spec": "chara_card_v2", "data": data]), file: "a.json")
        var output = try CharacterCardConversion.convert(card, sourceName: "a.json")
        #expect(output.document.systemPrompt == "Stay in character as {{char}}.")
        data["system_prompt"] = "{{original}}\nStay in character."
        card = try CharacterCardDecoder.decode(data: CardFixtures.json(["spec": "chara_card_v2", "data": data]), file: "a.json")
        output = try CharacterCardConversion.convert(card, sourceName: "a.json")
        #expect(output.document.systemPrompt.hasPrefix("You are {{char}}.\n\n{{char}} is a librarian"))
        #expect(output.document.systemPrompt.hasSuffix("Stay in character."))
    }

    @Test("V1 cards: fields at the top level, <BOT>/<USER> become placeholders")
    func v1() throws {
        let card = try CharacterCardDecoder.decode(data: CardFixtures.json(CardFixtures.v1), file: "bob.json")
        #expect(card.spec == .v1)
        let output = try CharacterCardConversion.convert(card, sourceName: "bob.json")
        let persona = try PersonaFile.parse(data: Data(output.document.text.utf8), source: URL(fileURLWithPath: "/x/bob.md")).get()
        #expect(persona.systemPrompt.contains("Bob is a grumpy baker."))
        #expect(persona.greeting == "What do you want, User?")
    }

    @Test("V3 cards decode; the nickname replaces {{char}}")
    func v3() throws {
        var object = CardFixtures.v3()
        var data = object["data"] as! [String: Any]
        data["nickname"] = "Ali"
        object["data"] = data
        let card = try CharacterCardDecoder.decode(data: CardFixtures.json(object), file: "a.json")
        #expect(card.spec == .v3)
        let output = try CharacterCardConversion.convert(card, sourceName: "a.json")
        #expect(output.document.name == "Alice Three")
        #expect(output.document.systemPrompt.contains("Ali is a librarian"))
    }

    @Test("PNG: the card is read from the 'chara' tEXt chunk; 'ccv3' wins when both exist")
    func png() throws {
        let v2Only = CardFixtures.png(text: [("Software", "test"), ("chara", CardFixtures.base64(CardFixtures.v2))])
        #expect(try CharacterCardDecoder.decode(data: v2Only, file: "a.png").name == "Alice")
        let both = CardFixtures.png(text: [("chara", CardFixtures.base64(CardFixtures.v2)), ("ccv3", CardFixtures.base64(CardFixtures.v3()))])
        let card = try CharacterCardDecoder.decode(data: both, file: "a.png")
        #expect(card.spec == .v3)
        #expect(card.name == "Alice Three")
    }

    /// One broken card and the error it must produce.
    struct BadCard: Sendable, CustomTestStringConvertible {
        var label: String
        var fileName: String
        var bytes: Data
        var expected: String
        var testDescription: String { label }
    }

    static var badCards: [BadCard] {
        var corrupt = [UInt8](CardFixtures.png(text: [("chara", CardFixtures.base64(CardFixtures.v2))]))
        corrupt[45] ^= 0xFF   // inside the tEXt chunk's data: its CRC no longer matches
        let truncated = Data(CardFixtures.png(text: [("chara", CardFixtures.base64(CardFixtures.v2))]).prefix(60))
        return [
            BadCard(label: "corrupt PNG (bad CRC)", fileName: "c.png", bytes: Data(corrupt), expected: "c.png: corrupt PNG: chunk 'tEXt' at byte 33 has a bad CRC"),
            BadCard(label: "truncated PNG", fileName: "t.png", bytes: truncated, expected: "t.png: corrupt PNG: chunk 'tEXt' at byte 33 claims"),
            BadCard(label: "PNG without a card", fileName: "n.png", bytes: CardFixtures.png(text: [("Comment", "hello")]),
                    expected: "n.png: no character card inside: the PNG has no 'chara' or 'ccv3' tEXt chunk (text chunks found: 'Comment')"),
            BadCard(label: "not a PNG", fileName: "x.png", bytes: Data("GIF89a".utf8), expected: "x.png: not a PNG file (the PNG signature is missing)"),
            BadCard(label: "bad base64", fileName: "b.png", bytes: CardFixtures.png(text: [("chara", "!!!not base64!!!")]),
                    expected: "b.png: the 'chara' tEXt chunk is not valid base64"),
            BadCard(label: "base64 of bad JSON", fileName: "j.png", bytes: CardFixtures.png(text: [("chara", Data("{\"spec\": ".utf8).base64EncodedString())]),
                    expected: "j.png: the 'chara' chunk: not valid JSON"),
            BadCard(label: "bad JSON file", fileName: "j.json", bytes: Data("{\"name\": \"A\"".utf8), expected: "j.json: not valid JSON"),
            BadCard(label: "unknown spec", fileName: "u.json", bytes: CardFixtures.json(["spec": "chara_card_v9", "data": ["name": "A"]]),
                    expected: "u.json: unknown card spec 'chara_card_v9' (supported: chara_card_v2, chara_card_v3, and V1 cards without 'spec')"),
            BadCard(label: "not a card", fileName: "o.json", bytes: CardFixtures.json(["hello": "world"]),
                    expected: "o.json: not a character card: no 'spec' field and no V1 fields"),
            BadCard(label: "wrong field type", fileName: "w.json", bytes: CardFixtures.json(["spec": "chara_card_v2", "data": ["name": "A", "first_mes": ["x"]]]),
                    expected: "w.json: data.first_mes: expected text, got a list"),
            BadCard(label: "no name", fileName: "nn.json", bytes: CardFixtures.json(["spec": "chara_card_v2", "data": ["description": "x"]]),
                    expected: "nn.json: data.name: the card has no name"),
            BadCard(label: "nothing for a prompt", fileName: "e.json", bytes: CardFixtures.json(["spec": "chara_card_v2", "data": ["name": "A", "first_mes": "hi"]]),
                    expected: "e.json: the card has no system_prompt, description, personality or scenario"),
        ]
    }

    @Test("every broken card gives a clear error and nothing is written", arguments: badCards)
    func badCard(_ bad: BadCard) throws {
        let temp = try TemporaryDirectory()
        let good = temp.path("good.json")
        try CardFixtures.json(CardFixtures.v2).write(to: good)
        let broken = temp.path(bad.fileName)
        try bad.bytes.write(to: broken)
        let out = temp.path("out")
        let result = CharacterCardImporter.plan(cards: [good, broken], outputDirectory: out)
        guard case .failure(let failure) = result else {
            Issue.record("a broken card was accepted")
            return
        }
        let errors = failure.errors
        #expect(errors.count == 1)
        let message = errors.first.map { "\(bad.fileName): \($0.message)" } ?? ""
        #expect(message.hasPrefix(bad.expected), "got: \(message)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("mes_example: blocks, multi-line turns, name prefixes, orphans reported")
    func messageExamples() {
        let text = "<START>\nAlice: Hi there\n{{user}}: Who are you?\n{{char}}: I am Alice.\n<START>\n{{user}}: One\n{{user}}: Two\n{{char}}: Three\n{{user}}: dangling"
        let result = MessageExampleParser.parse(text, characterName: "Alice")
        #expect(result.examples == [
            Persona.Example(user: "Who are you?", assistant: "I am Alice."),
            Persona.Example(user: "One\nTwo", assistant: "Three"),
        ])
        #expect(result.warnings.count == 2)
        #expect(result.warnings[0].contains("block 1") && result.warnings[0].contains("Hi there"))
        #expect(result.warnings[1].contains("block 2") && result.warnings[1].contains("dangling"))
    }

    @Test("text written by PersonaDocument reads back exactly", arguments: [
        "plain", "two\nlines", "  leading spaces\nx", "trailing newline\n", "quote \" and \\ backslash", "tab\there",
        "---\n---", "# not a comment\nkey: value", "emoji 🎭 and é", "line\u{2028}separator", "ctl\u{1}char", "{{char}} & {{user}}",
    ])
    func documentRoundTrip(_ text: String) throws {
        var document = PersonaDocument(name: text.replacingOccurrences(of: "\n", with: " "), systemPrompt: "Prompt.")
        document.greeting = text
        document.examples = [Persona.Example(user: text, assistant: text)]
        document.alternateGreetings = [text]
        document.comments = ["note\n---\n" + text]
        let persona = try PersonaFile.parse(data: Data(document.text.utf8), source: URL(fileURLWithPath: "/x/a.md")).get()
        let expanded = PersonaPlaceholders.expand(text, character: persona.name, user: "User")
        #expect(persona.greeting == expanded)
        #expect(persona.alternateGreetings == [expanded])
        #expect(persona.examples == [Persona.Example(user: expanded, assistant: expanded)])
    }

    @Test("file stems from names")
    func stems() {
        #expect(CharacterCardConversion.stem(for: "Captain Saltbeard!") == "captain-saltbeard")
        #expect(CharacterCardConversion.stem(for: "日本") == "imported")
    }
}
