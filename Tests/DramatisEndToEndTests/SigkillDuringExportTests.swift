import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL `dramatis export` at random moments while it replaces an existing dataset file: the
/// destination always holds either the old complete file or the new complete file, byte for byte
/// (never a torn or empty one), and a later export still works.
@Suite(.serialized) struct SigkillDuringExportTests {
    /// Writes `count` marked conversations (ids from `first`), each giving several examples in every format.
    static func seed(_ store: TranscriptStore, from first: Int, count: Int) throws {
        for index in first..<(first + count) {
            let date = Date(timeIntervalSince1970: 1_795_000_000 + Double(index) * 60)
            var conversation = Conversation(id: String(format: "20261101-%06d-clippy-k%03d", index, index % 1000), createdAt: date,
                                            persona: CLIFixture.persona,
                                            backend: BackendDescriptor(name: "local", kind: "local", model: "smollm2"),
                                            sampling: SamplingParameters(temperature: 0, seed: 7))
            for turn in 0..<4 {
                let user = conversation.appendUserMessage("Question \(index).\(turn): " + String(repeating: "why is the sky blue? ", count: 8), at: date)
                let reply = conversation.startReply(after: user, backend: "local", model: "smollm2", at: date)
                conversation.appendReplyText("Rayleigh scattering, \(index).\(turn). " + String(repeating: "Obviously. ", count: 20), to: reply)
                conversation.finishReply(reply, reason: .stop, usage: TokenUsage(promptTokens: 40, completionTokens: 30))
                if turn % 2 == 0 {
                    conversation.setMark(.good, on: reply, at: date)
                } else {
                    conversation.editReply(reply, to: "Because of Rayleigh scattering (\(index).\(turn)).", at: date)
                }
            }
            try store.save(conversation)
        }
    }

    @Test(arguments: ["openai", "openai-dpo", "trl-kto"])
    func destinationIsAlwaysTheOldOrTheNewCompleteFile(format: String) async throws {
        let directory = try TemporaryDirectory(prefix: "dramatis-export-kill")
        let transcripts = directory.path("Transcripts")
        let store = TranscriptStore(directory: transcripts)
        try Self.seed(store, from: 0, count: 150)
        let destination = directory.path("out/dataset.jsonl")
        let arguments = ["export", "--format", format, "--transcripts", transcripts.path, "--out", destination.path]

        // The old file: a complete export of the first 150 conversations.
        let first = try await ProcessRunner.run(BuiltProducts.dramatis, arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let old = try Data(contentsOf: destination)
        // The new file: 150 more conversations, exported once elsewhere for comparison (and timing).
        try Self.seed(store, from: 150, count: 150)
        let reference = directory.path("reference.jsonl")
        let started = Date()
        let full = try await ProcessRunner.run(BuiltProducts.dramatis, ["export", "--format", format, "--transcripts", transcripts.path, "--out", reference.path])
        let duration = Date().timeIntervalSince(started)
        #expect(full.status == 0, "\(full.stderr)")
        let new = try Data(contentsOf: reference)
        #expect(new.count > old.count)
        #expect(new != old)

        var generator = SplitMix64(seed: 8)
        var sawOld = 0, sawNew = 0, killedRuns = 0
        for round in 0..<12 {
            // Restore the old file, then kill a fresh export somewhere between start-up and well past its usual end.
            try DurableFile.write(old, to: destination)
            let process = try ChildProcess(BuiltProducts.dramatis, arguments, captureStandardOutput: false)
            let delay = Double(generator.next() % 1000) / 1000 * duration * 1.6
            try await Task.sleep(for: .seconds(delay))
            process.signal(SIGKILL)
            try await process.wait()
            if process.wasEndedBySignal { killedRuns += 1 }
            let now = try Data(contentsOf: destination)
            if now == old { sawOld += 1 } else if now == new { sawNew += 1 } else {
                Issue.record("round \(round) (killed after \(Int(delay * 1000)) ms): the destination is neither the old nor the new file (\(now.count) bytes)")
            }
            // Either way every line is a whole JSON object.
            let text = String(decoding: now, as: UTF8.self)
            #expect(text.hasSuffix("\n"))
            for line in text.split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "torn line in round \(round)")
            }
        }
        print("export kill test (\(format)): \(killedRuns) runs killed, old file seen \(sawOld)×, new file seen \(sawNew)×, full export \(Int(duration * 1000)) ms")
        #expect(killedRuns > 0, "no export was ever killed: the window is too short to mean anything")
        #expect(sawOld + sawNew == 12)

        // A killed run can leave only its hidden temporary file behind; the next export replaces the
        // destination and removes what the killed runs left.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path("out").path).filter { $0 != "dataset.jsonl" }
        #expect(leftovers.allSatisfy { $0.hasPrefix(".dataset.jsonl.tmp-") }, "\(leftovers)")
        let again = try await ProcessRunner.run(BuiltProducts.dramatis, arguments)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: destination) == new)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out").path) == ["dataset.jsonl"])
    }
}
