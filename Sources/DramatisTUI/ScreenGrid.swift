import DramatisCore

/// A rectangle of cells: what `render(state, size)` produces and the curses adapter draws.
public struct ScreenGrid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (row, column); nil hides it.
    public var cursor: CursorPosition?

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
            for cluster in CellCluster.split(character) {
                let columns = cluster.columns
                if x + columns > limit { return x }
                if x >= 0 {
                    self[row, x] = Cell(character: cluster.text, style: style)
                    if columns == 2 { self[row, x + 1] = Cell(character: " ", style: style, isContinuation: true) }
                }
                x += columns
            }
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

    /// Applies `style` to every cell of a row segment, keeping the characters.
    public mutating func restyle(row: Int, from column: Int = 0, to end: Int? = nil, _ change: (inout CellStyle) -> Void) {
        guard row >= 0, row < height else { return }
        for x in max(0, column)..<min(width, end ?? width) {
            change(&self[row, x].style)
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

/// A cell position on screen.
public struct CursorPosition: Sendable, Hashable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
