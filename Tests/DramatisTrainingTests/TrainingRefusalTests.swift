import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis train` refuses what it cannot train on, before anything slow starts, and leaves no run behind.
@Suite struct TrainingRefusalTests {
    @Test func nineExamplesAreRefusedWithHowManyMoreAreNeeded() async throws {
        let workspace = try TrainingWorkspace(personaID: "nine")
        try workspace.writeExamples(TrainingExamples.catchPhrase("Zorblax!", count: 9))
        let result = try await workspace.dramatis(["train", "--persona", "nine"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("has 9 examples; training needs at least 10: mark 1 more good reply"), "\(result.stderr)")
        #expect(workspace.runFolderNames().isEmpty)
    }

    @Test func aBrokenLineIsRefusedWithItsLineNumber() async throws {
        let workspace = try TrainingWorkspace(personaID: "broken")
        var lines = TrainingExamples.catchPhrase("Zorblax!", count: 12)
        lines[6] = #"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok", "weight": 1}"#
        try workspace.writeExamples(lines)
        let result = try await workspace.dramatis(["train", "--persona", "broken"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("Datasets/broken/sft.jsonl:7:"), "\(result.stderr)")
        #expect(result.stderr.contains("invalid line"), "\(result.stderr)")
        #expect(workspace.runFolderNames().isEmpty)
    }

    @Test func aHostedPersonaIsRefusedWithWhatToDoInstead() async throws {
        let workspace = try TrainingWorkspace(personaID: "hosted", frontMatter: "backend: openai\n")
        try workspace.writeExamples(TrainingExamples.catchPhrase("Zorblax!", count: 12))
        var environment = workspace.environment
        environment["OPENAI_API_KEY"] = "sk-test-not-used-0000"
        let result = try await ProcessRunner.run(BuiltProducts.dramatis, ["train", "--persona", "hosted"], environment: environment,
                                                 currentDirectory: workspace.root)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("fine-tunes only the local model"), "\(result.stderr)")
        #expect(result.stderr.contains("Azure OpenAI"), "\(result.stderr)")
        #expect(result.stderr.contains("wound down"), "\(result.stderr)")
        #expect(!result.stderr.contains("sk-test"))
    }

    @Test func aMissingDatasetSaysHowToBuildOne() async throws {
        let workspace = try TrainingWorkspace(personaID: "empty")
        let result = try await workspace.dramatis(["train", "--persona", "empty", "--json"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("sft.jsonl: no such file"), "\(result.stderr)")
        #expect(result.stdout.contains(#""event":"failed""#), "\(result.stdout)")
    }

    @Test func listAndRemoveSayWhenThereIsNothing() async throws {
        let workspace = try TrainingWorkspace(personaID: "none")
        let list = try await workspace.dramatis(["train", "list"])
        #expect(list.status == 0)
        #expect(list.stderr.contains("no training runs"), "\(list.stderr)")
        let remove = try await workspace.dramatis(["train", "rm", "20260101-000000"])
        #expect(remove.status == 2)
        #expect(remove.stderr.contains("no run '20260101-000000'"), "\(remove.stderr)")
    }
}
