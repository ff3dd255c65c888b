/// The styles the renderer uses. Every meaning is also carried by text or bold/reverse,
/// so the screen reads the same without colour (`NO_COLOR`, monochrome terminals).
public enum Theme {
    public static let titleBar = CellStyle(reverse: true)
    public static let statusBar = CellStyle(reverse: true)
    public static let userLabel = CellStyle(foreground: .cyan, bold: true)
    public static let assistantLabel = CellStyle(foreground: .green, bold: true)
    public static let selectedLabel = CellStyle(bold: true, reverse: true)
    public static let body = CellStyle.plain
    public static let dim = CellStyle(dim: true)
    public static let good = CellStyle(foreground: .green, bold: true)
    public static let bad = CellStyle(foreground: .red, bold: true)
    public static let error = CellStyle(foreground: .red, bold: true)
    public static let notice = CellStyle(foreground: .yellow)
    public static let hint = CellStyle(dim: true)
    public static let key = CellStyle(foreground: .yellow, bold: true)
    public static let selectedRow = CellStyle(reverse: true)
    public static let broken = CellStyle(foreground: .red)
    public static let prompt = CellStyle(foreground: .cyan, bold: true)
    public static let heading = CellStyle(bold: true, underline: true)
}
