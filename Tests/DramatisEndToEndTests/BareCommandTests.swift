import DramatisTestSupport
import Foundation
import Testing

/// Bare `dramatis`: the persona picker on a terminal, help otherwise.
@Suite struct BareCommandTests {
    @Test func withoutATerminalItPrintsHelp() async throws {
        let result = try await ProcessRunner.run(BuiltProducts.dramatis, [])
        #expect(result.status == 0)
        #expect(result.stdout.contains("SUBCOMMANDS:"))
        #expect(result.stdout.contains("stats"))
    }

    @Test func onATerminalItOpensThePersonaPicker() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-bare")
        let session = try TmuxSession(command: [BuiltProducts.dramatis.path], environment: [
            "HOME": home.url.path, "XDG_CONFIG_HOME": home.path("config").path, "XDG_STATE_HOME": home.path("state").path,
        ], width: 80, height: 24, workingDirectory: BuiltProducts.packageRoot)
        defer { session.kill() }
        try await onThread {
            try session.waitFor("pick a persona")
            try session.waitFor("Clippy")
            try session.press("C-c")
            #expect(try session.waitForExit() == 0)
        }
    }
}
