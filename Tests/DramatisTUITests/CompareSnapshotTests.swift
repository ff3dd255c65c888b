import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// Compare mode drawn with styles: two panes side by side (wide) or stacked (narrow), blind, decided, streaming.
@Suite struct CompareSnapshotTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func roundWaitingForADecision(width: Int, height: Int) {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver, "Tea or coffee?", "Tea, obviously. It is gentler and you can drink it all day.",
                              "Coffee. Strong, black, and before any question about tea.")
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "compare-waiting-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func blindRoundStreaming(width: Int, height: Int) {
        var driver = CompareFixtures.driver(blind: true, shuffleSeed: 7)
        driver.type("Tea or coffee?")
        driver.press(.enter)
        driver.send(.streamDelta(stream: 1, text: "Tea, obvi"))
        driver.send(.streamDelta(stream: 2, text: "Coffee."))
        driver.send(.streamFinished(stream: 2, reason: .stop, usage: nil, timing: nil))
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "compare-blind-streaming-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func decidedRoundsWithTally(width: Int, height: Int) {
        var driver = CompareFixtures.driver()
        CompareFixtures.round(&driver, "Tea or coffee?", "Tea.", "Coffee.")
        driver.press(.character("b"))
        CompareFixtures.round(&driver, "Milk?", "No milk.", "A little milk.")
        driver.press(.character("t"))
        driver.acknowledgeRecords()
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "compare-decided-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func threeCandidatesStacked(width: Int, height: Int) {
        var state = Fixtures.chatState()
        state.chat!.compare = CompareSetup.candidates(of: Fixtures.clippy, sampling: SamplingParameters(temperature: 0, seed: 42), count: 3)
        var driver = Driver(state)
        driver.type("Tea?")
        driver.press(.enter)
        for (index, id) in [1, 2, 3].enumerated() {
            driver.send(.streamDelta(stream: id, text: ["Tea.", "Coffee.", "Water, honestly."][index]))
            driver.send(.streamFinished(stream: id, reason: .stop, usage: nil, timing: nil))
        }
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "compare-three-\(width)x\(height)")
    }
}
