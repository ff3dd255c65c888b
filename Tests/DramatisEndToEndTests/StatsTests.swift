import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// `dramatis stats` on a committed fixture set whose counts are known (see `StatsFixtures`).
@Suite("Stats")
struct StatsTests {
    static var fixtureFolder: URL { BuiltProducts.packageRoot.appendingPathComponent("Tests/DramatisCoreTests/Fixtures/stats") }

    private var dramatis: URL {
        if FileManager.default.isExecutableFile(atPath: BuiltProducts.dramatis.path) { return BuiltProducts.dramatis }
        return BuiltProducts.packageRoot.appendingPathComponent(".build/debug/dramatis")
    }

    /// Rewrites the committed transcripts (run once with DRAMATIS_WRITE_STATS_FIXTURES=1; the files are committed).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DRAMATIS_WRITE_STATS_FIXTURES"] == "1"))
    func writeFixtures() throws {
        let store = TranscriptStore(directory: Self.fixtureFolder.appendingPathComponent("Transcripts"))
        for conversation in StatsFixtures.conversations() { try store.save(conversation) }
    }

    @Test("the committed transcripts are the ones StatsFixtures describes")
    func fixturesAreCurrent() throws {
        let store = TranscriptStore(directory: Self.fixtureFolder.appendingPathComponent("Transcripts"))
        let loaded = store.loadAll(includeSubfolders: false)
        #expect(loaded.failures.isEmpty)
        #expect(loaded.conversations.sorted { $0.id < $1.id } == StatsFixtures.conversations())
    }

    @Test("stats --json: counts, progress, tokens, cost, findings with their source turn, marks")
    func statsJSON() async throws {
        let folder = Self.fixtureFolder
        let result = try await ProcessRunner.run(dramatis, ["stats", "--json", "--persona", "clippy",
                                                            "--transcripts", folder.appendingPathComponent("Transcripts").path,
                                                            "--personas", folder.appendingPathComponent("Personas").path])
        #expect(result.status == 0, "\(result.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let object = try #require(array.first)
        #expect(array.count == 1)
        #expect(object["persona"] as? String == "clippy")
        #expect(object["transcripts"] as? Int == 3)
        #expect(object["sft_examples"] as? Int == 4)
        #expect(object["preference_pairs"] as? Int == 2)
        #expect(object["kto"] as? [String: Int] == ["good": 3, "bad": 2])
        let progress = try #require(object["progress"] as? [[String: Any]])
        #expect(progress.map { $0["examples"] as? Int } == [10, 50, 100, 1000])
        #expect(progress.allSatisfy { $0["reached"] as? Bool == false && ($0["meaning"] as? String)?.isEmpty == false })
        let tokens = try #require(object["tokens"] as? [String: Any])
        let total = try #require(tokens["total"] as? Int)
        let trained = try #require(tokens["trained"] as? Int)
        #expect(total > trained && trained > 0)
        let perExample = try #require(tokens["per_example"] as? [String: Any])
        #expect((perExample["min"] as? Int ?? 0) <= (perExample["max"] as? Int ?? 0))
        let cost = try #require(object["cost"] as? [String: Any])
        #expect(cost["model"] as? String == "gpt-4o-mini")
        #expect(cost["usd_per_million_tokens"] as? Double == 3.0)
        // 4 examples: 25 epochs (the notebook's rule), every example far below the context limit.
        #expect(cost["epochs"] as? Int == 25)
        #expect(cost["billed_tokens"] as? Int == 25 * total)
        let findings = try #require(object["findings"] as? [String: [[String: Any]]])
        #expect(Set(findings.keys) == ["personal_data", "system_prompt_changed", "withheld"])
        let personal = try #require(findings["personal_data"]?.first)
        #expect(personal["transcript"] as? String == StatsFixtures.withheldID && personal["turn"] as? Int == 2)
        #expect(personal["file"] as? String == "sft.jsonl" && personal["line"] as? Int == 3)
        #expect(personal["message"] as? String == "messages[4].content contains what looks like an e-mail address (jan….com)")
        let withheld = try #require(findings["withheld"])
        #expect(withheld.map { $0["turn"] as? Int } == [5, 2])
        #expect(withheld.allSatisfy { $0["transcript"] as? String == StatsFixtures.withheldID })
        #expect(withheld.map { $0["message"] as? String } == [
            "Not written: the reply marked good was cut off (max tokens reached); confirm the mark to train on it.",
            "Not written as a preference pair: the good and the bad reply are identical (ignoring whitespace).",
        ])
        #expect(findings["system_prompt_changed"]?.map { $0["transcript"] as? String } == [StatsFixtures.olderPromptID])
        #expect(object["marks_by_source"] as? [String: Int] == ["edited": 1, "generated": 7])
        #expect(object["marks_by_day"] as? [String: Int] == ["2026-11-18": 7, "2026-11-19": 1])
    }

    @Test("stats text names the milestones and the findings' sources")
    func statsText() async throws {
        let folder = Self.fixtureFolder
        let result = try await ProcessRunner.run(dramatis, ["stats", "--transcripts", folder.appendingPathComponent("Transcripts").path,
                                                            "--personas", folder.appendingPathComponent("Personas").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("SFT examples: 4   preference pairs: 2   KTO labels: 3 good, 2 bad"))
        #expect(result.stdout.contains("[########............] 4/10: the minimum OpenAI and Azure accept for an upload"))
        #expect(result.stdout.contains("\(StatsFixtures.withheldID) turn 2 (sft.jsonl:3): messages[4].content contains what looks like an e-mail address"))
        #expect(!result.stdout.contains("jane.doe"))
    }
}
