import DramatisCore
import Foundation

extension Renderer {
    func drawBrowser(_ state: AppState, into grid: inout ScreenGrid) {
        let browser = state.browser
        drawTitleBar("Dramatis — saved transcripts", right: "F1 help", into: &grid)
        let filterEnd = grid.write(" Filter: ", row: 1, column: 0, style: Theme.heading)
        let cursorColumn = grid.write(Self.oneLine(browser.filter), row: 1, column: filterEnd)
        grid.cursor = CursorPosition(row: 1, column: min(grid.width - 1, cursorColumn))
        let visible = browser.visible
        let countText = "\(visible.count)/\(browser.transcripts.count)"
        grid.write(countText, row: 1, column: grid.width - DisplayWidth.columns(countText) - 1, style: Theme.dim)

        let top = 2
        var bottom = grid.height - 1
        if let notice = state.notice {
            bottom -= 1
            grid.write(" " + Self.oneLine(notice.text), row: bottom, column: 0, style: notice.isError ? Theme.error : Theme.notice)
        }
        if let error = browser.error {
            grid.write(" " + Self.oneLine(error), row: top, column: 0, style: Theme.error)
        } else if !browser.isLoaded {
            grid.write(" Loading transcripts…", row: top, column: 0, style: Theme.dim)
        } else if browser.transcripts.isEmpty {
            grid.write(" No saved transcripts yet.", row: top, column: 0, style: Theme.dim)
        } else if visible.isEmpty {
            grid.write(" Nothing matches the filter.", row: top, column: 0, style: Theme.dim)
        }
        let perPage = max(1, (bottom - top) / 2)
        let first = max(0, min(browser.selection - perPage + 1, visible.count - perPage))
        for (slot, index) in (first..<min(visible.count, first + perPage)).enumerated() {
            let listing = visible[index]
            let row = top + slot * 2
            let selected = index == browser.selection
            let title = listing.title.isEmpty ? "(no messages)" : Self.oneLine(listing.title)
            let column = grid.write(selected ? "▶ " : "  ", row: row, column: 0, style: selected ? Theme.selectedRow : Theme.body)
            grid.write(Self.fit(title, grid.width - column - 1), row: row, column: column, style: CellStyle(bold: true, reverse: selected))
            let detail = listing.problem.map { "broken: " + Self.oneLine($0) } ?? "\(Self.dateText(listing.createdAt)) · \(Self.oneLine(listing.personaName)) · \(listing.turnCount) messages · \(listing.markCount) marks"
            grid.write("    " + Self.fit(detail, grid.width - 5), row: row + 1, column: 0, style: Theme.dim)
        }
    }

    /// `2026-11-22 09:37` (UTC), cut from the transcript date format: no `DateFormatter` per row and frame,
    /// which also kept 3 MB of ICU data resident for one date pattern.
    static func dateText(_ date: Date) -> String {
        let iso = TranscriptDate.string(from: date)   // 2026-11-22T09:37:05.123Z
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5)
    }
}
