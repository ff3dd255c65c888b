import Testing
@testable import DramatisTUI

@Suite struct InputEditorTests {
    @Test func insertsAtCursorAndMovesByCharacter() {
        var editor = InputEditor()
        editor.insert("héllo")
        editor.moveLeft()
        editor.moveLeft()
        editor.insert("東")
        #expect(editor.text == "hél東lo")
        #expect(editor.cursor == 4)
    }

    @Test func readlineLineKeys() {
        var editor = InputEditor(text: "one two three")
        editor.moveToLineStart()
        #expect(editor.cursor == 0)
        editor.moveWordForward()
        #expect(editor.cursor == 3)
        editor.killToLineEnd()
        #expect(editor.text == "one")
        editor.setText("alpha beta gamma")
        editor.deleteWordBackward()
        #expect(editor.text == "alpha beta ")
        editor.moveWordBackward()
        #expect(editor.cursor == 6)
        editor.killToLineStart()
        #expect(editor.text == "beta ")
        #expect(editor.cursor == 0)
        editor.moveToLineEnd()
        #expect(editor.cursor == 5)
        editor.deleteBackward()
        editor.moveToLineStart()
        editor.deleteForward()
        #expect(editor.text == "eta")
    }

    @Test func multiLineMovementKeepsColumn() {
        var editor = InputEditor(text: "first line\nsecond\nthird line")
        #expect(editor.isOnLastLine)
        #expect(!editor.isOnFirstLine)
        let result1 = editor.moveUp()
        #expect(result1)
        #expect(editor.cursor == "first line\nsecond".count)  // clamped to the shorter line's end
        let result2 = editor.moveUp()
        #expect(result2)
        #expect(editor.cursor == 6)
        let result3 = editor.moveUp()
        #expect(!result3)
        let result4 = editor.moveDown()
        #expect(result4)
        #expect(editor.cursor == "first line\n".count + 6)
    }

    @Test func killToLineEndAtLineEndJoinsLines() {
        var editor = InputEditor(text: "a\nb")
        editor.moveToLineStart()
        editor.moveUp()
        editor.moveToLineEnd()
        editor.killToLineEnd()
        #expect(editor.text == "ab")
    }

    @Test func combiningMarkMergesAndCursorStaysConsistent() {
        var editor = InputEditor(text: "e")
        editor.insert("\u{301}")
        #expect(editor.text == "é")
        #expect(editor.cursor == 1)
    }
}

@Suite struct InputHistoryTests {
    @Test func browsesBackAndForwardRestoringTheDraft() {
        var history = InputHistory()
        history.add("first")
        history.add("second")
        history.add("second")
        #expect(history.entries == ["first", "second"])
        let result5 = history.previous(current: "draft")
        #expect(result5 == "second")
        let result6 = history.previous(current: "ignored")
        #expect(result6 == "first")
        let result7 = history.previous(current: "ignored")
        #expect(result7 == nil)
        let result8 = history.next()
        #expect(result8 == "second")
        let result9 = history.next()
        #expect(result9 == "draft")
        let result10 = history.next()
        #expect(result10 == nil)
    }
}
