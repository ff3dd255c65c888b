import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// `dramatis stats --json` carries the compare tally with the numbers the text prints.
@Suite struct CompareStatsJSONTests {
    typealias F = TranscriptFixtures

    /// The persona objects of a stats JSON array.
    static func objects(_ json: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    }

    @Test func theJSONHasTheTallyAndWinRatesTheTextShows() throws {
        // Three rounds: A better, B better, tie (TeacherStudentTests' conversation, no teacher).
        let conversation = TeacherStudentTests.conversation(teacher: nil)
        let validator = DatasetValidator(tokenizer: try SharedTokenizers.require(.o200kBase), workers: 1)
        let statistics = DatasetStatistics.compute(personaID: "clippy", conversations: [conversation, F.golden()],
                                                   currentSystemPrompt: nil, validator: validator)
        let text = DatasetStatisticsRendering.summaryLines(statistics)
        #expect(text.contains("Compare: A 1 · B 1 · tie 1 · both bad 0 · skipped 0"))
        #expect(text.contains("  A wins 50% of 2 decisive rounds (95% CI 9%–91%)"))
        let object = try #require(try Self.objects(DatasetStatisticsRendering.json([statistics])).first)
        let compare = try #require(object["compare"] as? [String: Any])
        #expect(compare["wins"] as? [String: Int] == ["A": 1, "B": 1])
        #expect(compare["ties"] as? Int == 1 && compare["both_bad"] as? Int == 0 && compare["skipped"] as? Int == 0)
        #expect(compare["undecided"] as? Int == 0 && compare["decisive"] as? Int == 2)
        let rates = try #require(compare["win_rate"] as? [String: [String: Double]])
        let a = try #require(rates["A"])
        let interval = try #require(statistics.compareTally.winRate(of: "A"))
        #expect(a["estimate"] == 0.5)
        #expect(abs(a["lower"]! - interval.lower) < 0.00006 && abs(a["upper"]! - interval.upper) < 0.00006)
        // The same whole percentages as the text.
        #expect(Int((a["lower"]! * 100).rounded()) == 9 && Int((a["upper"]! * 100).rounded()) == 91)
    }

    @Test func withoutCompareRoundsTheKeyIsNull() throws {
        let validator = DatasetValidator(tokenizer: try SharedTokenizers.require(.o200kBase), workers: 1)
        let statistics = DatasetStatistics.compute(personaID: "clippy", conversations: [F.golden()], currentSystemPrompt: nil,
                                                   validator: validator)
        let object = try #require(try Self.objects(DatasetStatisticsRendering.json([statistics])).first)
        #expect(object.keys.contains("compare") && object["compare"] is NSNull)
    }
}
