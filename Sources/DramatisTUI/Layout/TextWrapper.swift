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
