/// A decoded key press (or paste, or wheel step), independent of curses.
public enum KeyEvent: Sendable, Hashable {
    /// A printable character typed.
    case character(Character)
    /// Ctrl plus a letter, given in lower case: `.control("a")` is Ctrl-A.
    case control(Character)
    /// Alt (Meta) plus a printable character: `.alt("b")` is Alt-B.
    case alt(Character)
    /// Alt-Enter (or Esc then Enter).
    case altEnter
    case enter
    /// Ctrl-J: inserts a newline in the input editor.
    case newline
    case tab
    case backTab
    case backspace
    /// Alt-Backspace.
    case altBackspace
    case delete
    case escape
    case insert
    case up
    case down
    case left
    case right
    case home
    case end
    case pageUp
    case pageDown
    /// F1…F12.
    case function(Int)
    /// A bracketed paste, delivered whole.
    case paste(String)
    case wheelUp
    case wheelDown
}
