import Foundation
import Testing
import DramatisTestSupport

@Suite("ValidateCommand")
struct ValidateCommandTests {
    /// The built `dramatis`: `BuiltProducts.dramatis` when it exists, else `.build/debug/dramatis`
    /// (under `swift test` on Linux `BuiltProducts` can point one folder too high).
    private var dramatis: URL {
        if FileManager.default.isExecutableFile(atPath: BuiltProducts.dramatis.path) { return BuiltProducts.dramatis }
        return BuiltProducts.packageRoot.appendingPathComponent(".build/debug/dramatis")
    }

    private func fixture(_ name: String) throws -> String {
        BuiltProducts.packageRoot.appendingPathComponent("Tests/DramatisCoreTests/Fixtures/validation/\(name).jsonl").path
    }

    @Test("--json report with errors exits 1")
    func jsonWithErrors() async throws {
        let result = try await ProcessRunner.run(dramatis, ["validate", "--json", try fixture("chat-errors")])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.contains { $0["category"] as? String == "data_type" && $0["line"] as? Int == 2 })
        let stats = try #require(object["stats"] as? [String: Any])
        #expect(stats["examples"] as? Int == 13)
    }

    @Test("a clean file exits 0 and prints the statistics")
    func cleanFile() async throws {
        let result = try await ProcessRunner.run(dramatis, ["validate", try fixture("chat-valid")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("total tokens: 499"))
        #expect(result.stdout.contains("default 9 epochs"))
    }

    @Test("an unreadable file exits 2")
    func unreadable() async throws {
        let result = try await ProcessRunner.run(dramatis, ["validate", "/nonexistent/x.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/x.jsonl"))
    }

    @Test("several files give a JSON array; an unknown --format is refused")
    func severalFiles() async throws {
        let result = try await ProcessRunner.run(dramatis, ["validate", "--json", try fixture("chat-valid"), try fixture("chat-errors")])
        #expect(result.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let bad = try await ProcessRunner.run(dramatis, ["validate", "--format", "csv", try fixture("chat-valid")])
        #expect(bad.status != 0 && bad.stderr.contains("csv"))
    }
}
