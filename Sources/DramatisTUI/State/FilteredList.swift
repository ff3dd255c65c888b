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

    /// Applies a list action: editing the filter (typing, paste, Backspace, Ctrl-U) or moving the selection.
    /// `key` carries the typed text for `.filterInsert`. Returns false for actions that are not list actions.
    mutating func applyListAction(_ action: KeyAction, key: KeyEvent) -> Bool {
        switch action {
        case .filterInsert:
            switch key {
            case .character(let character): filter.append(character)
            case .paste(let text): filter += text.replacingOccurrences(of: "\n", with: " ")
            default: return false
            }
            selection = 0
        case .filterDeleteBackward:
            if !filter.isEmpty { filter.removeLast() }
        case .filterClear:
            filter = ""
        case .listUp:
            selection -= 1
        case .listDown:
            selection += 1
        case .listPageUp:
            selection -= Self.pageStep
        case .listPageDown:
            selection += Self.pageStep
        case .listFirst:
            selection = 0
        case .listLast:
            selection = visible.count - 1
        default:
            return false
        }
        clampSelection()
        return true
    }
}
