import DramatisCore

/// Word-wraps sanitized text to a column width, measuring each scalar as ncurses will draw it.
public enum TextWrapper {
    /// Spaces a tab expands to (tabs would otherwise jump to the terminal's tab stops).
    public static let tabWidth = 4

    /// Wraps `text` (already sanitized) into lines of at most `width` columns: splits at `\n`,
    /// breaks at spaces where possible and inside words only when a word is wider than a line.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrapParagraph(paragraph.replacingTabs(), width: width)
        }
        return lines
    }

    /// `wrap(text, width:).count` without building the lines (`text` already sanitized).
    ///
    /// Opening a 10,000-message transcript measures every message once; wrapping them all only to count
    /// their lines took most of a second (release build, 5.6 MB of text).
    public static func lineCount(_ text: String, width: Int) -> Int {
        var counter = LineCounter(width: max(1, width))
        for character in text {
            if let ascii = character.asciiValue {
                switch ascii {
                case 0x0A: counter.endParagraph()
                case 0x09: for _ in 0..<tabWidth { counter.add(isSpace: true, columns: 1) }
                case 0x20: counter.add(isSpace: true, columns: 1)
                default: counter.add(isSpace: false, columns: 1)
                }
            } else {
                counter.add(isSpace: false, columns: DisplayWidth.columns(character))
            }
        }
        return counter.finish()
    }

    private static func wrapParagraph(_ paragraph: String, width: Int) -> [String] {
        if paragraph.isEmpty { return [""] }
        var lines: [String] = []
        var line = ""
        var lineColumns = 0
        // Tokens: runs of spaces and runs of non-spaces.
        for token in tokens(of: paragraph) {
            let tokenColumns = DisplayWidth.columns(token)
            let isSpace = token.first == " "
            if lineColumns + tokenColumns <= width {
                line += token
                lineColumns += tokenColumns
                continue
            }
            if isSpace {
                // Spaces at a break are dropped.
                lines.append(line)
                line = ""
                lineColumns = 0
                continue
            }
            if tokenColumns <= width {
                lines.append(line.trimmingTrailingSpaces())
                line = token
                lineColumns = tokenColumns
                continue
            }
            // A word longer than a line: break it at character boundaries.
            for character in token {
                let columns = DisplayWidth.columns(character)
                if lineColumns + columns > width && lineColumns > 0 {
                    lines.append(line)
                    line = ""
                    lineColumns = 0
                }
                line.append(character)
                lineColumns += columns
            }
        }
        lines.append(line)
        return lines
    }

    private static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentIsSpace = false
        for character in text {
            let isSpace = character == " "
            if !current.isEmpty && isSpace != currentIsSpace {
                tokens.append(current)
                current = ""
            }
            current.append(character)
            currentIsSpace = isSpace
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}

extension StringProtocol {
    func replacingTabs() -> String {
        var result = ""
        for character in self {
            if character == "\t" {
                result += String(repeating: " ", count: TextWrapper.tabWidth)
            } else {
                result.append(character)
            }
        }
        return result
    }

    func trimmingTrailingSpaces() -> String {
        var result = String(self)
        while result.last == " " { result.removeLast() }
        return result
    }
}

/// Counts the lines `TextWrapper.wrapParagraph` would make, fed one character at a time: the same
/// decisions on runs of spaces and non-spaces (its tokens), without building any string.
private struct LineCounter {
    let width: Int
    var lines = 0
    /// Columns used on the current line.
    var column = 0
    /// The current run (token): its columns, whether it is spaces, and its characters' widths.
    var runColumns = 0
    var runIsSpace = false
    var runWidths: [Int] = []

    init(width: Int) { self.width = width }

    mutating func add(isSpace: Bool, columns: Int) {
        if !runWidths.isEmpty && isSpace != runIsSpace { place() }
        runIsSpace = isSpace
        runColumns += columns
        runWidths.append(columns)
    }

    /// A `\n`: the paragraph's last line ends.
    mutating func endParagraph() {
        place()
        lines += 1
        column = 0
    }

    /// The total, once the text has been fed.
    mutating func finish() -> Int {
        place()
        return lines + 1
    }

    /// Places the finished run as `wrapParagraph` places a token.
    private mutating func place() {
        guard !runWidths.isEmpty else { return }
        defer { runColumns = 0; runWidths.removeAll(keepingCapacity: true) }
        if column + runColumns <= width {
            column += runColumns
        } else if runIsSpace {
            lines += 1                       // spaces at a break are dropped
            column = 0
        } else if runColumns <= width {
            lines += 1
            column = runColumns
        } else {
            for columns in runWidths {       // a word longer than a line breaks between characters
                if column + columns > width && column > 0 {
                    lines += 1
                    column = 0
                }
                column += columns
            }
        }
    }
}
