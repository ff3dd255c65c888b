import DramatisCore
import Testing
@testable import DramatisTUI

/// The input editor's wrapped layout: same lines and cursor as laying out every character, with
/// only the lines near the cursor built (a 10 MB paste must not cost a full layout per frame).
@Suite struct EditorLayoutTests {
    /// The straightforward layout (every line built), as the renderer did it before: the reference.
    static func reference(_ editor: InputEditor, width: Int) -> (lines: [String], line: Int, column: Int) {
        let width = max(2, width)
        var lines = [""], column = 0, cursorLine = 0, cursorColumn = 0
        for (index, character) in editor.text.enumerated() {
            if index == editor.cursor { cursorLine = lines.count - 1; cursorColumn = column }
            if character == "\n" { lines.append(""); column = 0; continue }
            let glyph = EditorLayout.glyph(character)
            let columns = DisplayWidth.columns(glyph)
            if column + columns > width - 1 {
                lines.append("")
                column = 0
                if index == editor.cursor { cursorLine = lines.count - 1; cursorColumn = 0 }
            }
            lines[lines.count - 1] += glyph
            column += columns
        }
        if editor.cursor >= editor.text.count { cursorLine = lines.count - 1; cursorColumn = column }
        return (lines, cursorLine, cursorColumn)
    }

    static func editor(_ text: String, cursor: Int) -> InputEditor {
        var editor = InputEditor(text: text)
        while editor.cursor > cursor { editor.moveLeft() }
        return editor
    }

    static let texts = [
        "",
        "short",
        "a line that is long enough to wrap several times at a narrow width, with words",
        "first\nsecond line\n\nfourth 東京 🍣 wide\tand a tab\u{07}bell\u{1B}[31mred",
        String(repeating: "東京abc ", count: 40) + "\n" + String(repeating: "x", count: 95) + "\n",
    ]

    @Test("the same lines and cursor as the full layout, for every cursor position", arguments: texts)
    func matchesTheReference(_ text: String) {
        for width in [2, 7, 20] {
            for cursor in 0...text.count {
                let editor = Self.editor(text, cursor: cursor)
                let layout = EditorLayout(editor, width: width)
                let expected = Self.reference(editor, width: width)
                #expect(layout.lines.count == expected.lines.count, "width \(width), cursor \(cursor)")
                let near = max(0, expected.line - EditorLayout.materializedRadius)...min(expected.lines.count - 1, expected.line + EditorLayout.materializedRadius)
                #expect(Array(layout.lines[near]) == Array(expected.lines[near]), "width \(width), cursor \(cursor)")
                #expect(layout.cursorLine == expected.line && layout.cursorColumn == expected.column, "width \(width), cursor \(cursor)")
            }
        }
    }

    @Test("a huge single line: every line counted, the lines around the cursor built, far ones left empty")
    func hugeLineBuildsOnlyAroundTheCursor() {
        let unit = "lorem ipsum 東京 dolor "
        let text = String(repeating: unit, count: 20_000) + "END"
        let radius = EditorLayout.materializedRadius
        for cursor in [text.count, text.count / 2, 0] {
            let editor = Self.editor(text, cursor: cursor)
            let layout = EditorLayout(editor, width: 60)
            let expected = Self.reference(editor, width: 60)
            #expect(layout.lines.count == expected.lines.count)
            #expect(layout.cursorLine == expected.line && layout.cursorColumn == expected.column)
            let near = max(0, expected.line - radius)...min(expected.lines.count - 1, expected.line + radius)
            #expect(Array(layout.lines[near]) == Array(expected.lines[near]))
            #expect(layout.lines.indices.filter { !near.contains($0) }.allSatisfy { layout.lines[$0].isEmpty })
        }
        #expect(EditorLayout(Self.editor(text, cursor: text.count), width: 60).lines.last?.hasSuffix("END") == true)
    }
}
