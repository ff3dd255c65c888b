import DramatisCore

extension Renderer {
    func drawPicker(_ state: AppState, into grid: inout ScreenGrid) {
        let picker = state.picker
        drawTitleBar("Dramatis — pick a persona", right: "F1 help", into: &grid)
        let filterEnd = grid.write(" Filter: ", row: 1, column: 0, style: Theme.heading)
        let filterText = Self.oneLine(picker.filter)
        let cursorColumn = grid.write(filterText, row: 1, column: filterEnd)
        grid.cursor = CursorPosition(row: 1, column: min(grid.width - 1, cursorColumn))
        let visible = picker.visible
        let countText = "\(visible.count)/\(picker.personas.count)"
        grid.write(countText, row: 1, column: grid.width - DisplayWidth.columns(countText) - 1, style: Theme.dim)

        var bottom = grid.height - 1
        if let notice = state.notice {
            bottom -= 1
            grid.write(" " + Self.oneLine(notice.text), row: bottom, column: 0, style: notice.isError ? Theme.error : Theme.notice,
                       maxColumns: grid.width)
        }
        let top = 2
        let wide = grid.width >= 70
        let listWidth = wide ? min(40, grid.width * 2 / 5) : grid.width
        let listHeight = wide ? bottom - top : max(2, (bottom - top) / 2)
        let preview = (top: wide ? top : top + listHeight, left: wide ? listWidth + 2 : 0,
                       width: wide ? grid.width - listWidth - 2 : grid.width,
                       height: wide ? bottom - top : bottom - top - listHeight)

        if !picker.isLoaded {
            grid.write(" Loading personas…", row: top, column: 0, style: Theme.dim)
        } else if picker.personas.isEmpty {
            grid.write(" No personas found. Add Markdown files to ./Personas/.", row: top, column: 0, style: Theme.error)
        } else if visible.isEmpty {
            grid.write(" Nothing matches the filter.", row: top, column: 0, style: Theme.dim)
        }

        // Each listing takes two rows; scroll so the selection is visible.
        let perPage = max(1, listHeight / 2)
        let first = max(0, min(picker.selection - perPage + 1, visible.count - perPage))
        for (slot, index) in (first..<min(visible.count, first + perPage)).enumerated() {
            let listing = visible[index]
            let row = top + slot * 2
            let selected = index == picker.selection
            let marker = selected ? "▶ " : "  "
            let nameStyle = listing.isValid ? CellStyle(bold: true, reverse: selected) : CellStyle(foreground: .red, bold: true, reverse: selected)
            let name = listing.isValid ? Self.oneLine(listing.name) : "✗ " + Self.oneLine(listing.name) + " (broken)"
            var column = grid.write(marker, row: row, column: 0, style: selected ? Theme.selectedRow : Theme.body)
            column = grid.write(Self.fit(name, max(1, listWidth - column - 1)), row: row, column: column, style: nameStyle)
            let detail = listing.isValid
                ? Self.oneLine(listing.description.isEmpty ? listing.backendLabel : "\(listing.description) · \(listing.backendLabel)")
                : Self.oneLine(listing.problems.first ?? "invalid")
            grid.write("    " + Self.fit(detail, max(1, listWidth - 5)), row: row + 1, column: 0,
                       style: listing.isValid ? Theme.dim : Theme.broken)
        }

        if wide {
            for row in top..<bottom { grid.write("│", row: row, column: listWidth, style: Theme.dim) }
        } else if preview.height > 0 {
            grid.write(String(repeating: "─", count: grid.width), row: preview.top - 1 + (listHeight > 0 ? 0 : 1), column: 0, style: Theme.dim)
        }
        if let selected = picker.selected, preview.height > 1 {
            drawPersonaPreview(selected, top: wide ? preview.top : preview.top, left: preview.left, width: preview.width,
                               height: wide ? preview.height : preview.height, into: &grid)
        }
    }

    private func drawPersonaPreview(_ listing: PersonaListing, top: Int, left: Int, width: Int, height: Int,
                                    into grid: inout ScreenGrid) {
        var lines: [(String, CellStyle)] = []
        let textWidth = max(1, width - 1)
        lines.append((Self.oneLine(listing.name), Theme.heading))
        lines.append(("backend: " + Self.oneLine(listing.backendLabel), Theme.dim))
        if !listing.source.isEmpty { lines.append(("file: " + Self.oneLine(listing.source), Theme.dim)) }
        lines.append(("", Theme.body))
        if listing.isValid {
            lines.append(("System prompt", Theme.heading))
            for line in TextWrapper.wrap(TerminalSanitizer.sanitize(listing.systemPrompt), width: textWidth) { lines.append((line, Theme.body)) }
            if let greeting = listing.greeting, !greeting.isEmpty {
                lines.append(("", Theme.body))
                lines.append(("Greeting", Theme.heading))
                for line in TextWrapper.wrap(TerminalSanitizer.sanitize(greeting), width: textWidth) { lines.append((line, Theme.body)) }
            }
        } else {
            lines.append(("Problems", Theme.heading))
            for problem in listing.problems {
                for line in TextWrapper.wrap("• " + Self.oneLine(problem), width: textWidth) { lines.append((line, Theme.broken)) }
            }
        }
        for (index, line) in lines.prefix(height).enumerated() {
            grid.write(line.0, row: top + index, column: left, style: line.1, maxColumns: textWidth)
        }
    }
}
