import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// The key table: every action is bound, no key is bound twice in one context, F1 help and the docs come
/// from it, and the hint line fits the width with `F1 help` kept.
@Suite struct KeyTableTests {
    @Test func everyActionHasABindingAndHelpText() {
        let bound = Set(KeyBindings.table.map(\.action))
        for action in KeyAction.allCases { #expect(bound.contains(action), "\(action) has no key") }
        for binding in KeyBindings.table { #expect(!binding.help.isEmpty && !binding.contexts.isEmpty) }
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            var seen: [KeyPattern: KeyAction] = [:]
            for binding in KeyBindings.bindings(in: context) {
                for key in binding.keys {
                    if let other = seen[key] { Issue.record("\(key.label) in \(context): \(other) and \(binding.action)") }
                    seen[key] = binding.action
                }
            }
        }
    }

    @Test func helpShowsTheBindingsThatWereMissing() {
        let chat = KeyHelp.sections(for: .chat).flatMap(\.entries)
        for key in ["Alt-+", "Alt-<", "Alt->", "BackTab"] {
            #expect(chat.contains { $0.keys.split(separator: " ").contains(Substring(key)) }, "F1 does not show \(key)")
        }
        let cursor = KeyHelp.section(.messageCursor).entries
        for key in ["c", "[", "]"] {
            #expect(cursor.contains { $0.keys.split(separator: " ").contains(Substring(key)) }, "F1 does not show \(key)")
        }
    }

    @Test func keysDispatchThroughTheTable() {
        #expect(KeyBindings.actions(for: .character("?"), in: [.everywhere, .picker]) == [.helpUnlessTyping, .filterInsert])
        #expect(KeyBindings.actions(for: .escape, in: [.everywhere, .streaming, .chatInput, .chat]) == [.stopReply, .enterMessageCursor])
        #expect(KeyBindings.actions(for: .pageUp, in: [.everywhere, .messageCursor, .chat]) == [.cursorPageUp, .scrollPageUp])
        #expect(KeyBindings.actions(for: .control("c"), in: [.everywhere, .help]) == [.quit, .closeHelp])
        #expect(KeyBindings.startsChord(.control("x"), in: [.chatInput]))
        #expect(!KeyBindings.startsChord(.control("x"), in: [.messageCursor]))
        #expect(KeyBindings.chordAction(.control("x"), .control("e"), in: [.chatInput]) == .externalEditor)
    }

    @Test("the hint line fits every width and keeps F1 help", arguments: HintMode.allCases)
    func hintLineFits(_ mode: HintMode) {
        let full = HintLine.text(for: mode, columns: 1000)
        #expect(full.hasSuffix("F1 help"))
        #expect(!full.contains("…"))
        for columns in 12...120 {
            let line = HintLine.text(for: mode, columns: columns)
            #expect(DisplayWidth.columns(line) <= columns, "\(mode) at \(columns): \(line)")
            #expect(line.hasSuffix("F1 help"), "\(mode) at \(columns): \(line)")
            if DisplayWidth.columns(full) > columns { #expect(line.contains("…"), "\(mode) at \(columns): \(line)") }
        }
    }

    @Test func chatHintLineAt80And40Columns() {
        #expect(HintLine.text(for: .typing, columns: 79)
                == "Enter send · Alt-Enter newline · Tab marks · Ctrl-R regen · … · F1 help")
        #expect(HintLine.text(for: .typing, columns: 200)
                == "Enter send · Alt-Enter newline · Tab marks · Alt-=/- mark · Ctrl-R regen · F3 sampling · F7 compare · F1 help")
        #expect(HintLine.text(for: .typing, columns: 39) == "Enter send · Tab marks · … · F1 help")
    }

    @Test func hintModeFollowsTheState() {
        var driver = Driver(Fixtures.chatState())
        #expect(HintMode.of(driver.state) == .typing)
        driver.press(.tab)
        #expect(HintMode.of(driver.state) == .messageCursor)
        driver.press(.character("e"))
        #expect(HintMode.of(driver.state) == .rewritingReply)
        #expect(HintMode.of(Fixtures.pickerState()) == .picker)
    }
}

/// `docs/tui.md`'s key tables are the table's: regenerate with `DRAMATIS_RECORD_DOCS=1 swift test --filter KeyDocsTests`.
@Suite struct KeyDocsTests {
    static let begin = "<!-- keys:begin -->\n"
    static let end = "<!-- keys:end -->"

    @Test func everyContextIsInSomeScreensHelp() {
        // F1 lists contexts per screen from its own list (`KeyHelp.contexts(for:)`); the help overlay's keys are
        // the only ones it need not show.
        let shown = Set([Screen.picker, .browser, .dataset, .reviewQueue, .chat].flatMap(KeyHelp.contexts(for:)))
        #expect(shown == Set(KeyContext.allCases).subtracting([.help]))
    }

    @Test func everyContextHasItsTableInTheDocs() {
        #expect(Set(KeyHelp.docsOrder) == Set(KeyContext.allCases))
        #expect(KeyHelp.docsOrder.count == KeyContext.allCases.count)
    }

    @Test func docsKeyTablesMatchTheKeyTable() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/tui.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/tui.md lacks \(Self.begin)")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex), "docs/tui.md lacks \(Self.end)")
        let generated = KeyHelp.markdown()
        if ProcessInfo.processInfo.environment["DRAMATIS_RECORD_DOCS"] == "1" {
            try (text[..<start.upperBound] + generated + text[stop.lowerBound...]).write(to: url, atomically: true, encoding: .utf8)
            // Like a snapshot that records: the run fails, so regenerating cannot pass unnoticed.
            Issue.record("docs/tui.md regenerated; run again without DRAMATIS_RECORD_DOCS")
            return
        }
        #expect(String(text[start.upperBound..<stop.lowerBound]) == generated,
                "docs/tui.md's key tables differ from KeyBindings.table; run DRAMATIS_RECORD_DOCS=1 swift test --filter KeyDocsTests")
    }
}

/// The notices table: one wording per condition, wherever it arises.
@Suite struct NoticeTableTests {
    @Test func everyWayOfActingWhileStreamingSaysTheSameThing() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.control("r"))
        #expect(driver.chat.isGenerating)
        var notices: [Notice?] = []
        for keys: [KeyEvent] in [[.control("r")], [.alt("e")], [.alt("=")], [.character("x"), .enter], [.tab, .character("r")]] {
            var attempt = driver
            attempt.state.notice = nil
            for key in keys { attempt.press(key) }
            notices.append(attempt.state.notice)
        }
        #expect(notices.allSatisfy { $0 == Notice(.replyStillStreaming) }, "\(notices)")
        #expect(Notice(.replyStillStreaming).text == "A reply is still streaming: wait for it, or press Esc to stop it.")
    }

    @Test func replayKeysNoticeComesFromTheKeyTable() {
        let text = NoticeMessage.replayKeys.text
        for item in HintLine.items(for: .replayPaused) where item.priority > 0 { #expect(text.contains(item.text)) }
        #expect(!text.contains("F1"))
    }
}
