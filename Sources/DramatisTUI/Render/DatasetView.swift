import DramatisCore

extension Renderer {
    /// The dataset screen: counts, progress and tokens at the top, the findings as a list (the highlighted one opens
    /// its source turn), marks by source and day at the bottom.
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
        // The marks go last when there is room; the findings list takes what is left.
        let marksRows = overview.marks.count
        let listBottom = bottom - (bottom - row > marksRows + 3 ? marksRows : 0)
        if row < listBottom {
            let heading = overview.findings.isEmpty ? " No problems found." : " Findings (\(overview.findings.count)): Enter opens the source turn"
            grid.write(Self.fit(heading, grid.width - 1), row: row, column: 0, style: overview.findings.isEmpty ? Theme.good : Theme.heading)
            row += 1
        }
        drawFindings(overview.findings, selection: dataset.selection, rows: row..<listBottom, into: &grid)
        if listBottom < bottom {
            for (offset, line) in overview.marks.enumerated() where listBottom + offset < bottom {
                grid.write(" " + Self.fit(Self.oneLine(line), grid.width - 2), row: listBottom + offset, column: 0, style: Theme.dim)
            }
        }
    }

    /// The findings in `rows`, one row each (`category · place: message`), scrolled to keep the highlight in view.
    private func drawFindings(_ findings: [DatasetOverview.Finding], selection: Int, rows: Range<Int>, into grid: inout ScreenGrid) {
        guard !rows.isEmpty, !findings.isEmpty else { return }
        let first = max(0, min(selection - rows.count + 1, findings.count - rows.count))
        for (slot, index) in (first..<min(findings.count, first + rows.count)).enumerated() {
            let finding = findings[index]
            let selected = index == selection
            let row = rows.lowerBound + slot
            var column = grid.write(selected ? "▶ " : "  ", row: row, column: 0, style: selected ? Theme.selectedRow : Theme.body)
            column = grid.write(Self.oneLine(finding.category) + " ", row: row, column: column,
                                style: CellStyle(foreground: .yellow, bold: true, reverse: selected))
            let place = finding.place.isEmpty ? "" : finding.place + ": "
            grid.write(Self.fit(Self.oneLine(place + finding.message), grid.width - column - 1), row: row, column: column,
                       style: CellStyle(reverse: selected))
        }
    }
}
