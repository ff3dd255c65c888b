import DramatisCore

/// A rectangle of cells: what `render(state, size)` produces and the curses adapter draws.
public struct ScreenGrid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * width + column] }
        set { cells[row * width + column] = newValue }
    }

    /// Writes `text` (which must already be sanitized) at a position, clipped to `maxColumns`
    /// and the grid's edge; a wide character that would straddle the edge is not drawn.
    /// Returns the column after the last cell written.
    @discardableResult
    public mutating func write(_ text: String, row: Int, column: Int, style: CellStyle = .plain, maxColumns: Int? = nil) -> Int {
        guard row >= 0, row < height else { return column }
        let limit = min(width, column + (maxColumns ?? width))
        var x = column
        for character in text {
            let columns = DisplayWidth.columns(character)
            if columns == 0 { continue }
            if x + columns > limit { break }
            if x >= 0 {
                self[row, x] = Cell(character: character, style: style)
                if columns == 2 { self[row, x + 1] = Cell(character: " ", style: style, isContinuation: true) }
            }
            x += columns
        }
        return x
    }

    /// Fills a row segment with spaces in `style` (for bars and selections).
    public mutating func fill(row: Int, from column: Int = 0, to end: Int? = nil, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for x in max(0, column)..<min(width, end ?? width) {
            self[row, x] = Cell(character: " ", style: style)
        }
    }

    /// The grid as plain text lines (continuation cells omitted), for snapshots and tests.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for x in 0..<width where !self[row, x].isContinuation {
                line.append(self[row, x].character)
            }
            return line
        }
    }
}
