extension Renderer {
    /// Clears the rows `top..<top + height` whole (nothing of the screen below peeks out beside a narrower box) and
    /// draws a box frame `width` columns wide at `left` over them; the overlays and panels draw into it.
    static func drawFrame(top: Int, left: Int, width: Int, height: Int, into grid: inout ScreenGrid) {
        for row in top..<(top + height) { grid.fill(row: row, style: .plain) }
        let horizontal = String(repeating: "─", count: width - 2)
        grid.write("┌" + horizontal + "┐", row: top, column: left)
        grid.write("└" + horizontal + "┘", row: top + height - 1, column: left)
        for row in (top + 1)..<(top + height - 1) {
            grid.write("│", row: row, column: left)
            grid.write("│", row: row, column: left + width - 1)
        }
    }
}
