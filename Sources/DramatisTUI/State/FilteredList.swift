/// A list the user narrows by typing and moves through with the arrow keys: the persona picker and
/// the transcript browser share these keys.
public protocol FilteredList {
    associatedtype Row
    /// Text typed so far; rows that do not match it are hidden.
    var filter: String { get set }
    /// Index into `visible`.
    var selection: Int { get set }
    /// The rows that match the filter, in display order.
    var visible: [Row] { get }
}

extension FilteredList {
    /// Rows one Page Up / Page Down moves.
    static var pageStep: Int { 5 }

    /// The highlighted row, if any.
    public var selected: Row? {
        let visible = visible
        return visible.indices.contains(selection) ? visible[selection] : nil
    }

    /// Keeps the selection inside the visible list.
    mutating func clampSelection() {
        selection = max(0, min(selection, visible.count - 1))
    }

    /// Applies a key that edits the filter (typing, paste, Backspace, Ctrl-U) or moves the selection
    /// (Up/Down, Ctrl-P/N, Page Up/Down, Home/End). Returns false for any other key, which the caller handles.
    mutating func applyListKey(_ key: KeyEvent) -> Bool {
        switch key {
        case .character(let character):
            filter.append(character)
            selection = 0
        case .paste(let text):
            filter += text.replacingOccurrences(of: "\n", with: " ")
            selection = 0
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
        case .control("u"):
            filter = ""
        case .up, .control("p"):
            selection -= 1
        case .down, .control("n"):
            selection += 1
        case .pageUp:
            selection -= Self.pageStep
        case .pageDown:
            selection += Self.pageStep
        case .home:
            selection = 0
        case .end:
            selection = visible.count - 1
        default:
            return false
        }
        clampSelection()
        return true
    }
}
