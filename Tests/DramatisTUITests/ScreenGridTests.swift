import Testing
@testable import DramatisTUI

@Suite struct ScreenGridTests {
    @Test func wideCharactersTakeTwoCellsAndClipAtTheEdge() {
        var grid = ScreenGrid(width: 6, height: 1)
        let end = grid.write("a日本b", row: 0, column: 0)
        #expect(end == 6)
        #expect(grid.lines == ["a日本b"])
        var clipped = ScreenGrid(width: 4, height: 1)
        clipped.write("ab日", row: 0, column: 1)
        #expect(clipped.lines == [" ab "])
    }
}
