import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

@Suite struct RenderSnapshotTests {
    @Test(arguments: [(80, 24), (40, 12)])
    func picker(width: Int, height: Int) {
        let grid = Renderer.render(Fixtures.pickerState(), width: width, height: height)
        assertSnapshot(grid, named: "picker-\(width)x\(height)")
    }

    @Test func pickerWithBrokenPersonaSelected() {
        var state = Fixtures.pickerState()
        state.picker.selection = 2
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "picker-broken-80x24")
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func chat(width: Int, height: Int) {
        var state = Fixtures.chatState()
        state.chat?.editor.setText("Next: and what about 大阪?")
        assertSnapshot(Renderer.render(state, width: width, height: height), named: "chat-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func chatStreamingWithMarksAndAlternatives(width: Int, height: Int) {
        var driver = Driver(Fixtures.chatState())
        driver.press(.alt("-"))
        driver.press(.control("r"))
        driver.send(.streamDelta(stream: 1, text: "Sushi. And the 東京タワー 🗼, which is taller than"))
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "chat-streaming-\(width)x\(height)")
    }

    @Test func messageCursorOnMarkedReply() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.alt("="))
        driver.acknowledgeRecords()
        driver.press(.tab)
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 24), named: "chat-message-cursor-80x24")
    }

    @Test func editingReplyAt40x12() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.alt("e"))
        assertSnapshot(Renderer.render(driver.state, width: 40, height: 12), named: "chat-editing-40x12")
    }

    @Test func refusalReasoningToolCallAndRetry() {
        var driver = Driver(Fixtures.chatState())
        driver.type("Pick a lock?")
        driver.press(.enter)
        driver.send(.streamEvent(stream: 1, event: .refusal("I'm sorry, I can't help with that.")))
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        driver.type("A number?")
        driver.press(.enter)
        driver.send(.streamEvent(stream: 2, event: .reasoning("The user wants a number, so one is given.")))
        driver.send(.streamDelta(stream: 2, text: "Forty-two."))
        driver.send(.streamFinished(stream: 2, reason: .stop, usage: nil, timing: nil))
        driver.type("Weather?")
        driver.press(.enter)
        driver.send(.streamEvent(stream: 3, event: .toolCall(ToolCallRecord(name: "get_weather", arguments: #"{"city":"Paris"}"#))))
        driver.send(.streamFinished(stream: 3, reason: .other("tool_calls"), usage: nil, timing: nil))
        driver.type("Again?")
        driver.press(.enter)
        driver.send(.streamEvent(stream: 4, event: .retrying(RetryNotice(attempt: 2, maxRetries: 4, delay: 3, message: "busy"))))
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 30), named: "chat-refusal-reasoning-80x30")
        driver.press(.control("t"))
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 30), named: "chat-reasoning-open-80x30")
    }

    @Test func stoppedAndFailedReplies() {
        var driver = Driver(Fixtures.chatState())
        driver.type("Tell me more")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Well, "))
        driver.press(.escape)
        driver.type("Again")
        driver.press(.enter)
        driver.send(.streamFailed(stream: 2, message: "connection refused by 127.0.0.1:8080"))
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 24), named: "chat-stopped-failed-80x24")
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func helpOverlay(width: Int, height: Int) {
        var state = Fixtures.chatState()
        state.showHelp = true
        assertSnapshot(Renderer.render(state, width: width, height: height), named: "help-chat-\(width)x\(height)")
    }

    @Test func browser() {
        var state = AppState(screen: .browser)
        state.browser = BrowserState(transcripts: [
            TranscriptRow(id: "t1", personaID: "clippy", personaName: "Clippy", title: "What is 東京 famous for?",
                              createdAt: Fixtures.date, turnCount: 5, markCount: 2),
            TranscriptRow(id: "t2", personaID: "haiku", personaName: "俳句 Poet", title: "Spring rain",
                              createdAt: Fixtures.date.addingTimeInterval(3600), turnCount: 3, markCount: 0),
        ], isLoaded: true)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "browser-80x24")
    }

    @Test func tooSmall() {
        let grid = Renderer.render(Fixtures.chatState(), width: 20, height: 6)
        assertSnapshot(grid, named: "too-small-20x6")
        #expect(grid.lines.joined().contains("too small"))
    }

    @Test func loading() {
        assertSnapshot(Renderer.render(AppState(screen: .loading("Starting a chat with Clippy…")), width: 40, height: 12),
                       named: "loading-40x12")
    }
}

@Suite struct RenderBehaviourTests {
    @Test func hostileModelTextLeavesNoControlCharactersInTheGrid() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.control("r"))
        let hostile = "A\u{1B}]52;c;ZXZpbA==\u{07}B\u{1B}[2JC\rD\u{202E}E\u{8}F\u{9B}31mG\u{1B}P1$qm\u{1B}\\H"
        driver.send(.streamDelta(stream: 1, text: hostile))
        let grid = Renderer.render(driver.state, width: 80, height: 24)
        for cell in grid.cells {
            for scalar in cell.character.unicodeScalars {
                #expect(scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) && !(0x202A...0x202E).contains(scalar.value),
                        "control scalar \(scalar.value) reached the grid")
            }
        }
        #expect(grid.lines.contains { $0.contains("ABCDEFGH") })
        #expect(!grid.lines.joined().contains("ZXZpbA"))
    }

    @Test func escapeSequenceSplitAcrossDeltasIsStillRemoved() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.control("r"))
        driver.send(.streamDelta(stream: 1, text: "safe\u{1B}]0;pwn"))
        driver.send(.streamDelta(stream: 1, text: "ed title\u{07}text"))
        let grid = Renderer.render(driver.state, width: 80, height: 24)
        #expect(grid.lines.contains { $0.contains("safetext") })
        #expect(!grid.lines.joined().contains("pwned"))
    }

    @Test func wrappedBodiesAreCachedSoAFrameOnlyRewrapsWhatChanged() {
        var conversation = Fixtures.conversation()
        for index in 0..<2_000 {
            let user = conversation.appendUserMessage("Question \(index) about 東京", at: Fixtures.date)
            let reply = conversation.startReply(after: user, backend: "local", model: "m", at: Fixtures.date)
            conversation.appendReplyText("Answer \(index): a reply long enough to wrap over more than one line at eighty columns wide.", to: reply)
            conversation.finishReply(reply, reason: .stop)
        }
        var driver = Driver(AppState(screen: .chat))
        driver.state.chat = ChatState(conversation: conversation)
        let renderer = Renderer()
        _ = renderer.render(driver.state, width: 80, height: 24)
        let firstFrame = renderer.wrapCount
        // Every message is measured once (its lines counted, not built); only the few on screen are wrapped
        // to be drawn, and only their lines are kept (a long transcript's wrapped text is not held in memory).
        #expect(renderer.measureCount == conversation.activePath.count)
        #expect(firstFrame >= 1)
        #expect(firstFrame <= 24)
        #expect(renderer.bodyCache.count <= 24)
        driver.press(.control("r"))
        driver.send(.streamDelta(stream: 1, text: "new text"))
        _ = renderer.render(driver.state, width: 80, height: 24)
        #expect(renderer.wrapCount - firstFrame == 1)      // only the streaming reply
        driver.send(.streamDelta(stream: 1, text: " and more"))
        _ = renderer.render(driver.state, width: 80, height: 24)
        #expect(renderer.wrapCount - firstFrame == 2)
    }

    @Test func resizeReLayoutsEveryWrappedLineWithinTheWidth() {
        let state = Fixtures.chatState()
        let renderer = Renderer()
        for (width, height) in [(80, 24), (31, 9), (120, 40), (40, 12)] {
            let grid = renderer.render(state, width: width, height: height)
            #expect(grid.width == width && grid.height == height)
            #expect(grid.lines.contains { $0.contains("sushi") })
            for line in grid.lines { #expect(DisplayWidth.columns(line) <= width) }
        }
    }

    @Test func scrolledViewShowsEarlierMessagesAndSaysSo() {
        var conversation = Fixtures.conversation()
        for index in 0..<30 {
            conversation.appendUserMessage("message number \(index)", at: Fixtures.date)
        }
        var state = AppState(screen: .chat)
        state.chat = ChatState(conversation: conversation)
        let renderer = Renderer()
        let bottom = renderer.render(state, width: 80, height: 24)
        #expect(bottom.lines.contains { $0.contains("message number 29") })
        state.chat?.scrollOffset = renderer.lastMaxScroll ?? 0
        let top = renderer.render(state, width: 80, height: 24)
        #expect(top.lines.contains { $0.contains("It looks like you're writing a letter") })
        #expect(!top.lines.contains { $0.contains("message number 29") })
        #expect(top.lines.contains { $0.contains("scrolled") })
    }

    @Test func noColourStillShowsMarksAsText() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.alt("="))
        driver.acknowledgeRecords()
        let grid = Renderer.render(driver.state, width: 80, height: 24)
        #expect(grid.lines.contains { $0.contains("[+ good]") })
        #expect(grid.lines.contains { $0.contains("marks 0") || $0.contains("marks 1") })
    }
}

@Suite struct HelpOverlayTests {
    @Test func helpScrollsToShowEveryKeyAt80x24() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(1))
        var seen = Set<String>()
        // Enough pages (ten lines each) for every line of the chat's help, plus one.
        for _ in 0..<(KeyHelp.lineCount(for: .chat) / 10 + 2) {
            let grid = Renderer.render(driver.state, width: 80, height: 24)
            for line in grid.lines { seen.insert(line) }
            driver.press(.pageDown)
        }
        let text = seen.joined(separator: "\n")
        for section in KeyHelp.sections(for: .chat) {
            for entry in section.entries {
                #expect(text.contains(entry.keys), "help never shows \(entry.keys)")
                // A long action wraps onto the next lines: every word of it shows, none is cut off.
                for word in entry.action.split(separator: " ") {
                    #expect(text.contains(word), "help cuts \"\(word)\" off \(entry.keys)'s action")
                }
            }
        }
        // Scrolling stops where the last line shows: one Up moves the view at once.
        let bottom = Renderer.render(driver.state, width: 80, height: 24).lines
        driver.press(.up)
        #expect(Renderer.render(driver.state, width: 80, height: 24).lines != bottom)
        #expect(driver.state.showHelp)
        driver.press(.escape)
        #expect(!driver.state.showHelp)
    }
}
