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
        if cachedConversationID != chat.conversation.id || cachedShowsReasoning != chat.showsReasoning
            || cachedShowsReplySampling != chat.showsReplySampling {
            bodyCache.removeAll(keepingCapacity: true)
            blockHeights.removeAll(keepingCapacity: true)
            transcriptLayout = nil
            cachedConversationID = chat.conversation.id
            cachedShowsReasoning = chat.showsReasoning
            cachedShowsReplySampling = chat.showsReplySampling
        }
        showsReasoning = chat.showsReasoning
        showsReplySampling = chat.showsReplySampling
        // Bounded: scrolling through a long transcript must not end up holding every wrapped message.
        if bodyCache.count > 512 { bodyCache.removeAll(keepingCapacity: true) }
        let conversation = chat.conversation
        var backend = "\(chat.connection.name) · \(chat.connection.model)"
        // Which model answered the latest reply: shown once adapters are in play (a persona's `adapter:`, or a reply
        // from a tuned model).
        let answeredBy = conversation.lastReply?.reply?.adapter
        if conversation.persona.adapter != nil || answeredBy != nil { backend += " · \(answeredBy.map { "tuned \($0)" } ?? "base")" }
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
        drawStatus(chat, training: state.training, scrolled: scrolled, row: layout.statusRow, into: &grid)

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
    }

    private func promptLabel(_ chat: ChatState) -> String {
        switch chat.editTarget {
        case .reply: "ideal> "
        case .userMessage: "branch> "
        case nil: chat.focus == .messages ? "  " : "> "
        }
    }

    private func drawStatus(_ chat: ChatState, training: TrainingState?, scrolled: Bool, row: Int, into grid: inout ScreenGrid) {
        var parts: [String] = []
        switch chat.phase {
        case .error(let message): parts.append("error: \(Self.oneLine(message))")
        case .retrying(let notice): parts.append(notice.statusText + " · Esc stops")
        default: parts.append(chat.phase.label)
        }
        if let stats = chat.lastReply {
            let tokens = stats.completionTokens.map { "\($0) tok" } ?? "? tok"
            let speed = stats.tokensPerSecond.map { String(format: "%.1f tok/s", $0) } ?? "? tok/s"
            parts.append("last \(tokens) \(speed)")
        }
        parts.append("marks \(chat.recordedMarks)")
        if let compare = chat.compare {
            parts.append((compare.blind ? "blind " : "") + CompareTally(chat.conversation).line)
        }
        if let replay = chat.replay {
            parts.append("replay turn \(replay.nextIndex)/\(replay.steps.count)" + (replay.runsToEnd && !replay.isComplete ? " running" : ""))
        }
        if let training { parts.append(training.paused ? "train: paused while the reply streams" : training.status.text) }
        if scrolled { parts.append("scrolled: End follows") }
        grid.fill(row: row, style: Theme.statusBar)
        var style = Theme.statusBar
        if case .error = chat.phase { style.bold = true }
        grid.write(" " + parts.joined(separator: " │ "), row: row, column: 0, style: style)
    }

    // MARK: Transcript

    /// Terminals at least this wide show a replayed reply and the original side by side; narrower ones stack them.
    static let sideBySideMinimumWidth = 90

    /// One piece of a transcript row: text at a column, or a message header.
    enum RowPiece {
        case text(String, CellStyle, column: Int)
        case header(TurnID, column: Int, maxColumns: Int)
    }

    /// How a path entry is laid out: alone, or compared with the original reply beside it (replay).
    private enum BlockShape {
        case single(TurnID)
        case stacked(TurnID, original: TurnID)
        case sideBySide(TurnID, original: TurnID)
        /// Three or four compare candidates, one below the other at any width.
        case column([TurnID])

        /// The messages the entry shows.
        var turns: [TurnID] {
            switch self {
            case .single(let turn): [turn]
            case .column(let turns): turns
            case .stacked(let turn, let original), .sideBySide(let turn, let original): [turn, original]
            }
        }
    }

    /// A reply with a partner shows beside it: the original during replay, or the other pane of a compare round
    /// (panes in their order, A left or on top, whichever of them is selected).
    private func shape(of id: TurnID, in conversation: Conversation, width: Int) -> BlockShape {
        let panes = conversation.comparedReplies(with: id)
        let pair: (TurnID, TurnID)
        if panes.count > 2 {
            return .column(panes)
        } else if panes.count == 2 {
            pair = (panes[0], panes[1])
        } else if let original = conversation.originalAlternative(of: id) {
            pair = (id, original)
        } else {
            return .single(id)
        }
        return width >= Self.sideBySideMinimumWidth ? .sideBySide(pair.0, original: pair.1) : .stacked(pair.0, original: pair.1)
    }

    /// Width of each column of a side-by-side comparison (2 columns of indent, a 3-column divider).
    private static func comparisonColumnWidth(_ width: Int) -> Int { max(1, (width - 5) / 2) }

    /// A message's content lines (sampling, reasoning, body, refusal, tool calls, then error), without header and separator.
    private func contentLines(_ turn: Turn, width: Int) -> [(String, CellStyle)] {
        samplingLines(of: turn, width: width).map { ($0, Theme.dim) }
            + reasoningLines(of: turn, width: width).map { ($0, Theme.dim) }
            + body(of: turn, width: width).map { ($0, Theme.body) }
            + refusalLines(of: turn, width: width).map { ($0, Theme.notice) }
            + toolCallLines(of: turn, width: width).map { ($0, Theme.notice) }
            + errorLines(of: turn, width: width).map { ($0, Theme.error) }
    }

    /// How many lines `contentLines` gives, counted without wrapping where the text allows.
    private func contentLineCount(_ turn: Turn, width: Int) -> Int {
        samplingLines(of: turn, width: width).count
            + reasoningLines(of: turn, width: width).count + bodyLineCount(of: turn, width: width)
            + refusalLines(of: turn, width: width).count + toolCallLines(of: turn, width: width).count
            + errorLines(of: turn, width: width).count
    }

    /// F4: under a reply's header, the sampling it was requested with (`reply.sampling`), set settings only.
    private func samplingLines(of turn: Turn, width: Int) -> [String] {
        guard showsReplySampling, let reply = turn.reply else { return [] }
        let text = reply.sampling.map { "⚙ " + Self.oneLine($0.summary) } ?? "⚙ sampling not recorded (an older transcript)"
        return TextWrapper.wrap(text, width: width)
    }

    /// The model's reasoning above the answer: one folded line, or (Ctrl-T) the whole text, dimmed.
    private func reasoningLines(of turn: Turn, width: Int) -> [String] {
        guard let reasoning = turn.reply?.reasoning, !reasoning.isEmpty else { return [] }
        let text = TerminalSanitizer.sanitize(reasoning).trimmingCharacters(in: .whitespacesAndNewlines)
        guard showsReasoning else {
            let words = text.split(whereSeparator: { $0.isWhitespace }).count
            return TextWrapper.wrap("▸ reasoning (\(words) words) · Ctrl-T shows it", width: width)
        }
        return TextWrapper.wrap("▾ reasoning · Ctrl-T hides it", width: width) + TextWrapper.wrap(text, width: width)
    }

    /// The refusal text (its `[refusal]` badge is in the header).
    private func refusalLines(of turn: Turn, width: Int) -> [String] {
        guard let refusal = turn.reply?.refusal, !refusal.isEmpty else { return [] }
        return TextWrapper.wrap(TerminalSanitizer.sanitize(refusal), width: width)
    }

    /// A notice per tool call the reply ended with (a persona chat sends no tools, so nothing runs them).
    private func toolCallLines(of turn: Turn, width: Int) -> [String] {
        (turn.reply?.toolCalls ?? []).flatMap {
            TextWrapper.wrap("tool call (finish reason \(turn.reply?.finishReason?.wireValue ?? "?")): " + Self.oneLine($0.summary), width: width)
        }
    }

    /// Lines a path entry takes: header, content, blank separator (for a comparison, both replies).
    private func blockHeight(_ shape: BlockShape, conversation: Conversation, width: Int) -> Int {
        switch shape {
        case .single(let id):
            return 2 + contentLineCount(conversation[id], width: max(1, width - 3))
        case .column(let ids):
            return ids.reduce(0) { $0 + 2 + contentLineCount(conversation[$1], width: max(1, width - 3)) }
        case .stacked(let id, let original):
            return 4 + contentLineCount(conversation[id], width: max(1, width - 3))
                + contentLineCount(conversation[original], width: max(1, width - 3))
        case .sideBySide(let id, let original):
            let column = Self.comparisonColumnWidth(width)
            return 2 + max(contentLineCount(conversation[id], width: column),
                           contentLineCount(conversation[original], width: column))
        }
    }

    /// The layout for this path and width: reused while the path (same array, or equal contents) and the
    /// width stay the same; rebuilt (one pass over the branch) when they change.
    private func measuredLayout(for path: [TurnID], conversation: Conversation, width: Int) -> TranscriptLayout {
        if let cached = transcriptLayout, cached.conversationID == conversation.id, cached.width == width, cached.path == path {
            return cached
        }
        var prefix = [0]
        prefix.reserveCapacity(path.count + 1)
        var stableCount = 0
        while stableCount < path.count {
            let measured = cachedBlockHeight(path[stableCount], conversation: conversation, width: width)
            guard measured.isFinal else { break }
            prefix.append(prefix[stableCount] + measured.height)
            stableCount += 1
        }
        let layout = TranscriptLayout(conversationID: conversation.id, path: path, width: width, prefix: prefix,
                                      stableCount: stableCount)
        transcriptLayout = layout
        return layout
    }

    /// The height of the path entry at `id`, and whether it is final (all its messages finished; then it is cached).
    private func cachedBlockHeight(_ id: TurnID, conversation: Conversation, width: Int) -> (height: Int, isFinal: Bool) {
        if blockHeightsWidth != width {
            blockHeights.removeAll(keepingCapacity: true)
            blockHeightsWidth = width
        }
        if id < blockHeights.count, blockHeights[id] > 0 { return (Int(blockHeights[id]), true) }
        let shape = shape(of: id, in: conversation, width: width)
        measureCount += 1
        let height = blockHeight(shape, conversation: conversation, width: width)
        let isFinal = shape.turns.allSatisfy { conversation[$0].isComplete }
        if isFinal {
            // Keep only the height: the wrapped lines of the thousands of entries measured when a long
            // transcript opens would cost megabytes; entries drawn later are wrapped (and cached) again then.
            for turn in shape.turns { bodyCache[turn] = nil }
            if blockHeights.count < conversation.turns.count {
                blockHeights.append(contentsOf: repeatElement(0, count: conversation.turns.count - blockHeights.count))
            }
            blockHeights[id] = Int32(clamping: height)
        }
        return (height, isFinal)
    }

    /// The rows of a path entry, top to bottom (only built for entries on screen).
    private func blockRows(_ shape: BlockShape, conversation: Conversation, width: Int) -> [[RowPiece]] {
        func single(_ id: TurnID) -> [[RowPiece]] {
            [[.header(id, column: 0, maxColumns: width)]]
                + contentLines(conversation[id], width: max(1, width - 3)).map { [.text($0.0, $0.1, column: 2)] }
                + [[]]
        }
        switch shape {
        case .single(let id):
            return single(id)
        case .column(let ids):
            return ids.flatMap(single)
        case .stacked(let id, let original):
            return single(id) + single(original)
        case .sideBySide(let id, let original):
            let column = Self.comparisonColumnWidth(width)
            let right = 2 + column + 3
            let left = contentLines(conversation[id], width: column)
            let other = contentLines(conversation[original], width: column)
            var rows: [[RowPiece]] = [[.header(id, column: 0, maxColumns: right - 3),
                                       .header(original, column: right - 2, maxColumns: width - right + 2)]]
            for index in 0..<max(left.count, other.count) {
                var row: [RowPiece] = [.text("│", Theme.dim, column: 2 + column + 1)]
                if index < left.count { row.append(.text(left[index].0, left[index].1, column: 2)) }
                if index < other.count { row.append(.text(other[index].0, other[index].1, column: right)) }
                rows.append(row)
            }
            return rows + [[]]
        }
    }

    func body(of turn: Turn, width: Int) -> [String] {
        if let cached = cachedBody(of: turn, width: width) { return cached }
        wrapCount += 1
        let text = TerminalSanitizer.sanitize(turn.text)
        let lines = text.isEmpty ? [] : TextWrapper.wrap(text, width: width)
        bodyCache[turn.id] = CachedBody(textLength: turn.text.utf8.count, width: width, lines: lines)
        return lines
    }

    /// The wrapped lines of `turn` from the cache, if they were wrapped at `width` from its current text.
    private func cachedBody(of turn: Turn, width: Int) -> [String]? {
        guard let cached = bodyCache[turn.id], cached.textLength == turn.text.utf8.count, cached.width == width else { return nil }
        return cached.lines
    }

    /// `body(of:width:).count`, counted without building the lines (text the sanitizer would leave alone
    /// is not copied either).
    func bodyLineCount(of turn: Turn, width: Int) -> Int {
        if let cached = cachedBody(of: turn, width: width) { return cached.count }
        let text = TerminalSanitizer.isClean(turn.text) ? turn.text : TerminalSanitizer.sanitize(turn.text)
        return text.isEmpty ? 0 : TextWrapper.lineCount(text, width: width)
    }

    private func errorLines(of turn: Turn, width: Int) -> [String] {
        guard let error = turn.reply?.error else { return [] }
        return TextWrapper.wrap("! " + Self.oneLine(error), width: width)
    }

    /// Draws the visible part of the active branch; returns whether the view is scrolled up.
    private func drawTranscript(_ chat: ChatState, layout: ChatLayout, into grid: inout ScreenGrid) -> Bool {
        let conversation = chat.conversation
        let path = conversation.activePath
        let measured = measuredLayout(for: path, conversation: conversation, width: grid.width)
        // Only the entries after the stable prefix (normally just the reply streaming in) are measured per frame.
        let tail = path[measured.stableCount...].map { cachedBlockHeight($0, conversation: conversation, width: grid.width).height }
        var tailStarts = [measured.prefix[measured.stableCount]]
        for height in tail { tailStarts.append(tailStarts[tailStarts.count - 1] + height) }
        func lineStart(of index: Int) -> Int {
            index <= measured.stableCount ? measured.prefix[index] : tailStarts[index - measured.stableCount]
        }
        let total = tailStarts[tailStarts.count - 1]
        let viewport = layout.transcriptHeight
        let maxScroll = max(0, total - viewport)
        lastMaxScroll = maxScroll

        var offset = min(chat.scrollOffset, maxScroll)
        let cursor = chat.focus == .messages || chat.editTarget != nil ? chat.cursorTurn : nil
        let highlighted = cursor == nil ? nil : chat.cursorTarget
        if let cursor, let index = path.lastIndex(of: cursor) {
            // Keep the message cursor's block in view: its end at the bottom, or its start at the top if taller.
            let blockStart = lineStart(of: index)
            let end = lineStart(of: index + 1)
            offset = total - end
            if end - blockStart > viewport { offset = total - (blockStart + viewport) }
            offset = max(0, min(maxScroll, offset))
        }
        let firstLine = max(0, total - viewport - offset)

        // The first entry on screen: binary search over the running heights.
        var low = 0
        var high = path.count
        while low < high {
            let middle = (low + high) / 2
            if lineStart(of: middle + 1) <= firstLine { low = middle + 1 } else { high = middle }
        }
        for index in low..<path.count {
            let blockStart = lineStart(of: index)
            if blockStart >= firstLine + viewport { break }
            let turnID = path[index]
            let shape = shape(of: turnID, in: conversation, width: grid.width)
            for (offsetInBlock, pieces) in blockRows(shape, conversation: conversation, width: grid.width).enumerated() {
                let lineNumber = blockStart + offsetInBlock
                guard lineNumber >= firstLine, lineNumber < firstLine + viewport else { continue }
                let row = layout.transcriptTop + lineNumber - firstLine
                for piece in pieces {
                    switch piece {
                    case .text(let text, let style, let column):
                        grid.write(text, row: row, column: column, style: style)
                    case .header(let id, let column, let maxColumns):
                        drawHeader(conversation[id], chat: chat, selected: id == highlighted, row: row, column: column,
                                   maxColumns: maxColumns, into: &grid)
                    }
                }
            }
        }
        return offset > 0 && chat.focus == .input && chat.editTarget == nil
    }

    /// The header row of a message: cursor marker, role label, then badges.
    private func drawHeader(_ turn: Turn, chat: ChatState, selected: Bool, row: Int, column start: Int, maxColumns: Int,
                            into grid: inout ScreenGrid) {
        let conversation = chat.conversation
        let isUser = turn.role == .user
        let label = isUser ? Self.oneLine(conversation.persona.userName) : Self.oneLine(conversation.persona.name)
        let limit = min(grid.width, start + maxColumns)
        var column = start
        func put(_ text: String, _ style: CellStyle) {
            column = grid.write(text, row: row, column: column, style: style, maxColumns: max(0, limit - column))
        }
        if selected {
            put("▶ ", Theme.selectedLabel)
            put(label, Theme.selectedLabel)
        } else {
            put(label, isUser ? Theme.userLabel : Theme.assistantLabel)
        }
        var badges: [(String, CellStyle)] = []
        let siblings = conversation.alternatives(of: turn.id)
        if let parent = conversation.compareParent(of: turn.id), let round = conversation[parent].compare,
           let pane = round.pane(of: turn.id) {
            // Blind: the source stays hidden until the decision.
            let side = round.sides[pane]
            let letter = CompareRound.paneLetter(pane)
            let source = side.name.map { " · \(Self.oneLine($0))" } ?? ""
            let label = round.isBlind
                ? (round.decision == nil ? "[\(letter)]" : "[\(letter) = source \(Self.oneLine(side.source))\(source)]")
                : "[\(letter)\(source)]"
            badges.append((label, Theme.notice))
        } else if turn.origin == .original {
            badges.append(("[original]", Theme.notice))
        } else if conversation.originalAlternative(of: turn.id) != nil {
            badges.append(("[new]", Theme.notice))
        } else if siblings.count > 1, let index = siblings.firstIndex(of: turn.id) {
            badges.append(("‹\(index + 1)/\(siblings.count)›", Theme.dim))
        }
        if turn.origin == .greeting { badges.append(("(greeting)", Theme.dim)) }
        if turn.origin == .edited { badges.append(("[edited]", Theme.dim)) }
        // A mark the recorder has not reported durable yet shows as pending: `[+ good …]`.
        let pending = chat.isMarkPending(turn.id) ? " …" : ""
        switch turn.mark?.value {
        case .good?: badges.append(("[+ good\(pending)]", Theme.good))
        case .bad?: badges.append(("[- bad\(pending)]", Theme.bad))
        case nil: break
        }
        if turn.reply?.isRefusal == true { badges.append(("[refusal]", Theme.notice)) }
        if !turn.isComplete {
            let started = !turn.text.isEmpty || turn.reply?.refusal != nil || turn.reply?.reasoning != nil
            badges.append((started ? "[streaming…]" : "[waiting…]", Theme.notice))
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
            put(" ", Theme.body)
            put(text, style)
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

/// Running heights of the active branch's entries for one path and width.
struct TranscriptLayout {
    var conversationID: String
    var path: [TurnID]
    var width: Int
    /// `prefix[i]` is the height of entries `0..<i`, for `i <= stableCount`.
    var prefix: [Int]
    /// Entries before this index were finished when measured; later ones are measured every frame.
    var stableCount: Int
}
