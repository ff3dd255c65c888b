import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

@Suite struct PickerReducerTests {
    @Test func typingFiltersAndEnterStartsTheSelectedPersona() {
        var driver = Driver(Fixtures.pickerState())
        driver.type("haiku")
        #expect(driver.state.picker.visible.map(\.id) == ["haiku"])
        let effects = driver.press(.enter)
        #expect(effects == [.startChat(personaID: "haiku")])
        #expect(driver.state.screen == .loading("Starting a chat with 俳句 Poet…"))
    }

    @Test func movementClampsAndBackspaceWidensTheFilter() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.down, .down, .down, .down)
        #expect(driver.state.picker.selection == 2)
        driver.press(.up)
        #expect(driver.state.picker.selection == 1)
        driver.type("zzz")
        #expect(driver.state.picker.visible.isEmpty)
        driver.press(.backspace, .backspace, .backspace)
        #expect(driver.state.picker.visible.count == 3)
        driver.type("clip")
        driver.press(.escape)
        #expect(driver.state.picker.filter.isEmpty)
    }

    @Test func brokenPersonaCannotStartAndSaysWhy() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.end)
        let produced1 = driver.press(.enter)
        #expect(produced1.isEmpty)
        #expect(driver.state.notice?.isError == true)
        #expect(driver.state.notice?.text.contains("temperature") == true)
        #expect(driver.state.screen == .picker)
    }

    @Test func ctrlOOpensTheTranscriptBrowser() {
        var driver = Driver(Fixtures.pickerState())
        let produced2 = driver.press(.control("o"))
        #expect(produced2 == [.loadTranscripts])
        #expect(driver.state.screen == .browser)
        let listing = TranscriptRow(id: "t1", personaID: "clippy", personaName: "Clippy", title: "Hello there",
                                        createdAt: Fixtures.date, turnCount: 3, markCount: 1)
        let other = TranscriptRow(id: "t2", personaID: "haiku", personaName: "Poet", title: "Spring",
                                      createdAt: Fixtures.date, turnCount: 2, markCount: 0)
        driver.send(.transcriptsLoaded([listing, other]))
        driver.type("poet")
        #expect(driver.state.browser.visible.map(\.id) == ["t2"])
        let produced3 = driver.press(.enter)
        #expect(produced3 == [.openTranscript(id: "t2")])
    }

    @Test func browserHasThePickersListKeys() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.control("o"))
        let rows = (0..<12).map {
            TranscriptRow(id: "t\($0)", personaID: "clippy", personaName: "Clippy", title: "Talk \($0)",
                          createdAt: Fixtures.date, turnCount: 2, markCount: 0)
        }
        driver.send(.transcriptsLoaded(rows))
        driver.press(.end)
        #expect(driver.state.browser.selected?.id == "t11")
        driver.press(.pageUp)
        #expect(driver.state.browser.selection == 6)
        driver.press(.home)
        #expect(driver.state.browser.selection == 0)
        driver.press(.control("n"))
        #expect(driver.state.browser.selection == 1)
        driver.press(.paste("Talk\n1"))
        #expect(driver.state.browser.filter == "Talk 1")
        #expect(driver.state.browser.visible.map(\.id) == ["t1", "t10", "t11"])
        driver.press(.control("u"))
        #expect(driver.state.browser.visible.count == 12)
    }

    @Test func browserEscapeClearsThenGoesBack() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.control("o"))
        driver.type("x")
        driver.press(.escape)
        #expect(driver.state.browser.filter.isEmpty)
        #expect(driver.state.screen == .browser)
        driver.press(.escape)
        #expect(driver.state.screen == .picker)
    }

    @Test func questionMarkAndF1ShowHelpAndAnyKeyClosesIt() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.character("?"))
        #expect(driver.state.showHelp)
        driver.press(.character("x"))
        #expect(!driver.state.showHelp)
        #expect(driver.state.picker.filter.isEmpty)
        driver.press(.function(1))
        #expect(driver.state.showHelp)
    }

    @Test func chatReadyAndChatFailed() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.enter)
        driver.send(.chatFailed(.couldNotStartChat(persona: "clippy", reason: "connection refused")))
        #expect(driver.state.screen == .picker)
        #expect(driver.state.notice?.isError == true)
        driver.press(.enter)
        driver.send(.chatReady(Fixtures.conversation()))
        #expect(driver.state.screen == .chat)
        #expect(driver.state.notice == nil)
        #expect(driver.chat.focus == .input)
    }
}

@Suite struct ChatReducerTests {
    func freshChat() -> Driver {
        var state = AppState(screen: .chat)
        state.chat = ChatState(conversation: Fixtures.conversation())
        return Driver(state)
    }

    @Test func enterSendsTheMessageAndStartsAStream() throws {
        var driver = freshChat()
        driver.type("Hi")
        let effects = driver.press(.enter)
        #expect(effects.count == 1)
        guard case .startStream(let id, let request) = effects.first else { Issue.record("no stream"); return }
        #expect(id == 1)
        #expect(request.messages.last == .user("Hi"))
        #expect(request.messages.first == .system(Fixtures.clippy.systemPrompt))
        #expect(request.sampling.seed == 42)
        #expect(driver.chat.phase == .waiting)
        #expect(driver.chat.editor.isEmpty)
        #expect(driver.state.history.entries == ["Hi"])
        let last = try #require(driver.conversation.lastTurn)
        #expect(last.role == .assistant && !last.isComplete)
    }

    @Test func blankInputDoesNotSend() {
        var driver = freshChat()
        driver.type("   ")
        let produced4 = driver.press(.enter)
        #expect(produced4.isEmpty)
    }

    @Test func altEnterAndCtrlJInsertNewlinesAndPasteDoesNotSend() {
        var driver = freshChat()
        driver.type("a")
        driver.press(.altEnter)
        driver.type("b")
        driver.press(.newline)
        driver.send(.key(.paste("line 1\nline 2")))
        #expect(driver.chat.editor.text == "a\nb\nline 1\nline 2")
        #expect(driver.effects.isEmpty)
    }

    @Test func streamingDeltasFinishAndRecord() {
        var driver = freshChat()
        driver.type("Hi")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Hel"))
        #expect(driver.chat.phase == .streaming)
        driver.send(.streamDelta(stream: 1, text: "lo"))
        driver.send(.streamDelta(stream: 99, text: "ignored"))
        let effects = driver.send(.streamFinished(stream: 1, reason: .stop, usage: TokenUsage(promptTokens: 5, completionTokens: 2),
                                                  timing: ReplyTiming(timeToFirstToken: 0.1, total: 0.3, tokensPerSecond: 12)))
        #expect(driver.conversation.lastTurn?.text == "Hello")
        #expect(driver.conversation.lastTurn?.isComplete == true)
        #expect(driver.chat.phase == .idle)
        #expect(driver.chat.lastReply == ReplyStats(completionTokens: 2, tokensPerSecond: 12))
        guard case .record(let recorded, .replyFinished) = effects.first else { Issue.record("not recorded"); return }
        #expect(recorded.lastTurn?.text == "Hello")
        driver.send(.recorded(location: "/tmp/t.json", reason: .replyFinished, contentHash: recorded.hashValue))
        #expect(driver.chat.savedLocation == "/tmp/t.json")
    }

    @Test func escapeStopsStreamingKeepingPartialText() {
        var driver = freshChat()
        driver.type("Hi")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Partial"))
        let effects = driver.press(.escape)
        #expect(effects.first == .cancelStream(id: 1))
        #expect(effects.count == 2)
        #expect(driver.conversation.lastTurn?.text == "Partial")
        #expect(driver.conversation.lastTurn?.reply?.finishReason == .cancelled)
        #expect(driver.chat.focus == .input)          // Esc stopped the stream; it did not enter the cursor
        driver.send(.streamDelta(stream: 1, text: " late"))
        #expect(driver.conversation.lastTurn?.text == "Partial")
    }

    @Test func streamFailureKeepsTextAndShowsError() {
        var driver = freshChat()
        driver.type("Hi")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Par"))
        let effects = driver.send(.streamFailed(stream: 1, message: "connection closed mid-stream"))
        #expect(driver.chat.phase == .error("connection closed mid-stream"))
        #expect(driver.conversation.lastTurn?.reply?.error == "connection closed mid-stream")
        #expect(driver.conversation.lastTurn?.text == "Par")
        #expect(effects.count == 1)
    }

    @Test func ctrlRRegeneratesKeepingTheOldReplyAsAlternative() {
        var driver = Driver(Fixtures.chatState())
        let old = driver.chat.latestReply!
        let effects = driver.press(.control("r"))
        guard case .startStream(_, let request) = effects.first else { Issue.record("no stream"); return }
        #expect(request.messages.last == .user("What is 東京 famous for? 🍣"))
        let new = driver.chat.latestReply!
        #expect(new != old)
        #expect(driver.conversation.alternatives(of: new) == [old, new])
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        driver.press(.alt(","))
        #expect(driver.chat.latestReply == old)
        driver.press(.alt("."))
        #expect(driver.chat.latestReply == new)
    }

    @Test func regenerateWhileStreamingIsRefused() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.control("r"))
        let produced5 = driver.press(.control("r"))
        #expect(produced5.isEmpty)
        #expect(driver.state.notice?.isError == true)
    }

    @Test func markChordsFromTheEditorRecordBeforeTheBadge() {
        var driver = Driver(Fixtures.chatState())
        let reply = driver.chat.latestReply!
        var effects = driver.press(.alt("="))
        #expect(driver.conversation[reply].mark?.value == .good)
        guard case .record(let recorded, .mark) = effects.first else { Issue.record("not recorded"); return }
        #expect(recorded[reply].mark?.value == .good)
        driver.send(.recorded(location: "x", reason: .mark, contentHash: recorded.hashValue))
        #expect(driver.chat.recordedMarks == 1)
        effects = driver.press(.alt("-"))
        #expect(driver.conversation[reply].mark?.value == .bad)
        #expect(effects.count == 1)
        driver.press(.alt("0"))
        #expect(driver.conversation[reply].mark == nil)
        driver.send(.recorded(location: "x", reason: .mark, contentHash: driver.conversation.hashValue))
        #expect(driver.chat.recordedMarks == 0)
    }

    @Test func recordFailureIsShownAsAnError() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.alt("="))
        driver.send(.recordFailed("disk full"))
        #expect(driver.state.notice == Notice(.notSaved(reason: "disk full")))
        #expect(driver.state.notice?.text == "NOT SAVED: disk full" && driver.state.notice?.isError == true)
    }

    @Test func messageCursorMovesMarksAndReturns() {
        var driver = Driver(Fixtures.chatState())
        let path = driver.conversation.activePath
        driver.press(.tab)
        #expect(driver.chat.focus == .messages)
        #expect(driver.chat.cursorTurn == path.last)
        driver.press(.up)
        #expect(driver.chat.cursorTurn == path[1])
        driver.press(.character("+"))
        #expect(driver.state.notice?.text.contains("Only replies") == true)
        driver.press(.up)
        #expect(driver.chat.cursorTurn == path[0])
        let effects = driver.press(.character("-"))
        #expect(driver.conversation[path[0]].mark?.value == .bad)
        #expect(effects.count == 1)
        driver.press(.character("k"), .home)
        #expect(driver.chat.cursorTurn == path[0])
        driver.press(.character("G"))
        #expect(driver.chat.cursorTurn == path.last)
        driver.press(.character("="))
        #expect(driver.conversation[path.last!].mark?.value == .good)
        driver.press(.character("0"))
        #expect(driver.conversation[path.last!].mark == nil)
        driver.press(.escape)
        #expect(driver.chat.focus == .input)
    }

    @Test func escapeWhenIdleEntersTheMessageCursor() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.escape)
        #expect(driver.chat.focus == .messages)
        driver.press(.character("i"))
        #expect(driver.chat.focus == .input)
    }

    @Test func editingAReplyKeepsTheOriginalAsRejected() {
        var driver = Driver(Fixtures.chatState())
        let original = driver.chat.latestReply!
        driver.press(.tab, .character("e"))
        #expect(driver.chat.editTarget == .reply(original))
        #expect(driver.chat.focus == .input)
        driver.press(.control("u"))
        driver.type("Sushi, obviously.")
        let effects = driver.press(.enter)
        guard case .record(_, .edit) = effects.first else { Issue.record("edit not recorded"); return }
        let edited = driver.chat.latestReply!
        #expect(edited != original)
        #expect(driver.conversation[edited].text == "Sushi, obviously.")
        #expect(driver.conversation[edited].mark?.value == .good)
        #expect(driver.conversation[original].mark?.value == .bad)
        #expect(driver.chat.editTarget == nil)
        #expect(driver.chat.editor.isEmpty)
    }

    @Test func cancellingAnEditRestoresTheDraft() {
        var driver = Driver(Fixtures.chatState())
        driver.type("my draft")
        driver.press(.alt("e"))
        #expect(driver.chat.editor.text.hasPrefix("Oh, just sushi"))
        driver.press(.escape)
        #expect(driver.chat.editTarget == nil)
        #expect(driver.chat.editor.text == "my draft")
    }

    @Test func editingAnEarlierUserMessageStartsANewBranch() {
        var driver = Driver(Fixtures.chatState())
        let oldPath = driver.conversation.activePath
        driver.press(.tab, .up, .character("e"))
        #expect(driver.chat.editTarget == .userMessage(oldPath[1]))
        driver.press(.control("u"))
        driver.type("What is Kyoto famous for?")
        let effects = driver.press(.enter)
        guard case .startStream(_, let request) = effects.first else { Issue.record("no stream"); return }
        #expect(request.messages.last == .user("What is Kyoto famous for?"))
        let newPath = driver.conversation.activePath
        #expect(newPath[0] == oldPath[0])
        #expect(newPath[1] != oldPath[1])
        #expect(driver.conversation.alternatives(of: newPath[1]) == [oldPath[1], newPath[1]])
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        // The old branch stays reachable: flip back with Left in the message cursor.
        driver.press(.tab, .up, .left)
        #expect(driver.conversation.activePath == oldPath)
    }

    @Test func historyRecallsOnFirstAndLastLine() {
        var driver = freshChat()
        driver.type("first")
        driver.press(.enter)
        driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        driver.type("draft")
        driver.press(.up)
        #expect(driver.chat.editor.text == "first")
        driver.press(.down)
        #expect(driver.chat.editor.text == "draft")
    }

    @Test func readlineKeysReachTheEditor() {
        var driver = freshChat()
        driver.type("hello world")
        driver.press(.control("w"))
        #expect(driver.chat.editor.text == "hello ")
        driver.press(.control("a"), .control("d"))
        #expect(driver.chat.editor.text == "ello ")
        driver.press(.control("e"), .control("b"), .control("b"), .control("k"))
        #expect(driver.chat.editor.text == "ell")
        driver.press(.alt("b"))
        #expect(driver.chat.editor.cursor == 0)
        driver.press(.alt("f"), .control("u"))
        #expect(driver.chat.editor.text.isEmpty)
    }

    @Test func ctrlXCtrlEOpensTheExternalEditorAndItsTextReplacesTheInput() {
        var driver = freshChat()
        driver.type("long")
        let produced6 = driver.press(.control("x"))
        #expect(produced6.isEmpty)
        let produced7 = driver.press(.control("e"))
        #expect(produced7 == [.openExternalEditor("long")])
        driver.send(.externalEditorFinished(text: "a long\nprompt\n", error: nil))
        #expect(driver.chat.editor.text == "a long\nprompt")
    }

    @Test func scrollingKeysAreClampedByTheMeasurement() {
        var driver = Driver(Fixtures.chatState())
        driver.send(.transcriptMeasured(maxScroll: 4))
        driver.press(.pageUp)
        #expect(driver.chat.scrollOffset == 4)
        driver.press(.wheelDown)
        #expect(driver.chat.scrollOffset == 1)
        driver.press(.end)
        #expect(driver.chat.scrollOffset == 0)
        driver.press(.home)
        #expect(driver.chat.scrollOffset == 4)
        driver.press(.pageDown)
        #expect(driver.chat.scrollOffset == 0)
    }

    @Test func ctrlSSavesAndShowsWhere() {
        var driver = Driver(Fixtures.chatState())
        let effects = driver.press(.control("s"))
        guard case .record(let saved, .save) = effects.first else { Issue.record("not saved"); return }
        driver.send(.recorded(location: "/state/transcripts/x.json", reason: .save, contentHash: saved.hashValue))
        #expect(driver.state.notice?.text == "Transcript saved: /state/transcripts/x.json")
    }

    @Test func quittingMidStreamStopsKeepsAndSaves() {
        var driver = Driver(Fixtures.chatState())
        driver.type("more")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "half"))
        let effects = driver.press(.control("q"))
        #expect(effects.count == 3)
        #expect(effects.first == .cancelStream(id: 1))
        #expect(effects.last == .quit)
        guard case .record(let saved, .leaving) = effects[1] else { Issue.record("not saved"); return }
        #expect(saved.lastTurn?.text == "half")
        #expect(saved.lastTurn?.reply?.finishReason == .cancelled)
        #expect(driver.state.isQuitting)
    }

    @Test func quittingAnEmptyChatSavesNothing() {
        var state = AppState(screen: .chat)
        state.chat = ChatState(conversation: Fixtures.conversation())
        var driver = Driver(state)
        let produced8 = driver.press(.control("c"))
        #expect(produced8 == [.quit])
    }

    @Test func leavingAnUnchangedOpenedTranscriptDoesNotWriteItAgain() {
        let opened = try! #require(Fixtures.chatState().chat).conversation
        var driver = Driver(AppState(screen: .loading("Opening…")))
        driver.send(.chatReady(opened))
        #expect(driver.press(.control("o")) == [.loadTranscripts])   // back to the browser: nothing to save

        driver.send(.chatReady(opened))
        driver.press(.tab)
        let marked = driver.press(.character("+"))
        guard case .record(let recorded, .mark) = marked.first else { Issue.record("mark not recorded"); return }
        driver.send(.recorded(location: "x", reason: .mark, contentHash: recorded.hashValue))
        #expect(driver.press(.control("q")) == [.quit])                 // the mark is already on disk

        driver.send(.chatReady(opened))
        driver.press(.tab)
        driver.press(.character("-"))                                    // changed, and not (yet) acknowledged
        let leaving = driver.press(.control("q"))
        guard case .record(let saved, .leaving) = leaving.first else { Issue.record("change not saved on leaving"); return }
        #expect(saved.markCount == 1)
    }

    @Test func switchingPersonaSavesAndReturnsToThePicker() {
        var driver = Driver(Fixtures.chatState())
        let effects = driver.press(.control("p"))
        #expect(driver.state.screen == .picker)
        #expect(effects.last == .loadPersonas)
        guard case .record(_, .leaving) = effects.first else { Issue.record("not saved"); return }
    }

    @Test func helpOnQuestionMarkOnlyWhenInputIsEmpty() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.character("?"))
        #expect(driver.state.showHelp)
        driver.press(.escape)
        #expect(!driver.state.showHelp)
        driver.type("why?")
        #expect(driver.chat.editor.text == "why?")
        #expect(!driver.state.showHelp)
    }
}

@Suite struct MarkConfirmationReducerTests {
    /// `Fixtures.chatState()` with its reply finished by `reason` instead of `stop`.
    func chat(finishedBy reason: FinishReason) -> Driver {
        var state = Fixtures.chatState()
        let reply = state.chat!.latestReply!
        state.chat!.conversation.finishReply(reply, reason: reason)
        return Driver(state)
    }

    @Test func aCutOffReplyIsMarkedGoodOnlyAfterYes() {
        var driver = chat(finishedBy: .length)
        let reply = driver.chat.latestReply!
        #expect(driver.press(.alt("=")).isEmpty)
        #expect(driver.conversation[reply].mark == nil)
        #expect(driver.state.notice?.text == "This reply was cut off (max tokens reached). Train on it anyway? y = mark good, any other key = cancel")
        // Any other key cancels (and is not typed into the editor).
        #expect(driver.press(.character("n")).isEmpty)
        #expect(driver.conversation[reply].mark == nil)
        #expect(driver.chat.editor.isEmpty)
        #expect(driver.state.notice?.text == "Not marked.")
        driver.press(.alt("="))
        let effects = driver.press(.character("y"))
        #expect(driver.conversation[reply].mark?.value == .good)
        #expect(driver.conversation[reply].mark?.isConfirmed == true)
        guard case .record(let recorded, .mark) = effects.first else { Issue.record("not recorded"); return }
        #expect(DatasetExamples.sft(from: recorded).count == 1)
        #expect(driver.state.notice == nil)
        // Marking it good again asks nothing.
        #expect(driver.press(.alt("=")).isEmpty)
        #expect(driver.chat.pendingGoodMark == nil)
        // A bad mark needs no confirmation.
        #expect(driver.press(.alt("-")).count == 1)
    }

    @Test func markingAnIdenticalRegenerationSaysWhyNoPairIsWritten() {
        var state = Fixtures.chatState()
        let first = state.chat!.latestReply!
        let text = state.chat!.conversation[first].text
        let second = state.chat!.conversation.startReply(after: state.chat!.conversation[first].parent, backend: "local", model: "m", at: Fixtures.date)
        state.chat!.conversation.appendReplyText(text + "\n", to: second)
        state.chat!.conversation.finishReply(second, reason: .stop)
        var driver = Driver(state)
        driver.press(.alt("-"))
        #expect(driver.state.notice == nil)
        driver.press(.alt(","))
        #expect(driver.chat.latestReply == first)
        let effects = driver.press(.alt("="))
        #expect(effects.count == 1)
        #expect(driver.state.notice?.text == "Not written as a preference pair: the good and the bad reply are identical (ignoring whitespace).")
        #expect(driver.state.notice?.isError == true)
    }
}
