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
            #expect(lines.count == (format == .trlKTO || format == .llamafactoryKTO ? 4 : 2), "\(format)")
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

    @Test func trainerFormatsWriteTheirConfigAndAzureGetsAByteOrderMark() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        let axolotl = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "axolotl", "--transcripts", folder.path,
                                                                           "--out", directory.path("out/clippy.jsonl").path])
        #expect(axolotl.status == 0, "\(axolotl.stderr)")
        let yaml = try String(contentsOf: directory.path("out/clippy.axolotl.yaml"), encoding: .utf8)
        #expect(yaml.contains("message_field_training: weight") && yaml.contains(directory.path("out/clippy.jsonl").path))

        let dpo = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "llamafactory-dpo", "--persona", "clippy",
                                                                       "--transcripts", folder.path, "--out", directory.path("out/dpo.jsonl").path])
        #expect(dpo.status == 0, "\(dpo.stderr)")
        let info = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.path("out/dataset_info.json"))) as? [String: [String: Any]])
        #expect(info["dramatis_clippy_dpo"]?["file_name"] as? String == "dpo.jsonl")
        #expect(info["dramatis_clippy_dpo"]?["ranking"] as? Bool == true)

        let noOut = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "llamafactory", "--transcripts", folder.path])
        #expect(noOut.status != 0 && noOut.stderr.contains("needs --out"))
        let wrongTarget = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "trl-kto", "--target", "together", "--transcripts", folder.path])
        #expect(wrongTarget.status != 0 && wrongTarget.stderr.contains("together does not read trl-kto files"))

        let azure = directory.path("azure.jsonl")
        let run = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--target", "azure", "--transcripts", folder.path, "--out", azure.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Data(contentsOf: azure).prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let validated = try await ProcessRunner.run(BuiltProducts.dramatis, ["validate", "--target", "azure", "--json", azure.path])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(validated.stdout.utf8)) as? [String: Any])
        #expect((report["warning_counts"] as? [String: Int])?["byte_order_mark"] == nil)
        let plain = try await ProcessRunner.run(BuiltProducts.dramatis, ["validate", "--json", azure.path])
        let plainReport = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect((plainReport["warning_counts"] as? [String: Int])?["byte_order_mark"] == 1)
    }

    @Test func theConfiguredTargetIsTheDefaultAndCurrentSystemPromptRewritesOnlyTheExport() async throws {
        let directory = try TemporaryDirectory()
        let folder = try CLIFixture.folder(in: directory)
        // A project: today's clippy has another prompt than the transcripts were made with; azure is the configured target.
        let project = directory.path("project")
        try FileManager.default.createDirectory(at: project.appendingPathComponent("Personas"), withIntermediateDirectories: true)
        try Data("---\nname: Clippy\ndescription: Edited after marking\n---\nClippy answers in one sentence, sarcastically.\n".utf8)
            .write(to: project.appendingPathComponent("Personas/clippy.md"))
        try Data("upload_target: azure\n".utf8).write(to: project.appendingPathComponent("dramatis.yaml"))
        let out = directory.path("current.jsonl")
        let run = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--transcripts", folder.path, "--out", out.path,
                                                                       "--current-system-prompt"], currentDirectory: project)
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = try Data(contentsOf: out)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])   // azure's byte-order mark, from dramatis.yaml
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let messages = try #require(object["messages"] as? [[String: Any]])
            #expect(messages.first?["content"] as? String == "Clippy answers in one sentence, sarcastically.")
        }
        // The transcripts keep the prompt they were made with.
        #expect(TranscriptStore(directory: folder).loadAll().conversations.allSatisfy { $0.persona.systemPrompt == CLIFixture.persona.systemPrompt })

        // A format azure does not read: the configured default does not apply (no BOM, no refusal).
        let kto = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", "trl-kto", "--transcripts", folder.path],
                                              currentDirectory: project)
        #expect(kto.status == 0 && !kto.stdout.hasPrefix("\u{FEFF}"))
        // A broken upload_target names the file, line and field.
        try Data("upload_target: azur\n".utf8).write(to: project.appendingPathComponent("dramatis.yaml"))
        let broken = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--transcripts", folder.path], currentDirectory: project)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("dramatis.yaml:1") && broken.stderr.contains("upload_target") && broken.stderr.contains("unknown target 'azur'"),
                "\(broken.stderr)")
    }
}
