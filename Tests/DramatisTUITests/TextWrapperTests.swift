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
}
