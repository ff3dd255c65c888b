import DramatisCore

extension Renderer {
    /// The dataset screen: counts, progress and tokens at the top, then the findings and the examples as one list
    /// (the highlighted row opens its source turn), marks by source and day at the bottom.
    func drawDataset(_ state: AppState, into grid: inout ScreenGrid) {
        guard let dataset = state.dataset else { return }
        let right = dataset.overview.map { "\($0.transcripts) transcript(s) · F1 help" } ?? "F1 help"
        drawTitleBar("Dataset — \(Self.oneLine(dataset.personaName))", right: right, into: &grid)
        var bottom = grid.height - 1
        if let notice = state.notice {
            bottom -= 1
            grid.write(" " + Self.oneLine(notice.text), row: bottom, column: 0, style: notice.isError ? Theme.error : Theme.notice)
        }
        var row = 1
        guard let overview = dataset.overview else {
            if let error = dataset.error {
                for line in TextWrapper.wrap("Could not compute the dataset: " + TerminalSanitizer.sanitize(error), width: grid.width - 2)
                where row < bottom {
                    grid.write(" " + line, row: row, column: 0, style: Theme.error)
                    row += 1
                }
            } else {
                grid.write(" Reading the transcripts and counting tokens…", row: row, column: 0, style: Theme.dim)
            }
            return
        }
        for line in overview.summary where row < bottom {
            grid.write(" " + Self.fit(Self.oneLine(line), grid.width - 2), row: row, column: 0, style: Theme.body)
            row += 1
        }
        // The marks go last when there is room; the list takes what is left.
        let marksRows = overview.marks.count
        let listBottom = bottom - (bottom - row > marksRows + 3 ? marksRows : 0)
        drawEntries(overview, selection: dataset.selection, rows: row..<listBottom, into: &grid)
        if listBottom < bottom {
            for (offset, line) in overview.marks.enumerated() where listBottom + offset < bottom {
                grid.write(" " + Self.fit(Self.oneLine(line), grid.width - 2), row: listBottom + offset, column: 0, style: Theme.dim)
            }
        }
    }

    /// One line of the list: a section heading, or a finding or example (its index among the entries).
    private enum DatasetLine {
        case heading(String, CellStyle)
        case entry(Int)
    }

    /// The findings and the examples under their headings in `rows`, scrolled to keep the highlight in view.
    private func drawEntries(_ overview: DatasetOverview, selection: Int, rows: Range<Int>, into grid: inout ScreenGrid) {
        guard !rows.isEmpty else { return }
        var lines: [DatasetLine] = [overview.findings.isEmpty
            ? .heading(" No problems found.", Theme.good)
            : .heading(" Findings (\(overview.findings.count)): Enter opens the source turn", Theme.heading)]
        lines += overview.findings.indices.map { DatasetLine.entry($0) }
        lines.append(.heading(" Examples (\(overview.examples.count))", Theme.heading))
        lines += overview.examples.indices.map { DatasetLine.entry(overview.findings.count + $0) }
        let entries = overview.entries
        let selectedLine = lines.firstIndex { if case .entry(selection) = $0 { true } else { false } } ?? 0
        let first = max(0, min(selectedLine - rows.count + 1, lines.count - rows.count))
        for (slot, line) in lines[first..<min(lines.count, first + rows.count)].enumerated() {
            let row = rows.lowerBound + slot
            switch line {
            case .heading(let text, let style):
                grid.write(Self.fit(text, grid.width - 1), row: row, column: 0, style: style)
            case .entry(let index):
                let entry = entries[index]
                let selected = index == selection
                var column = grid.write(selected ? "▶ " : "  ", row: row, column: 0, style: selected ? Theme.selectedRow : Theme.body)
                if entry.category != "example" {
                    column = grid.write(Self.oneLine(entry.category) + " ", row: row, column: column,
                                        style: CellStyle(foreground: .yellow, bold: true, reverse: selected))
                }
                let place = entry.place.isEmpty ? "" : entry.place + ": "
                grid.write(Self.fit(Self.oneLine(place + entry.message), grid.width - column - 1), row: row, column: column,
                           style: CellStyle(reverse: selected))
            }
        }
    }
}
