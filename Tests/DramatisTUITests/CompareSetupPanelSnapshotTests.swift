import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// The compare setup panel (F8) drawn with styles at 80×24 and 120×40: over the chat with two sources (base against
/// tuned, a refused temperature shown in red), and over the picker in candidates mode.
@Suite struct CompareSetupPanelSnapshotTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func twoSourcesOverTheChatWithAProblem(width: Int, height: Int) {
        var driver = CompareSetupFixtures.chatDriver()
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .persona(1))
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .adapter(0))
        driver.press(.right)
        CompareSetupFixtures.select(&driver, .temperature(1))
        CompareSetupFixtures.replace(&driver, with: "2.5")
        CompareSetupFixtures.select(&driver, .blind)
        driver.press(.right)
        driver.press(.enter)
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "compare-setup-chat-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func candidatesOverThePicker(width: Int, height: Int) {
        var driver = Driver(Fixtures.pickerState())
        driver.press(.function(8))
        driver.send(.compareSetupOptionsLoaded(CompareSetupFixtures.options))
        driver.press(.right)                 // candidates mode
        driver.press(.down, .right)          // three
        CompareSetupFixtures.select(&driver, .adapter(0))
        driver.press(.left)                  // tuned RUN
        assertSnapshot(Renderer.render(driver.state, width: width, height: height), named: "compare-setup-picker-\(width)x\(height)")
    }
}
