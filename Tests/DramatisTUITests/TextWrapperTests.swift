import Testing
import DramatisCore
@testable import DramatisTUI

@Suite struct TextWrapperTests {
    @Test func wrapsAtSpacesAndKeepsParagraphs() {
        #expect(TextWrapper.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextWrapper.wrap("a\n\nb", width: 10) == ["a", "", "b"])
    }

    @Test func breaksWordsLongerThanALine() {
        #expect(TextWrapper.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func countsWideCharactersAsTwoColumns() {
        let lines = TextWrapper.wrap("東京都庁舎です", width: 5)
        #expect(lines == ["東京", "都庁", "舎で", "す"])
        for line in lines { #expect(DisplayWidth.columns(line) <= 5) }
        #expect(TextWrapper.wrap("🍣🍣🍣", width: 4) == ["🍣🍣", "🍣"])
    }

    @Test func tabsBecomeSpaces() {
        #expect(TextWrapper.wrap("a\tb", width: 20) == ["a    b"])
    }

    @Test func zwjSequenceSplitsIntoCellsAsNcursesPlacesThem() {
        let family = Character("👨\u{200D}👩\u{200D}👧")
        let clusters = CellCluster.split(family)
        #expect(clusters.map(\.columns) == [2, 2, 2])
        var grid = ScreenGrid(width: 8, height: 1)
        #expect(grid.write(String(family), row: 0, column: 0) == 6)
    }

    @Test func countingLinesGivesTheSameCountAsWrapping() {
        // Random texts from a small alphabet, so runs of spaces, long words, blank lines, exact fits, wide
        // characters, ZWJ sequences, combining marks and tabs are common.
        var generator = SplitMix64(seed: 5)
        let pieces = ["a", "b", "c", "de", " ", " ", "  ", "\n", "\t", "-", "東", "京", "🍣", "👨‍👩‍👧", "e\u{301}", " \u{301}", "\u{200B}"]
        for round in 0..<4_000 {
            let length = Int(generator.next() % 80)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let width = 1 + Int(generator.next() % 30)
            #expect(TextWrapper.lineCount(text, width: width) == TextWrapper.wrap(text, width: width).count,
                    "round \(round): width \(width), text \(text.debugDescription)")
        }
        #expect(TextWrapper.lineCount("a whole sentence that wraps", width: 10) == 3)
    }
}
