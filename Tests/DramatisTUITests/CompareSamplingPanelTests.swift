import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisTUI

/// The sampling panel (F3) in compare mode: it edits one source's sampling, Alt-. / Alt-, switch the side, the next
/// round requests and records each side's own values; drawn at 80×24 with styles.
@Suite struct CompareSamplingPanelTests {
    /// The sampling of each request a send started, in pane order.
    static func sentSampling(_ effects: [Effect]) -> [SamplingParameters] {
        effects.compactMap { effect -> SamplingParameters? in if case .startStream(_, let request) = effect { request.sampling } else { nil } }
    }

    @Test func inCompareModeF3OpensOnSourceAAndAltDotSwitchesToB() {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        driver.press(.function(3))
        #expect(driver.chat.samplingPanel?.target == .compareSource("A"))
        #expect(HintMode.of(driver.state) == .samplingPanelCompare)
        driver.press(.alt("."))
        let panel = try! #require(driver.chat.samplingPanel)
        #expect(panel.target == .compareSource("B"))
        #expect(panel.text(of: .seed) == "42")
        #expect(panel.target.title(in: driver.chat) == "Sampling for compare source B · haiku · t=0.0 · seed 42")
        #expect(panel.target.persona(in: driver.chat).id == "haiku")
        // Wraps around: Alt-. again is A, Alt-, goes back to B.
        driver.press(.alt("."))
        #expect(driver.chat.samplingPanel?.target == .compareSource("A"))
        driver.press(.alt(","))
        #expect(driver.chat.samplingPanel?.target == .compareSource("B"))
    }

    @Test func appliedValuesGoToThatSideOnlyAndTheNextRoundRequestsAndRecordsThem() throws {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        driver.press(.function(3), .alt("."))
        SamplingPanelTests.replace(&driver, with: "0.9")
        driver.press(.down, .down)
        SamplingPanelTests.replace(&driver, with: "64")
        driver.press(.enter)
        #expect(driver.chat.samplingPanel == nil)
        #expect(driver.state.notice?.message == .samplingAppliedToSource(letter: "B", summary: "temperature 0.9 · max_tokens 64 · seed 42"))
        let sideB = SamplingParameters(temperature: 0.9, maxTokens: 64, seed: 42)
        #expect(driver.chat.compare?.sources.map(\.sampling) == [SamplingParameters(temperature: 0, seed: 42), sideB])
        // Source B is not the conversation's own sampling.
        #expect(driver.conversation.sampling == SamplingParameters(temperature: 0, seed: 42))

        driver.type("Tea or coffee?")
        let sent = Self.sentSampling(driver.press(.enter))
        #expect(sent == [SamplingParameters(temperature: 0, seed: 42), sideB])
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.sides.map { driver.conversation[$0.reply].reply?.sampling } == sent)
    }

    @Test func sourceAIsTheChatsOwnSoItsValuesAreAlsoTheConversations() {
        var driver = CompareFixtures.driver()
        driver.press(.function(3))
        SamplingPanelTests.replace(&driver, with: "0.4")
        driver.press(.enter)
        #expect(driver.chat.compare?.sources[0].sampling.temperature == 0.4)
        #expect(driver.chat.compare?.sources[1].sampling.temperature == 0)
        #expect(driver.conversation.sampling.temperature == 0.4)
    }

    @Test func switchingSidesWithValuesNotAppliedIsRefusedAndLosesNothing() {
        var driver = CompareFixtures.driver()
        driver.press(.function(3))
        SamplingPanelTests.replace(&driver, with: "1.5")
        driver.press(.alt("."))
        #expect(driver.chat.samplingPanel?.target == .compareSource("A"))
        #expect(driver.chat.samplingPanel?.text(of: .temperature) == "1.5")
        #expect(driver.state.notice?.message == .samplingSideNotApplied)
        // Esc drops them; the side key then works.
        driver.press(.escape, .function(3), .alt("."))
        #expect(driver.chat.samplingPanel?.target == .compareSource("B"))
    }

    @Test func outsideCompareModeTheSideKeySaysThePanelEditsTheConversation() {
        var driver = Driver(Fixtures.chatState())
        driver.press(.function(3), .alt("."))
        #expect(driver.chat.samplingPanel?.target == .conversation)
        #expect(driver.state.notice?.message == .samplingNoOtherSide)
    }

    @Test func f3OnACompareReplyUnderTheMessageCursorOpensOnItsSource() throws {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        CompareFixtures.round(&driver)
        driver.press(.character("b"))
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        driver.state.chat!.focus = .messages
        driver.state.chat!.selectedTurn = round.sides[1].reply
        #expect(SamplingPanelReducer.defaultTarget(driver.chat) == .compareSource(round.sides[1].source))
    }

    @Test func panelOnSourceBSnapshot() {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        driver.press(.function(3), .alt("."))
        SamplingPanelTests.replace(&driver, with: "0.9")
        assertSnapshot(Renderer.render(driver.state, width: 80, height: 24), named: "compare-sampling-panel-80x24")
    }
}
