import Foundation
import Testing
@testable import DramatisTUI

/// Compares a rendered grid with a text snapshot under `__Snapshots__/<name>.txt`, line by line.
///
/// A snapshot holds the text (trailing spaces removed), the cursor position in the header, and the style of
/// every run of styled cells, so a theme regression or a clipped hint fails too. `SNAPSHOT_TESTING_RECORD=all`
/// writes the snapshots and fails the test (as swift-argument-parser's recording does), so a run that
/// re-records cannot pass unnoticed; a missing or different snapshot fails it otherwise.
func assertSnapshot(_ grid: ScreenGrid, named name: String, filePath: String = #filePath,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent("\(name).txt")
    let actual = snapshotText(grid)
    if ProcessInfo.processInfo.environment["SNAPSHOT_TESTING_RECORD"] == "all" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? Data(actual.utf8).write(to: file)
        Issue.record("Recorded snapshot \(file.path); run again without SNAPSHOT_TESTING_RECORD to check it.",
                     sourceLocation: sourceLocation)
        return
    }
    guard let expectedData = FileManager.default.contents(atPath: file.path) else {
        Issue.record("Missing snapshot \(file.path); run with SNAPSHOT_TESTING_RECORD=all to record it.\n\(actual)",
                     sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: expectedData, as: UTF8.self)
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = actual.components(separatedBy: "\n")
    var differences: [String] = []
    for index in 0..<max(expectedLines.count, actualLines.count) {
        let want = index < expectedLines.count ? expectedLines[index] : "<none>"
        let got = index < actualLines.count ? actualLines[index] : "<none>"
        if want != got { differences.append("line \(index): expected |\(want)|\n        got      |\(got)|") }
    }
    if !differences.isEmpty {
        Issue.record("Snapshot \(name) differs:\n\(differences.prefix(10).joined(separator: "\n"))\nFull frame:\n\(actual)",
                     sourceLocation: sourceLocation)
    }
}

/// The text form of a grid used in snapshots: header, text lines, then `## styles` with one line per row
/// that has styled cells: `row: start-end style, …` (columns, end exclusive; plain cells are not listed).
func snapshotText(_ grid: ScreenGrid) -> String {
    let cursor = grid.cursor.map { "cursor \($0.row),\($0.column)" } ?? "cursor hidden"
    var lines = ["# \(grid.width)x\(grid.height) \(cursor)"]
    lines += grid.lines.map { $0.trimmingTrailingSpaces() }
    lines.append("## styles")
    for row in 0..<grid.height {
        var runs: [String] = []
        var column = 0
        while column < grid.width {
            let style = grid[row, column].style
            var end = column + 1
            while end < grid.width && grid[row, end].style == style { end += 1 }
            if style != .plain { runs.append("\(column)-\(end) \(styleName(style))") }
            column = end
        }
        if !runs.isEmpty { lines.append("\(row): " + runs.joined(separator: ", ")) }
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A style as snapshots spell it: colour role then attributes, e.g. `green bold`, `reverse`.
func styleName(_ style: CellStyle) -> String {
    var parts: [String] = []
    if style.foreground != .default { parts.append("\(style.foreground)") }
    if style.bold { parts.append("bold") }
    if style.reverse { parts.append("reverse") }
    if style.dim { parts.append("dim") }
    if style.underline { parts.append("underline") }
    return parts.joined(separator: " ")
}
