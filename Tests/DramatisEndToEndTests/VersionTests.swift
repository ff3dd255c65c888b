import Foundation
import Testing
import DramatisCore
import DramatisTestSupport

@Suite struct VersionTests {
    @Test func binaryReportsItsVersion() async throws {
        let result = try await ProcessRunner.run(BuiltProducts.dramatis, ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == DramatisVersion.string)
    }
}
