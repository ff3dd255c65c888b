import DramatisCore

extension Renderer {
    /// The sampling panel (F3): a framed box over the top of the chat's transcript, one row per setting (name, value,
    /// allowed range), the problem of the selected setting (or of the first invalid one) below, and the keys.
    func drawSamplingPanel(_ panel: SamplingPanelState, title: String, persona: String, into grid: inout ScreenGrid) {
        let fields = SamplingPanelState.fields
        let boxWidth = min(grid.width, 78)
        // Title, the persona line, a blank, the settings, a blank, the message line, the key line, bottom border.
        let wanted = fields.count + 7
        let boxHeight = min(wanted, grid.height - 4)
        guard boxWidth >= 24, boxHeight >= 3 else { return }
        let roomy = boxHeight >= wanted
        let top = 1, left = (grid.width - boxWidth) / 2
        // Whole rows are cleared: no transcript text peeks out beside a box narrower than the screen.
        Self.drawFrame(top: top, left: left, width: boxWidth, height: boxHeight, into: &grid)
        grid.write(" " + Self.oneLine(title) + " ", row: top, column: left + 2, style: Theme.heading, maxColumns: boxWidth - 4)

        let inner = left + 2
        let innerWidth = boxWidth - 4
        var row = top + 1
        let lastRow = top + boxHeight - 2
        func line(_ text: String, _ style: CellStyle) {
            guard row <= lastRow else { return }
            grid.write(text, row: row, column: inner, style: style, maxColumns: innerWidth)
            row += 1
        }
        if roomy {
            line("Persona \(Self.oneLine(persona)) · empty = the backend's default", Theme.dim)
            row += 1
        }
        // On a short screen: as many settings as fit around the selected one, then its message line.
        let fieldRows = roomy ? fields.count : max(1, boxHeight - 3)
        let selectedIndex = fields.firstIndex(of: panel.selected) ?? 0
        let firstField = max(0, min(selectedIndex - fieldRows / 2, fields.count - fieldRows))
        let shownFields = fields[firstField..<min(fields.count, firstField + fieldRows)]

        // Columns: marker (2), name, value, allowed range.
        let nameWidth = (fields.map { DisplayWidth.columns($0.key) }.max() ?? 10) + 2
        // The allowed range only when it fits whole ("-2 to 2", "whole number"); the value keeps 12 columns.
        let spare = innerWidth - nameWidth - 2 - 12
        let rangeWidth = spare >= 14 ? min(16, spare) : 0
        let valueWidth = max(4, innerWidth - 2 - nameWidth - rangeWidth - 1)
        for field in shownFields {
            guard row <= lastRow else { break }
            let isSelected = field == panel.selected
            let problem = panel.problem(of: field)
            var column = inner
            column = grid.write(isSelected ? "▶ " : "  ", row: row, column: column, style: isSelected ? Theme.key : Theme.body)
            column = grid.write(Self.fit(field.key, nameWidth), row: row, column: column,
                                style: isSelected ? Theme.selectedLabel : Theme.body)
            let valueColumn = column
            let text = panel.text(of: field)
            if isSelected {
                let (visible, cursorColumn) = Self.fieldWindow(text, cursor: panel.editor.cursor, width: valueWidth)
                grid.fill(row: row, from: valueColumn, to: valueColumn + valueWidth, style: Theme.selectedRow)
                grid.write(visible, row: row, column: valueColumn, style: problem == nil ? Theme.selectedRow : Theme.error,
                           maxColumns: valueWidth)
                grid.cursor = CursorPosition(row: row, column: valueColumn + cursorColumn)
            } else if text.isEmpty {
                grid.write("default", row: row, column: valueColumn, style: Theme.dim, maxColumns: valueWidth)
            } else {
                grid.write(Self.fit(Self.oneLine(text), valueWidth), row: row, column: valueColumn,
                           style: problem == nil ? Theme.body : Theme.error)
            }
            if rangeWidth > 0 {
                let mark = problem == nil ? field.allowedText : "! " + field.allowedText
                grid.write(mark, row: row, column: valueColumn + valueWidth + 1, style: problem == nil ? Theme.dim : Theme.error,
                           maxColumns: rangeWidth)
            }
            row += 1
        }
        if roomy { row += 1 }
        // The selected setting's problem, else the first invalid one's, else what the keys do.
        let problem = panel.problem(of: panel.selected) ?? SamplingPanelState.fields.lazy.compactMap { panel.problem(of: $0) }.first
        if let problem {
            line("! " + Self.oneLine(problem.description), Theme.error)
        } else {
            line("Enter applies to the next replies · Esc cancels", Theme.dim)
        }
        if roomy {
            line(panel.refused ? "Fix the marked setting first; Ctrl-U empties it (the default)." : "Ctrl-S also saves them into the persona file",
                 panel.refused ? Theme.error : Theme.dim)
        }
    }

    /// The part of a field's text shown in `width` columns so the cursor stays visible, and the cursor's column in it.
    static func fieldWindow(_ text: String, cursor: Int, width: Int) -> (text: String, cursorColumn: Int) {
        let glyphs = text.map(EditorLayout.glyph)
        var first = 0
        func columns(_ range: Range<Int>) -> Int { glyphs[range].reduce(0) { $0 + DisplayWidth.columns($1) } }
        let cursor = min(cursor, glyphs.count)
        while first < cursor, columns(first..<cursor) > width - 1 { first += 1 }
        var visible = ""
        var used = 0
        for glyph in glyphs[first...] {
            let glyphColumns = DisplayWidth.columns(glyph)
            if used + glyphColumns > width { break }
            visible += glyph
            used += glyphColumns
        }
        return (visible, columns(first..<cursor))
    }
}
