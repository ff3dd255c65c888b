import Testing
@testable import DramatisCore

@Suite struct TerminalSanitizerTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("line1\nline2\tend", "line1\nline2\tend"),
        ("a\r\nb", "a\nb"),
        ("overwrite\rX", "overwriteX"),
        ("back\u{8}space", "backspace"),
        ("bell\u{7}!", "bell!"),
        ("del\u{7F}!", "del!"),
        ("\u{1B}[2Jcleared", "cleared"),
        ("\u{1B}[1;31mred\u{1B}[0m", "red"),
        ("\u{1B}]52;c;SGVsbG8=\u{7}after", "after"),
        ("\u{1B}]0;title\u{1B}\\after", "after"),
        ("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
        ("\u{1B}P1$r0m\u{1B}\\dcs", "dcs"),
        ("\u{1B}_apc payload\u{1B}\\x", "x"),
        ("\u{1B}(Bcharset", "charset"),
        ("\u{1B}7save", "save"),
        ("\u{9B}31mc1csi", "c1csi"),
        ("\u{9D}0;t\u{9C}c1osc", "c1osc"),
        ("\u{85}next", "next"),
        ("\u{202E}evil\u{202C}", "evil"),
        ("\u{2066}iso\u{2069}", "iso"),
        ("日本語 😀 café", "日本語 😀 café"),
    ])
    func sanitizesWholeText(input: String, expected: String) {
        #expect(TerminalSanitizer.sanitize(input) == expected)
    }

    @Test func sequenceSplitAcrossChunksIsRemovedWhole() {
        var sanitizer = TerminalSanitizer()
        var output = ""
        for chunk in ["hello \u{1B}", "[", "2", "J", "world \u{1B}]52;c;", "AAAA", "\u{7}", "!"] {
            output += sanitizer.feed(chunk)
        }
        output += sanitizer.finish()
        #expect(output == "hello world !")
    }

    @Test func carriageReturnSplitFromLineFeedStillNormalizes() {
        var sanitizer = TerminalSanitizer()
        let output = sanitizer.feed("a\r") + sanitizer.feed("\nb\r") + sanitizer.feed("c") + sanitizer.finish()
        #expect(output == "a\nbc")
    }

    @Test func everyByteSplitGivesTheSameResult() {
        let input = "x\u{1B}[38;5;196mred\u{1B}[0m\u{1B}]52;c;Zm9v\u{1B}\\y\r\nz\u{202E}w"
        let whole = TerminalSanitizer.sanitize(input)
        let scalars = Array(input.unicodeScalars)
        for cut in 0...scalars.count {
            var sanitizer = TerminalSanitizer()
            var first = String.UnicodeScalarView(); first.append(contentsOf: scalars[..<cut])
            var second = String.UnicodeScalarView(); second.append(contentsOf: scalars[cut...])
            let output = sanitizer.feed(String(first)) + sanitizer.feed(String(second)) + sanitizer.finish()
            #expect(output == whole, "split at \(cut)")
        }
        #expect(whole == "xredy\nzw")
    }

    @Test func unprintableScalarsBecomeReplacementCharacter() {
        // U+0378 is unassigned: wcwidth reports -1 under a UTF-8 locale.
        #expect(TerminalSanitizer.sanitize("a\u{378}b") == "a\u{FFFD}b")
    }

    @Test func isCleanExactlyWhenSanitizingChangesNothing() {
        var generator = SplitMix64(seed: 11)
        let pieces = ["a", " ", "\n", "\t", "\r", "\r\n", "\u{1B}", "[", "2J", "\u{7}", "\u{7F}", "\u{9B}", "\u{85}",
                      "\u{202E}", "\u{2067}", "東", "🍣", "e\u{301}", "\u{D7FF}", "\u{E000}", "\u{FFFE}", "\u{0}"]
        for round in 0..<3_000 {
            let text = (0..<Int(generator.next() % 12)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(TerminalSanitizer.isClean(text) == (TerminalSanitizer.sanitize(text) == text),
                    "round \(round): \(text.debugDescription)")
        }
        #expect(TerminalSanitizer.isClean("plain text, 東京 and 🍣\n\ttabbed"))
        #expect(!TerminalSanitizer.isClean("red \u{1B}[31m"))
    }
}
