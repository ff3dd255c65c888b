import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// The dataset screen: opened with F2 from the picker or the chat, its findings open their source turn.
@Suite struct DatasetScreenTests {
    /// An overview of clippy with three findings: one in the fixture chat's conversation (turn 2), one in another
    /// transcript, one about the whole file.
    static func overview(chatID: String = Fixtures.conversation().id) -> DatasetOverview {
        DatasetOverview(
            personaID: "clippy", transcripts: 3,
            summary: ["SFT examples: 4   preference pairs: 2   KTO labels: 3 good, 2 bad",
                      "[########............] 4/10: the minimum OpenAI and Azure accept for an upload",
                      "[#...................] 4/50: where improvements usually start to show (OpenAI suggests starting here)",
                      "tokens: 291 total, 25 trained, counted with o200k_base"],
            findings: [
                DatasetOverview.Entry(category: "personal_data", place: "\(chatID) turn 2 (sft.jsonl:3)",
                      message: "messages[4].content contains what looks like an e-mail address (jan….com)", transcript: chatID, turn: 2),
                DatasetOverview.Entry(category: "withheld", place: "20261118-000100-clippy-0002 turn 5",
                      message: "Not written: the reply marked good was cut off (max tokens reached); confirm the mark to train on it.",
                      transcript: "20261118-000100-clippy-0002", turn: 5),
                DatasetOverview.Entry(category: "too_few_examples", place: "", message: "4 examples: at least 10 are needed", transcript: nil, turn: nil),
            ],
            examples: [DatasetOverview.Entry(category: "example", place: "\(chatID) turn 2",
                                             message: "What is 東京 famous for? 🍣 → Oh, just sushi 🍣, ramen, and being the largest metro area on Earth.",
                                             transcript: chatID, turn: 2)],
            marks: ["marks by source: edited 1, generated 7", "marks by day: 2026-11-18 7, 2026-11-19 1"])
    }

    @Test func f2OnThePickerOpensTheHighlightedPersonasDatasetAndEscGoesBack() {
        var driver = Driver(Fixtures.pickerState())
        let effects = driver.press(.function(2))
        #expect(effects == [.loadDataset(personaID: "clippy")])
        #expect(driver.state.screen == .dataset)
        #expect(driver.state.dataset?.returnsToChat == false)
        driver.send(.datasetLoaded(Self.overview()))
        #expect(driver.state.dataset?.overview == Self.overview())
        driver.press(.escape)
        #expect(driver.state.screen == .picker && driver.state.dataset == nil)
    }

    @Test func questionMarkOpensTheHelpWithTheDatasetKeys() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(2))
        driver.send(.datasetLoaded(Self.overview()))
        driver.press(.character("?"))
        #expect(driver.state.showHelp)
        #expect(driver.state.screen == .dataset)
        driver.press(.escape)
        #expect(!driver.state.showHelp && driver.state.screen == .dataset)
    }

    @Test func f2InTheChatKeepsTheChatAndEscReturnsToIt() {
        var driver = Driver(Fixtures.chatState())
        let before = driver.state.chat
        #expect(driver.press(.function(2)) == [.loadDataset(personaID: "clippy")])
        #expect(driver.state.screen == .dataset && driver.state.dataset?.returnsToChat == true)
        driver.press(.escape)
        #expect(driver.state.screen == .chat)
        #expect(driver.state.chat == before)
    }

    @Test func aFindingInTheOpenConversationPutsTheCursorOnItsTurn() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(2))
        driver.send(.datasetLoaded(Self.overview()))
        let effects = driver.press(.enter)
        #expect(effects.isEmpty)
        #expect(driver.state.screen == .chat)
        #expect(driver.state.chat?.focus == .messages)
        #expect(driver.state.chat?.selectedTurn == 2)
    }

    @Test func aFindingElsewhereSavesTheChatOpensItsTranscriptAndFocusesTheTurnOnArrival() throws {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(2))
        driver.send(.datasetLoaded(Self.overview()))
        driver.press(.down)
        #expect(driver.state.dataset?.selected?.transcript == "20261118-000100-clippy-0002")
        let effects = driver.press(.enter)
        #expect(effects.last == .openTranscript(id: "20261118-000100-clippy-0002"))
        guard case .record(_, .leaving)? = effects.first else { Issue.record("the open chat was not saved first: \(effects)"); return }
        #expect(driver.state.screen == .loading(NoticeMessage.openingTranscript(id: "20261118-000100-clippy-0002").text))

        // The transcript arrives: the message cursor is on turn 5, on its branch.
        var other = Fixtures.conversation()
        other = Conversation(id: "20261118-000100-clippy-0002", createdAt: Fixtures.date, persona: other.persona,
                             backend: other.backend, sampling: other.sampling)
        var last: TurnID? = nil
        for index in 0..<3 {
            let user = other.appendUserMessage("Question \(index)", at: Fixtures.date)
            let reply = other.startReply(after: user, backend: "local", model: "m", at: Fixtures.date)
            other.appendReplyText("Answer \(index)", to: reply)
            other.finishReply(reply, reason: index == 1 ? .length : .stop)
            last = reply
        }
        _ = try #require(last)
        driver.send(.chatReady(other, connection: nil))
        #expect(driver.state.screen == .chat)
        #expect(driver.state.chat?.focus == .messages && driver.state.chat?.selectedTurn == 5)
        #expect(driver.state.pendingFocus == nil)
    }

    @Test func anExampleOpensItsLastReplyToo() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(2))
        driver.send(.datasetLoaded(Self.overview()))
        driver.press(.end)
        #expect(driver.state.dataset?.selected?.category == "example")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.screen == .chat && driver.state.chat?.selectedTurn == 2 && driver.state.chat?.focus == .messages)
    }

    @Test func aFileWideFindingSaysItHasNoSourceAndMovesStayInRange() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(2))
        driver.send(.datasetLoaded(Self.overview()))
        for _ in 0..<2 { driver.press(.down) }
        #expect(driver.state.dataset?.selection == 2)
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.screen == .dataset)
        #expect(driver.state.notice?.message == .findingHasNoSource)
        for _ in 0..<5 { driver.press(.down) }
        #expect(driver.state.dataset?.selection == 3)   // the last row: the example
        driver.press(.home)
        #expect(driver.state.dataset?.selection == 0)
        #expect(driver.press(.character("r")) == [.loadDataset(personaID: "clippy")])
        #expect(driver.state.dataset?.overview == nil)
    }

    @Test func aFailureIsShownAndAnotherPersonasResultIsIgnored() {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(2))
        var stranger = Self.overview()
        stranger.personaID = "haiku"
        driver.send(.datasetLoaded(stranger))
        #expect(driver.state.dataset?.overview == nil)
        driver.send(.datasetFailed(personaID: "clippy", message: "o200k_base.tiktoken: no such file"))
        let text = snapshotText(Renderer.render(driver.state, width: 80, height: 24))
        #expect(text.contains("Could not compute the dataset: o200k_base.tiktoken: no such file"))
    }

    @Test(arguments: [(80, 24), (40, 12)])
    func datasetScreen(width: Int, height: Int) {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(2))
        driver.send(.datasetLoaded(Self.overview()))
        driver.press(.down)
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "dataset-\(width)x\(height)")
    }
}
