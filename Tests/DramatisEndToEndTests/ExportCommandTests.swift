import Foundation
import Testing
import DramatisCore
import DramatisTestSupport

@Suite struct ExportCommandTests {
    @Test func exportIsByteIdenticalTwiceAndSkipsCorruptFiles() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        for format in ExportFormat.allCases {
            let first = directory.path("\(format.rawValue)-1.jsonl"), second = directory.path("\(format.rawValue)-2.jsonl")
            let run1 = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", format.rawValue, "--transcripts", folder.path, "--out", first.path])
            let run2 = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", format.rawValue, "--transcripts", folder.path, "--out", second.path])
            #expect(run1.status == 0 && run2.status == 0, "\(format): \(run1.stderr)")
            #expect(run1.stderr.contains("1 unreadable file(s) skipped"))
            let bytes = try Data(contentsOf: first)
            #expect(bytes == (try Data(contentsOf: second)))
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == (format == .trlKTO ? 4 : 2), "\(format)")
            for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) }
        }
    }

    @Test func filtersDedupeAndSplit() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        // A copy of a conversation under another id gives identical examples: dropped and counted.
        let copy = CLIFixture.conversation(id: "20261121-000000-clippy-dddd", question: "What is the capital of France?", at: 172_800)
        try TranscriptStore(directory: folder).save(copy)
        let deduped = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "openai", "--transcripts", folder.path])
        #expect(deduped.stdout.split(separator: "\n").count == 2)
        #expect(deduped.stderr.contains("1 duplicate example(s) dropped"))

        let since = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "trl-kto", "--since", "2026-11-19", "--transcripts", folder.path])
        #expect(since.stdout.split(separator: "\n").count == 4)  // bbbb and dddd; aaaa is older
        let persona = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--persona", "nobody", "--transcripts", folder.path])
        #expect(persona.stdout.isEmpty)
        let marks = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--min-marks", "3", "--transcripts", folder.path])
        #expect(marks.stdout.isEmpty)

        let out = directory.path("split")
        let split = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "trl-kto", "--split", "0.5", "--out", out.path, "--transcripts", folder.path])
        #expect(split.status == 0, "\(split.stderr)")
        let train = try String(contentsOf: out.appendingPathComponent("train.jsonl"), encoding: .utf8)
        let validation = try String(contentsOf: out.appendingPathComponent("validation.jsonl"), encoding: .utf8)
        #expect(train.split(separator: "\n").count == 2)
        #expect(validation.split(separator: "\n").count == 2)
        #expect(Set(train.split(separator: "\n")).isDisjoint(with: Set(validation.split(separator: "\n"))))
        let again = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "trl-kto", "--split", "0.5", "--out", directory.path("split2").path, "--transcripts", folder.path])
        #expect(again.status == 0)
        #expect(train == (try String(contentsOf: directory.path("split2/train.jsonl"), encoding: .utf8)))

        let invalid = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--split", "1.5", "--out", out.path, "--transcripts", folder.path])
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("--split"))
    }
}
