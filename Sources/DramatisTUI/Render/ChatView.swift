import DramatisCore
import Foundation

extension Renderer {
    /// Layout rows of the chat screen for a given height.
    struct ChatLayout {
        var transcriptTop: Int
        var transcriptHeight: Int
        var noticeRow: Int?
        var statusRow: Int
        var inputTop: Int
        var inputHeight: Int
        var hintRow: Int
    }

    func drawChat(_ chat: ChatState, state: AppState, into grid: inout ScreenGrid) {
        if cachedConversationID != chat.conversation.id {
            bodyCache.removeAll(keepingCapacity: true)
            cachedConversationID = chat.conversation.id
        }
        let conversation = chat.conversation
        let backend = "\(conversation.backend.name) · \(conversation.persona.model ?? conversation.backend.model)"
        drawTitleBar("\(Self.oneLine(conversation.persona.name)) — \(Self.oneLine(backend))", right: "F1 help", into: &grid)

        let prompt = promptLabel(chat)
        let promptColumns = DisplayWidth.columns(prompt)
        let editorLayout = EditorLayout(chat.editor, width: grid.width - promptColumns)
        let inputHeight = min(editorLayout.lines.count, max(1, (grid.height - 4) / 3))
        let hintRow = grid.height - 1
        let inputTop = hintRow - inputHeight
        let statusRow = inputTop - 1
        let noticeRow: Int? = state.notice == nil ? nil : statusRow - 1
        let transcriptTop = 1
        let transcriptHeight = (noticeRow ?? statusRow) - transcriptTop
        let layout = ChatLayout(transcriptTop: transcriptTop, transcriptHeight: transcriptHeight, noticeRow: noticeRow,
                                statusRow: statusRow, inputTop: inputTop, inputHeight: inputHeight, hintRow: hintRow)

        let scrolled = drawTranscript(chat, layout: layout, into: &grid)
        if let row = layout.noticeRow, let notice = state.notice {
            grid.write(" " + Self.oneLine(notice.text), row: row, column: 0, style: notice.isError ? Theme.error : Theme.notice)
        }
        drawStatus(chat, scrolled: scrolled, row: layout.statusRow, into: &grid)

        // Input editor: show the window of lines that holds the cursor.
        let firstLine = max(0, min(editorLayout.cursorLine - inputHeight + 1, editorLayout.lines.count - inputHeight))
        grid.write(prompt, row: inputTop, column: 0, style: Theme.prompt)
        for index in 0..<inputHeight where firstLine + index < editorLayout.lines.count {
            grid.write(editorLayout.lines[firstLine + index], row: inputTop + index, column: promptColumns)
        }
        if chat.focus == .input {
            grid.cursor = CursorPosition(row: inputTop + editorLayout.cursorLine - firstLine,
                                         column: min(grid.width - 1, promptColumns + editorLayout.cursorColumn))
        }
        drawHints(hints(for: chat), into: &grid)
    }

    private func promptLabel(_ chat: ChatState) -> String {
        switch chat.editTarget {
        case .reply: "ideal> "
        case .userMessage: "branch> "
        case nil: chat.focus == .messages ? "  " : "> "
        }
    }

    private func hints(for chat: ChatState) -> String {
        if chat.isGenerating { return "Esc stop · PgUp/PgDn scroll · Ctrl-Q quit" }
        switch (chat.focus, chat.editTarget) {
        case (_, .reply?): return "Enter save as ideal answer (original marked bad) · Esc cancel"
        case (_, .userMessage?): return "Enter send as a new branch · Esc cancel"
        case (.messages, _): return "+/- mark · 0 clear · ←/→ alternatives · e edit · r regen · Tab back · ? help"
        case (.input, _): return "Enter send · Alt-Enter newline · Tab marks · Ctrl-R regen · Alt-=/- mark · F1 help"
        }
    }

    private func drawStatus(_ chat: ChatState, scrolled: Bool, row: Int, into grid: inout ScreenGrid) {
        var parts: [String] = []
        switch chat.phase {
        case .error(let message): parts.append("error: \(Self.oneLine(message))")
        default: parts.append(chat.phase.label)
        }
        if let stats = chat.lastReply {
            let tokens = stats.completionTokens.map { "\($0) tok" } ?? "? tok"
            let speed = stats.tokensPerSecond.map { String(format: "%.1f tok/s", $0) } ?? "? tok/s"
            parts.append("last \(tokens) \(speed)")
        }
        parts.append("marks \(chat.recordedMarks)")
        if scrolled { parts.append("scrolled: End follows") }
        grid.fill(row: row, style: Theme.statusBar)
        var style = Theme.statusBar
        if case .error = chat.phase { style.bold = true }
        grid.write(" " + parts.joined(separator: " │ "), row: row, column: 0, style: style)
    }

    // MARK: Transcript

    /// A message block's lines: header, body, error, blank separator.
    private func blockHeight(_ turn: Turn, width: Int) -> Int {
        1 + body(of: turn, width: width).count + errorLines(of: turn, width: width).count + 1
    }

    func body(of turn: Turn, width: Int) -> [String] {
        let length = turn.text.utf8.count
        if let cached = bodyCache[turn.id], cached.textLength == length, cached.width == width { return cached.lines }
        wrapCount += 1
        let text = TerminalSanitizer.sanitize(turn.text)
        let lines = text.isEmpty ? [] : TextWrapper.wrap(text, width: width)
        bodyCache[turn.id] = CachedBody(textLength: length, width: width, lines: lines)
        return lines
    }

    private func errorLines(of turn: Turn, width: Int) -> [String] {
        guard let error = turn.reply?.error else { return [] }
        return TextWrapper.wrap("! " + Self.oneLine(error), width: width)
    }

    /// Draws the visible part of the active branch; returns whether the view is scrolled up.
    private func drawTranscript(_ chat: ChatState, layout: ChatLayout, into grid: inout ScreenGrid) -> Bool {
        let conversation = chat.conversation
        let path = conversation.activePath
        let bodyWidth = max(1, grid.width - 3)
        let heights = path.map { blockHeight(conversation[$0], width: bodyWidth) }
        let total = heights.reduce(0, +)
        let viewport = layout.transcriptHeight
        let maxScroll = max(0, total - viewport)
        lastMaxScroll = maxScroll

        var offset = min(chat.scrollOffset, maxScroll)
        let cursor = chat.focus == .messages || chat.editTarget != nil ? chat.cursorTurn : nil
        if let cursor, let index = path.firstIndex(of: cursor) {
            // Keep the message cursor's block in view: its end at the bottom, or its start at the top if taller.
            let start = heights[..<index].reduce(0, +)
            let end = start + heights[index]
            offset = total - end
            if heights[index] > viewport { offset = total - (start + viewport) }
            offset = max(0, min(maxScroll, offset))
        }
        let firstLine = max(0, total - viewport - offset)

        var lineStart = 0
        for (index, turnID) in path.enumerated() {
            let height = heights[index]
            defer { lineStart += height }
            if lineStart + height <= firstLine { continue }
            if lineStart >= firstLine + viewport { break }
            let turn = conversation[turnID]
            var blockLines: [(String, CellStyle, Int)] = []   // text, style, column
            blockLines.append(("", Theme.body, 0))                  // header: drawn by drawHeader
            for line in body(of: turn, width: bodyWidth) { blockLines.append((line, Theme.body, 2)) }
            for line in errorLines(of: turn, width: bodyWidth) { blockLines.append((line, Theme.error, 2)) }
            blockLines.append(("", Theme.body, 0))
            for (offsetInBlock, line) in blockLines.enumerated() {
                let lineNumber = lineStart + offsetInBlock
                guard lineNumber >= firstLine, lineNumber < firstLine + viewport else { continue }
                let row = layout.transcriptTop + lineNumber - firstLine
                if offsetInBlock == 0 {
                    drawHeader(turn, chat: chat, selected: turnID == cursor, row: row, into: &grid)
                } else {
                    grid.write(line.0, row: row, column: line.2, style: line.1)
                }
            }
        }
        return offset > 0 && chat.focus == .input && chat.editTarget == nil
    }

    /// The header row of a message: cursor marker, role label, then badges.
    private func drawHeader(_ turn: Turn, chat: ChatState, selected: Bool, row: Int, into grid: inout ScreenGrid) {
        let conversation = chat.conversation
        let isUser = turn.role == .user
        let label = isUser ? Self.oneLine(conversation.persona.userName) : Self.oneLine(conversation.persona.name)
        var column = 0
        if selected {
            column = grid.write("▶ ", row: row, column: column, style: Theme.selectedLabel)
            column = grid.write(label, row: row, column: column, style: Theme.selectedLabel)
        } else {
            column = grid.write(label, row: row, column: column, style: isUser ? Theme.userLabel : Theme.assistantLabel)
        }
        var badges: [(String, CellStyle)] = []
        let siblings = conversation.alternatives(of: turn.id)
        if siblings.count > 1, let index = siblings.firstIndex(of: turn.id) {
            badges.append(("‹\(index + 1)/\(siblings.count)›", Theme.dim))
        }
        if turn.origin == .greeting { badges.append(("(greeting)", Theme.dim)) }
        if turn.origin == .edited { badges.append(("[edited]", Theme.dim)) }
        switch turn.mark?.value {
        case .good?: badges.append(("[+ good]", Theme.good))
        case .bad?: badges.append(("[- bad]", Theme.bad))
        case nil: break
        }
        if !turn.isComplete {
            badges.append((turn.text.isEmpty ? "[waiting…]" : "[streaming…]", Theme.notice))
        } else if let reason = turn.reply?.finishReason {
            switch reason {
            case .cancelled: badges.append(("[stopped]", Theme.notice))
            case .incomplete: badges.append(("[incomplete]", Theme.error))
            case .length: badges.append(("[cut: length]", Theme.notice))
            case .contentFilter: badges.append(("[filtered]", Theme.notice))
            case .stop, .other: break
            }
        }
        if case .reply(let id)? = chat.editTarget, id == turn.id { badges.append(("[editing]", Theme.notice)) }
        if case .userMessage(let id)? = chat.editTarget, id == turn.id { badges.append(("[editing → new branch]", Theme.notice)) }
        for (text, style) in badges {
            column = grid.write(" ", row: row, column: column)
            column = grid.write(text, row: row, column: column, style: style)
        }
    }
}

/// The input editor's text hard-wrapped to a width, with the cursor's line and column.
///
/// Only lines within `materializedRadius` of the cursor's line get their text (the editor shows at
/// most a third of the screen around the cursor); the others are left empty but counted. With a
/// 10 MB paste, building every line's text (and sanitizing character by character) took about
/// 30 s per frame in a debug build, so every key took that long to show.
struct EditorLayout {
    var lines: [String]
    var cursorLine: Int
    var cursorColumn: Int

    /// Lines above and below the cursor's line whose text is built.
    static let materializedRadius = 256

    init(_ editor: InputEditor, width: Int) {
        let width = max(2, width)
        // Pass 1: where each line starts (character offset) and the cursor's line and column; widths only.
        var lineStarts = [0]
        var column = 0
        var cursorLine = 0
        var cursorColumn = 0
        var index = 0
        for character in editor.text {
            if index == editor.cursor {
                cursorLine = lineStarts.count - 1
                cursorColumn = column
            }
            if character == "\n" {
                lineStarts.append(index + 1)
                column = 0
                index += 1
                continue
            }
            let columns = Self.columns(of: character)
            if column + columns > width - 1 {
                lineStarts.append(index)
                column = 0
                if index == editor.cursor {
                    cursorLine = lineStarts.count - 1
                    cursorColumn = 0
                }
            }
            column += columns
            index += 1
        }
        if editor.cursor >= index {
            cursorLine = lineStarts.count - 1
            cursorColumn = column
        }
        // Pass 2: the text of the lines near the cursor.
        var lines = [String](repeating: "", count: lineStarts.count)
        let first = max(0, cursorLine - Self.materializedRadius)
        let last = min(lineStarts.count - 1, cursorLine + Self.materializedRadius)
        let text = editor.text
        var position = text.index(text.startIndex, offsetBy: lineStarts[first])
        for line in first...last {
            let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : Int.max
            var offset = lineStarts[line]
            var content = ""
            while offset < end, position < text.endIndex {
                let character = text[position]
                position = text.index(after: position)
                offset += 1
                if character == "\n" { break }
                content += Self.glyph(character)
            }
            lines[line] = content
        }
        self.lines = lines
        self.cursorLine = cursorLine
        self.cursorColumn = cursorColumn
    }

    /// Columns `character` takes as shown by `glyph` (printable ASCII without building a string).
    static func columns(of character: Character) -> Int {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return 1 }
        return DisplayWidth.columns(glyph(character))
    }

    /// How one character of typed or pasted text is shown: controls become U+FFFD, tabs spaces.
    static func glyph(_ character: Character) -> String {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return String(character) }
        if character == "\t" { return String(repeating: " ", count: TextWrapper.tabWidth) }
        let clean = TerminalSanitizer.sanitize(String(character))
        if clean.isEmpty || DisplayWidth.columns(clean) == 0 { return "\u{FFFD}" }
        return clean
    }
}
