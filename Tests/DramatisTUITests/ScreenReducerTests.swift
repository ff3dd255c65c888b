import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// The screen reducers work on their own sub-state and ask the app reducer for every cross-screen move.
@Suite struct ScreenReducerTests {
    @Test func pickerAsksForTheMovesItCannotMakeItself() throws {
        var picker = Fixtures.pickerState().picker
        let browser = try #require(PickerReducer.reduce(.openBrowser, .control("o"), &picker))
        #expect(browser.transition == .browser && browser.effects.isEmpty)
        let start = try #require(PickerReducer.reduce(.startChat, .enter, &picker))
        #expect(start.effects == [.startChat(personaID: "clippy")])
        #expect(start.transition == .loading(.startingChat(persona: "Clippy")))
        #expect(start.notice == .clear)
        #expect(PickerReducer.reduce(.send, .enter, &picker) == nil)   // not a picker action: the key goes on
    }

    @Test func chatLeavingSavesAndLetsTheAppMove() throws {
        let state = Fixtures.chatState()
        var chat = try #require(state.chat)
        let reply = try #require(chat.latestReply)
        chat.conversation.setMark(.good, on: reply, at: Fixtures.date)
        var history = InputHistory()
        let result = try #require(ChatReducer.reduce(.switchPersona, .control("p"), &chat, history: &history, now: Fixtures.date))
        #expect(result.transition == .picker(reload: true))
        guard case .record(_, .leaving)? = result.effects.first else { Issue.record("not saved: \(result.effects)"); return }
    }

    @Test func replayStopGoesToTheBrowserWithItsNotice() {
        var driver = ReplayFixtures.afterFirstTurn()
        let effects = driver.press(.character("x"))
        #expect(driver.state.screen == .browser)
        #expect(effects.last == .loadTranscripts)
        #expect(driver.state.notice?.text.hasPrefix("Replay stopped after") == true)
    }
}

/// Snapshots hold styles: a change of one cell's style changes the snapshot.
@Suite struct SnapshotFormatTests {
    @Test func aStyleChangeChangesTheSnapshot() {
        var grid = Renderer.render(Fixtures.chatState(), width: 80, height: 24)
        let before = snapshotText(grid)
        #expect(before.contains("## styles\n0: 0-80 reverse\n"))
        grid[0, 3].style = CellStyle(foreground: .red)
        let after = snapshotText(grid)
        #expect(after != before)
        #expect(after.contains("0: 0-3 reverse, 3-4 red, 4-80 reverse\n"))
    }
}
