/// One item read from the terminal by the adapter, before decoding into `KeyEvent`s.
public enum RawInput: Sendable, Hashable {
    /// A character scalar as `wget_wch` returned it (`OK`), including control characters and ESC.
    case scalar(UInt32)
    /// A key ncurses recognised itself (`KEY_CODE_YES`), mapped by the adapter.
    case special(SpecialKey)
}

/// Keys ncurses decodes itself, named independently of curses constants.
public enum SpecialKey: Sendable, Hashable {
    case up, down, left, right, home, end, pageUp, pageDown
    case backspace, delete, insert, enter, backTab
    case function(Int)
    case wheelUp, wheelDown
    /// The terminal changed size (ncurses' `KEY_RESIZE`).
    case resize
}
