import CNcursesw
import DramatisRuntime
import DramatisTUI
import Glibc

/// The only code that calls ncurses. Create, use and end it on ONE thread (ncurses is not thread-safe).
///
/// It reads raw input (`wget_wch` in nodelay mode) and draws `ScreenGrid`s, redrawing only rows
/// that changed since the previous frame.
final class CursesScreen {
    private var previous: ScreenGrid?
    private let useColor: Bool
    private var isActive = false
    private let mouseEnabled: Bool

    /// Starts curses: locale, raw keys (so Ctrl-C arrives as a key and our saves run), no echo,
    /// `nonl` (Enter is `\r`, Ctrl-J is `\n`), keypad, nodelay, short ESC delay, colours unless
    /// `NO_COLOR`, wheel events, and bracketed paste.
    init(environment: [String: String]) throws {
        // Wide characters need the locale set before initscr.
        setlocale(LC_ALL, "")
        // ncurses reads ESCDELAY at initscr; set_escdelay below also covers later changes.
        guard initscr() != nil else { throw TerminalError.cursesFailed("initscr") }
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(dramatis_stdscr(), true)
        nodelay(dramatis_stdscr(), true)
        // Without this a lone Esc waits a full second for a possible escape sequence.
        set_escdelay(25)
        var colors = false
        if environment["NO_COLOR"].map({ !$0.isEmpty }) != true, has_colors() {
            start_color()
            use_default_colors()
            for color in CellStyle.Color.allCases where color != .default {
                init_pair(Int16(color.rawValue), Int16(color.rawValue), -1)
            }
            colors = dramatis_colors() >= 8 && dramatis_color_pairs() >= 8
        }
        useColor = colors
        if environment["DRAMATIS_NO_MOUSE"] == nil {
            // Only wheel events: ask for buttons 4 and 5 (press), nothing else.
            var old: mmask_t = 0
            mouseEnabled = mousemask(dramatis_button4_pressed() | dramatis_button5_pressed(), &old) != 0
            mouseinterval(0)
        } else {
            mouseEnabled = false
        }
        Self.setBracketedPaste(true)
    }

    /// Restores the terminal. Safe to call twice.
    func end() {
        guard isActive else { return }
        isActive = false
        Self.setBracketedPaste(false)
        endwin()
    }

    /// Terminal size in cells.
    var size: (width: Int, height: Int) {
        (Int(dramatis_getmaxx(dramatis_stdscr())), Int(dramatis_getmaxy(dramatis_stdscr())))
    }

    /// Reads every pending input without waiting.
    func readInputs() -> [RawInput] {
        var inputs: [RawInput] = []
        while true {
            var character: wint_t = 0
            let status = wget_wch(dramatis_stdscr(), &character)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if let key = special(Int32(character)) { inputs.append(.special(key)) }
            } else {
                inputs.append(.scalar(UInt32(character)))
            }
            if inputs.count > 65_536 { break }   // a huge paste: let a frame through, continue next round
        }
        return inputs
    }

    private func special(_ code: Int32) -> SpecialKey? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard mouseEnabled, getmouse(&event) == OK else { return nil }
            if event.bstate & dramatis_button4_pressed() != 0 { return .wheelUp }
            if event.bstate & dramatis_button5_pressed() != 0 { return .wheelDown }
            return nil
        default:
            for n in 1...12 where code == dramatis_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Draws a frame: rows that differ from the previous frame are redrawn, then the cursor is placed.
    func draw(_ grid: ScreenGrid) {
        let full = previous == nil || previous!.width != grid.width || previous!.height != grid.height
        if full { werase(dramatis_stdscr()) }
        for row in 0..<grid.height {
            if !full, let previous, rowEqual(previous, grid, row) { continue }
            drawRow(grid, row)
        }
        if let cursor = grid.cursor {
            curs_set(1)
            wmove(dramatis_stdscr(), Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
            wmove(dramatis_stdscr(), Int32(grid.height - 1), 0)
        }
        wrefresh(dramatis_stdscr())
        previous = grid
    }

    /// Forgets the previous frame so the next draw repaints everything (after resize or `$EDITOR`).
    func invalidate() {
        previous = nil
        clearok(dramatis_stdscr(), true)
    }

    private func rowEqual(_ a: ScreenGrid, _ b: ScreenGrid, _ row: Int) -> Bool {
        for x in 0..<a.width where a[row, x] != b[row, x] { return false }
        return true
    }

    private func drawRow(_ grid: ScreenGrid, _ row: Int) {
        var x = 0
        while x < grid.width {
            let cell = grid[row, x]
            if cell.isContinuation { x += 1; continue }
            var scalars: [wchar_t] = cell.character.unicodeScalars.prefix(Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
            scalars.append(0)
            let (attributes, pair) = curses(cell.style)
            _ = scalars.withUnsafeBufferPointer { buffer in
                dramatis_mvadd_cluster(Int32(row), Int32(x), buffer.baseAddress, attributes, pair)
            }
            x += 1
        }
    }

    private func curses(_ style: CellStyle) -> (attr_t, Int16) {
        var attributes = dramatis_a_normal()
        if style.bold { attributes |= dramatis_a_bold() }
        if style.reverse { attributes |= dramatis_a_reverse() }
        if style.dim { attributes |= dramatis_a_dim() }
        if style.underline { attributes |= dramatis_a_underline() }
        let pair: Int16 = useColor && style.foreground != .default ? Int16(style.foreground.rawValue) : 0
        return (attributes, pair)
    }

    /// Leaves curses temporarily (for `$EDITOR`), runs `body`, and comes back.
    func suspended<T>(_ body: () -> T) -> T {
        Self.setBracketedPaste(false)
        def_prog_mode()
        endwin()
        let result = body()
        reset_prog_mode()
        Self.setBracketedPaste(true)
        invalidate()
        return result
    }

    /// Turns bracketed paste on or off by writing its mode sequence straight to the terminal.
    private static func setBracketedPaste(_ on: Bool) {
        let sequence = on ? "\u{1B}[?2004h" : "\u{1B}[?2004l"
        _ = sequence.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }
}

/// The external editor suspends the curses screen while it runs.
extension CursesScreen: ScreenSuspending {}
