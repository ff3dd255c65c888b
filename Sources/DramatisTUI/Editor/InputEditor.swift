/// A multi-line text editor with readline-style movement and deletion. Pure value type.
///
/// `cursor` counts `Character`s from the start of `text`.
public struct InputEditor: Sendable, Hashable {
    public private(set) var text: String
    public private(set) var cursor: Int

    public init(text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    public var isEmpty: Bool { text.isEmpty }

    /// Replaces the whole text and puts the cursor at its end.
    public mutating func setText(_ newText: String) {
        text = newText
        cursor = newText.count
    }

    /// Inserts text at the cursor (combining marks merge with the previous character).
    public mutating func insert(_ inserted: String) {
        let index = text.index(text.startIndex, offsetBy: cursor)
        let before = String(text[..<index]) + inserted
        text = before + text[index...]
        cursor = before.count
    }

    // MARK: Movement

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(text.count, cursor + 1) }

    /// Ctrl-A: start of the current line.
    public mutating func moveToLineStart() { cursor = lineStart(of: cursor) }
    /// Ctrl-E: end of the current line.
    public mutating func moveToLineEnd() { cursor = lineEnd(of: cursor) }

    /// Alt-B: back to the start of the previous word.
    public mutating func moveWordBackward() { cursor = wordStartBefore(cursor) }

    /// Alt-F: forward to the end of the next word.
    public mutating func moveWordForward() {
        let characters = Array(text)
        var position = cursor
        while position < characters.count, !Self.isWordCharacter(characters[position]) { position += 1 }
        while position < characters.count, Self.isWordCharacter(characters[position]) { position += 1 }
        cursor = position
    }

    /// Whether the cursor is on the first line (Up then recalls history).
    public var isOnFirstLine: Bool { !text.prefix(cursor).contains("\n") }
    /// Whether the cursor is on the last line (Down then recalls history).
    public var isOnLastLine: Bool { !text.dropFirst(cursor).contains("\n") }

    /// Up: same column on the previous line, if any. Returns false on the first line.
    @discardableResult
    public mutating func moveUp() -> Bool {
        guard !isOnFirstLine else { return false }
        let start = lineStart(of: cursor)
        let column = cursor - start
        let previousStart = lineStart(of: start - 1)
        cursor = min(previousStart + column, start - 1)
        return true
    }

    /// Down: same column on the next line, if any. Returns false on the last line.
    @discardableResult
    public mutating func moveDown() -> Bool {
        guard !isOnLastLine else { return false }
        let column = cursor - lineStart(of: cursor)
        let nextStart = lineEnd(of: cursor) + 1
        cursor = min(nextStart + column, lineEnd(of: nextStart))
        return true
    }

    // MARK: Deletion

    /// Backspace.
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        remove(cursor - 1..<cursor)
    }

    /// Delete / Ctrl-D.
    public mutating func deleteForward() {
        guard cursor < text.count else { return }
        remove(cursor..<cursor + 1)
    }

    /// Ctrl-K: delete to the end of the line (or the newline itself at a line's end).
    public mutating func killToLineEnd() {
        let end = lineEnd(of: cursor)
        remove(cursor..<(end == cursor ? min(text.count, end + 1) : end))
    }

    /// Ctrl-U: delete to the start of the line.
    public mutating func killToLineStart() {
        remove(lineStart(of: cursor)..<cursor)
    }

    /// Ctrl-W / Alt-Backspace: delete the word before the cursor.
    public mutating func deleteWordBackward() {
        remove(wordStartBefore(cursor)..<cursor)
    }

    // MARK: Helpers

    private mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let lower = text.index(text.startIndex, offsetBy: range.lowerBound)
        let upper = text.index(lower, offsetBy: range.count)
        text.removeSubrange(lower..<upper)
        cursor = range.lowerBound
    }

    private func lineStart(of position: Int) -> Int {
        let characters = Array(text)
        var start = min(position, characters.count)
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    private func lineEnd(of position: Int) -> Int {
        let characters = Array(text)
        var end = max(0, position)
        while end < characters.count, characters[end] != "\n" { end += 1 }
        return end
    }

    private func wordStartBefore(_ position: Int) -> Int {
        let characters = Array(text)
        var start = position
        while start > 0, !Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        while start > 0, Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        return start
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
