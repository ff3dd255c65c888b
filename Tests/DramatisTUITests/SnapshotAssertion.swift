import Foundation
import Testing
@testable import DramatisTUI

/// Compares a rendered grid with a text snapshot under `__Snapshots__/<name>.txt`, line by line.
///
/// Snapshots are (re)recorded only when `SNAPSHOT_TESTING_RECORD=all`; otherwise a missing or
/// different snapshot fails the test. Lines are stored with trailing spaces removed and the cursor
/// position in the header.
func assertSnapshot(_ grid: ScreenGrid, named name: String, filePath: String = #filePath,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent("\(name).txt")
    let actual = snapshotText(grid)
    if ProcessInfo.processInfo.environment["SNAPSHOT_TESTING_RECORD"] == "all" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? Data(actual.utf8).write(to: file)
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

/// The text form of a grid used in snapshots.
func snapshotText(_ grid: ScreenGrid) -> String {
    let cursor = grid.cursor.map { "cursor \($0.row),\($0.column)" } ?? "cursor hidden"
    var lines = ["# \(grid.width)x\(grid.height) \(cursor)"]
    lines += grid.lines.map { $0.trimmingTrailingSpaces() }
    return lines.joined(separator: "\n") + "\n"
}
