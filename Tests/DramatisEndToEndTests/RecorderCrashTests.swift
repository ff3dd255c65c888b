import Foundation
import Testing
import DramatisCore
import DramatisTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Kills a process that records marks with SIGKILL at random moments, many times; then every file
/// must parse and every acknowledged mark must be in the transcript and the datasets.
@Suite(.serialized) struct RecorderCrashTests {
    struct Ack: Hashable {
        var conversation: String
        var turn: Int
        var mark: String
    }

    @Test func sigkillAtRandomMomentsKeepsEveryAcknowledgedMark() throws {
        let directory = try TemporaryDirectory()
        let transcripts = directory.path("Transcripts"), datasets = directory.path("Datasets")
        var generator = SplitMix64(seed: 2026)
        var acks: [Ack] = []
        let rounds = 12
        for round in 0..<rounds {
            let process = try ChildProcess(BuiltProducts.dramatis,
                ["debug", "record-marks", "--transcripts", transcripts.path, "--dataset", datasets.path,
                 "--seed", String(round + 1), "--id", String(format: "20261122-0000%02d-crashtest-%04d", round, round)])
            // Let it record for a random while (100–900 ms, start-up included), then kill it without warning.
            usleep(UInt32(100_000 + generator.next() % 800_000))
            process.signal(SIGKILL)
            try process.wait()
            #expect(process.wasEndedBySignal, "round \(round): the recorder exited on its own")
            let text = String(decoding: try #require(process.standardOutput).readDataToEndOfFile(), as: UTF8.self)
            // Only complete lines count: each was printed after Recorder.record returned.
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let parts = line.split(separator: " ")
                guard parts.count == 4, parts[0] == "ack", let turn = Int(parts[2]) else {
                    Issue.record("unexpected output line: \(line)"); continue
                }
                acks.append(Ack(conversation: String(parts[1]), turn: turn, mark: String(parts[3])))
            }
        }
        #expect(acks.count > rounds, "too few acknowledgements to mean anything")

        // Every transcript loads, including ones killed mid-stream.
        let store = TranscriptStore(directory: transcripts)
        var conversations: [String: Conversation] = [:]
        for entry in store.list() {
            switch entry {
            case .valid(let summary): conversations[summary.id] = try store.load(summary.url)
            case .invalid(let url, let message): Issue.record("\(url.path) does not load: \(message)")
            }
        }
        // A round killed during start-up may have written nothing; every acknowledged conversation must be here.
        #expect(conversations.count <= rounds)
        #expect(Set(acks.map(\.conversation)).isSubset(of: Set(conversations.keys)))

        // Dataset files: no torn line, every line a JSON object.
        let sftText = try String(contentsOf: datasets.appendingPathComponent("crashtest/sft.jsonl"), encoding: .utf8)
        let preferenceText = try String(contentsOf: datasets.appendingPathComponent("crashtest/preference.jsonl"), encoding: .utf8)
        for text in [sftText, preferenceText] where !text.isEmpty {
            #expect(text.hasSuffix("\n"))
            for line in text.split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "torn line: \(line.prefix(80))")
            }
        }

        // Every acknowledged mark is in its transcript and in the derived files.
        var goodChecked = 0, pairsChecked = 0
        for ack in acks {
            guard let conversation = conversations[ack.conversation] else {
                Issue.record("acknowledged conversation \(ack.conversation) is missing"); continue
            }
            guard conversation.turns.indices.contains(ack.turn) else {
                Issue.record("acknowledged turn \(ack.turn) of \(ack.conversation) is missing"); continue
            }
            let turn = conversation[ack.turn]
            #expect(turn.isComplete)
            #expect((turn.mark?.value.rawValue ?? "none") == ack.mark || ack.mark == "none")
            if ack.mark == "good" {
                let needle = JSONValue.object([("role", .string("assistant")), ("content", .string(turn.text)), ("weight", .int(1))]).serialized()
                #expect(sftText.contains(needle), "good mark on \(ack.conversation)#\(ack.turn) missing from sft.jsonl")
                goodChecked += 1
                if let original = turn.editedFrom {
                    let preferred = #""preferred_output":[{"role":"assistant","content":"# + JSONValue.string(turn.text).serialized()
                    let rejected = #""non_preferred_output":[{"role":"assistant","content":"# + JSONValue.string(conversation[original].text).serialized()
                    #expect(preferenceText.split(separator: "\n").contains { $0.contains(preferred) && $0.contains(rejected) },
                            "edit pair \(ack.conversation)#\(ack.turn) missing from preference.jsonl")
                    pairsChecked += 1
                }
            }
        }
        #expect(goodChecked > 0)
        #expect(pairsChecked > 0)
    }
}
