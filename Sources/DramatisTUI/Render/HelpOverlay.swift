import DramatisCore

extension Renderer {
    /// A framed box over the screen listing every key of the current screen, in columns when wide enough.
    func drawHelp(_ sections: [KeyHelp.Section], scroll: Int, into grid: inout ScreenGrid) {
        let boxTop = 1, boxLeft = 0
        let boxWidth = grid.width, boxHeight = grid.height - 2
        guard boxWidth >= 10, boxHeight >= 3 else { return }
        Self.drawFrame(top: boxTop, left: boxLeft, width: boxWidth, height: boxHeight, into: &grid)
        grid.write(" Keys — Esc closes ", row: boxTop, column: boxLeft + 2, style: Theme.heading)

        let layout = KeyHelp.Layout(sections, innerWidth: boxWidth - 4, innerHeight: boxHeight - 2)
        let innerHeight = boxHeight - 2
        let (lines, capacity, columnWidth) = (layout.lines, layout.capacity, layout.columnWidth)
        let first = max(0, min(scroll, layout.maxScroll))
        for (slot, line) in lines.dropFirst(first).prefix(capacity).enumerated() {
            let columnIndex = slot / innerHeight
            let row = boxTop + 1 + slot % innerHeight
            let left = boxLeft + 2 + columnIndex * columnWidth
            if line.isTitle {
                grid.write(line.keys, row: row, column: left, style: Theme.heading, maxColumns: columnWidth - 1)
            } else {
                let keys = Self.fit(line.keys, layout.keyWidth)
                let end = grid.write(keys, row: row, column: left, style: Theme.key)
                grid.write(" " + line.action, row: row, column: end, maxColumns: max(0, left + columnWidth - 1 - end))
            }
        }
        if first + capacity < lines.count {
            grid.write(" ↓ more: Down/PgDn ", row: boxTop + boxHeight - 1, column: boxLeft + 2, style: Theme.dim)
        }
        if first > 0 {
            grid.write(" ↑ Up/PgUp ", row: boxTop + boxHeight - 1, column: boxLeft + boxWidth - 14, style: Theme.dim)
        }
    }
}
