import Testing
@testable import DramatisTUI

@Suite struct KeyDecoderTests {
    private func decode(_ text: String) -> [KeyEvent] {
        var decoder = KeyDecoder()
        return decoder.decode(text.unicodeScalars.map { .scalar($0.value) })
    }

    @Test func printableAndWideCharactersPassThrough() {
        #expect(decode("a東🍣") == [.character("a"), .character("東"), .character("🍣")])
    }

    @Test func controlCharactersBecomeNamedKeys() {
        #expect(decode("\u{01}\u{05}\u{0B}\u{15}\u{17}\u{12}\u{11}\u{03}") ==
                [.control("a"), .control("e"), .control("k"), .control("u"), .control("w"), .control("r"), .control("q"), .control("c")])
        #expect(decode("\r") == [.enter])
        #expect(decode("\n") == [.newline])
        #expect(decode("\t") == [.tab])
        #expect(decode("\u{7F}") == [.backspace])
        #expect(decode("\u{08}") == [.backspace])
    }

    @Test func escapePrefixMakesAltChords() {
        #expect(decode("\u{1B}b") == [.alt("b")])
        #expect(decode("\u{1B}=") == [.alt("=")])
        #expect(decode("\u{1B}-") == [.alt("-")])
        #expect(decode("\u{1B}\r") == [.altEnter])
        #expect(decode("\u{1B}\u{7F}") == [.altBackspace])
    }

    @Test func loneEscapeAtEndOfBatchIsEscape() {
        #expect(decode("\u{1B}") == [.escape])
        #expect(decode("\u{1B}\u{1B}") == [.escape, .escape])
    }

    @Test func bracketedPasteArrivesWholeWithNewlines() {
        #expect(decode("\u{1B}[200~line one\rline two\r\nthree\u{1B}[201~x") ==
                [.paste("line one\nline two\nthree"), .character("x")])
    }

    @Test func pasteSpanningTwoReadsStaysOnePaste() {
        var decoder = KeyDecoder()
        let first = decoder.decode("\u{1B}[200~hello\r".unicodeScalars.map { .scalar($0.value) })
        #expect(first.isEmpty)
        #expect(decoder.isPending)
        let second = decoder.decode("world\u{1B}[2".unicodeScalars.map { .scalar($0.value) })
        #expect(second.isEmpty)
        let third = decoder.decode("01~".unicodeScalars.map { .scalar($0.value) })
        #expect(third == [.paste("hello\nworld")])
    }

    @Test func escapeInsidePasteThatIsNotTheEndMarkerIsKept() {
        #expect(decode("\u{1B}[200~a\u{1B}[31mb\u{1B}[201~") == [.paste("a\u{1B}[31mb")])
    }

    @Test func specialKeysMapOneToOne() {
        var decoder = KeyDecoder()
        let events = decoder.decode([.special(.up), .special(.pageDown), .special(.function(1)), .special(.resize),
                                     .special(.wheelUp), .special(.backTab)])
        #expect(events == [.up, .pageDown, .function(1), .wheelUp, .backTab])
    }

    @Test func escapeBeforeEnterKeyIsAltEnter() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([.scalar(0x1B), .special(.enter)]) == [.altEnter])
    }

    @Test func unknownCsiSequencesAreDropped() {
        #expect(decode("\u{1B}[1;5Dx") == [.character("x")])
    }
}
