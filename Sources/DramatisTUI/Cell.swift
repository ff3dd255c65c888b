/// Visual style of a cell, independent of curses: the adapter maps it to attributes and colour pairs.
public struct CellStyle: Sendable, Hashable {
    public enum Color: UInt8, Sendable, Hashable, CaseIterable {
        case `default`, red, green, yellow, blue, magenta, cyan, white
    }

    public var foreground: Color
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(foreground: Color = .default, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = CellStyle()
}

/// One screen cell: a grapheme cluster (already sanitized) and its style.
///
/// A wide character occupies its own cell plus a following `continuation` cell.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: CellStyle
    /// True for the right half of a double-width character (nothing is drawn there).
    public var isContinuation: Bool

    public init(character: Character, style: CellStyle = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell(character: " ")
}
