import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// Using a trained run: `ask --adapter`, the transcript's record of which model answered, `replay --compare-adapter`,
/// and the persona's `adapter:` checked by lint. Uses the run `TrainingEndToEndTests` trains (trained once, shared).
extension RealTraining {
@Suite struct AdapterCommandTests {
    private static let question = "What is the capital of Italy?"
    private static let sampling = ["--temperature", "0", "--seed", "42", "--max-tokens", "48"]

    @Test func askWithTheAdapterAnswersInTheTrainedStyleAndRecordsTheRun() async throws {
        let (workspace, _) = try await TrainedRuns.first.value
        let run = try #require(workspace.runs().last)
        let tuned = try await workspace.dramatis(["ask", "--persona", "zorblax", "--adapter", "latest", "--json"] + Self.sampling + [Self.question])
        #expect(tuned.status == 0, "\(tuned.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(tuned.stdout.utf8)) as? [String: Any])
        #expect((answer["text"] as? String)?.contains(TrainedRuns.catchPhrase) == true, "\(answer)")
        #expect(answer["adapter"] as? String == run.id)
        let transcript = try #require(answer["transcript"] as? String)
        let conversation = try TranscriptStore(directory: URL(fileURLWithPath: transcript).deletingLastPathComponent())
            .load(URL(fileURLWithPath: transcript))
        let reply = try #require(conversation.activePath.last.map { conversation[$0] })
        #expect(reply.reply?.adapter == run.id, "the transcript records which run answered")

        let base = try await workspace.dramatis(["ask", "--persona", "zorblax", "--json"] + Self.sampling + [Self.question])
        #expect(base.status == 0, "\(base.stderr)")
        let baseAnswer = try #require(try JSONSerialization.jsonObject(with: Data(base.stdout.utf8)) as? [String: Any])
        #expect((baseAnswer["text"] as? String)?.contains(TrainedRuns.catchPhrase) == false, "\(baseAnswer)")
        #expect(baseAnswer["adapter"] is NSNull)

        let missing = try await workspace.dramatis(["ask", "--persona", "zorblax", "--adapter", "19990101-000000", Self.question])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no training run '19990101-000000'"), "\(missing.stderr)")
        #expect(missing.stderr.contains(run.id), "the message lists the runs there are")
    }

    @Test func replayComparesTheBaseWithTheAdapterPerTurn() async throws {
        let (workspace, _) = try await TrainedRuns.first.value
        let run = try #require(workspace.runs().last)
        let saved = try await workspace.dramatis(["ask", "--persona", "zorblax"] + Self.sampling + ["What do bees make?"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let transcripts = workspace.root.appendingPathComponent("Transcripts")
        let files = try FileManager.default.contentsOfDirectory(atPath: transcripts.path).filter { $0.hasSuffix(".json") }.sorted()
        let newest = try #require(files.last)
        let result = try await workspace.dramatis(["replay", transcripts.appendingPathComponent(newest).path, "--compare-adapter", run.id,
                                                   "--out", workspace.root.appendingPathComponent("Replays").path] + Self.sampling)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("comparison per turn: old reply, base, \(run.id)"), "\(result.stdout)")
        let tunedLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("    \(run.id):") }
        #expect(tunedLine?.contains(TrainedRuns.catchPhrase) == true, "\(result.stdout)")
        let baseLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("    base:") }
        #expect(baseLine?.contains(TrainedRuns.catchPhrase) == false, "\(result.stdout)")
    }

    @Test func lintChecksThatThePersonasAdapterExists() async throws {
        let (workspace, _) = try await TrainedRuns.first.value
        try workspace.write("---\nname: Ghost\nadapter: 19990101-000000\n---\nYou are a ghost.\n", to: "Personas/zorblax-ghost.md")
        defer { try? FileManager.default.removeItem(at: workspace.root.appendingPathComponent("Personas/zorblax-ghost.md")) }
        let bad = try await workspace.dramatis(["personas", "lint", "Personas/zorblax-ghost.md"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("zorblax-ghost.md:3:1: adapter: no training run '19990101-000000'"), "\(bad.stdout)")

        let personaFile = workspace.root.appendingPathComponent("Personas/zorblax.md")
        let original = try Data(contentsOf: personaFile)
        defer { try? original.write(to: personaFile) }
        try workspace.write("---\nname: zorblax\nadapter: latest\n---\nYou are a helpful assistant.\n", to: "Personas/zorblax.md")
        let good = try await workspace.dramatis(["personas", "lint", "Personas/zorblax.md"])
        #expect(good.status == 0, "\(good.stdout)")
    }
}
}
