import Foundation
import Testing
import DramatisCore
import DramatisTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Kills a process that records marks with SIGKILL at random moments, many times, and at chosen points
/// inside the recorder's in-place write; then every file must parse as a reader could find it, and after
/// the recovery the next recorder start performs, every acknowledged mark must be in the transcript and
/// the datasets, which must equal `dramatis export` over the transcripts.
@Suite(.serialized) struct RecorderCrashTests {
    struct Ack: Hashable {
        var conversation: String
        var turn: Int
        var mark: String
    }

    /// The acknowledgements a `record-marks` child printed (each after `Recorder.record` returned).
    static func acknowledgements(_ process: ChildProcess) throws -> [Ack] {
        let text = String(decoding: try #require(process.standardOutput).readDataToEndOfFile(), as: UTF8.self)
        var acks: [Ack] = []
        // Only complete lines count.
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "ack", let turn = Int(parts[2]) else {
                Issue.record("unexpected output line: \(line)"); continue
            }
            acks.append(Ack(conversation: String(parts[1]), turn: turn, mark: String(parts[3])))
        }
        return acks
    }

    static func recordMarks(_ transcripts: URL, _ datasets: URL, id: String, seed: Int, extra: [String] = []) throws -> ChildProcess {
        try ChildProcess(BuiltProducts.dramatis,
            ["debug", "record-marks", "--transcripts", transcripts.path, "--dataset", datasets.path,
             "--seed", String(seed), "--id", id] + extra)
    }

    /// The next start after a crash: a recorder recording one more conversation (`turns` exchanges) first rebuilds
    /// the files; afterwards they equal `dramatis export`, no temporary file is left, and every acknowledged mark
    /// (`acks` plus the new process's) is in them. Returns how many good marks and pairs were checked.
    static func expectRecovery(_ transcripts: URL, _ datasets: URL, id: String, seed: Int, turns: Int,
                               acks: [Ack]) async throws -> (good: Int, pairs: Int) {
        let recovery = try recordMarks(transcripts, datasets, id: id, seed: seed, extra: ["--turns", String(turns)])
        #expect(try await recovery.wait() == 0)
        let allAcks = acks + (try acknowledgements(recovery))
        let conversations = try loadTranscripts(transcripts)
        let files = try expectEqualToExport(datasets, conversations)
        expectNoTemporaries(transcripts, datasets)
        return expectAcknowledged(allAcks, in: conversations, sft: files.sft, preference: files.preference, datasetsFor: { _ in true })
    }

    /// After recovery no killed writer's temporary file (`.NAME.tmp-PID`) is left in either folder.
    static func expectNoTemporaries(_ folders: URL...) {
        for folder in folders {
            let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
            #expect(names.filter { $0.contains(".tmp-") }.isEmpty, "left in \(folder.lastPathComponent): \(names)")
        }
    }

    /// What a reader may find between a crash and the next start: complete lines that are all JSON objects,
    /// then at most one final fragment without a newline. Returns the complete lines and the fragment.
    static func readAsReaderWould(_ url: URL) throws -> (lines: [Substring], fragment: Substring) {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let fragment = lines.removeLast()
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "torn line in \(url.lastPathComponent): \(line.prefix(80))")
        }
        return (lines, fragment)
    }

    /// Every transcript loads; returns them by id.
    static func loadTranscripts(_ directory: URL) throws -> [String: Conversation] {
        let store = TranscriptStore(directory: directory)
        var conversations: [String: Conversation] = [:]
        for entry in store.list() {
            switch entry {
            case .valid(let summary): conversations[summary.id] = try store.load(summary.url)
            case .invalid(let url, let message): Issue.record("\(url.path) does not load: \(message)")
            }
        }
        return conversations
    }

    /// Checks that every acknowledged mark is in its transcript and, when `sft`/`preference` are given,
    /// in those dataset lines. Returns how many good marks and edit pairs were checked in the datasets.
    @discardableResult
    static func expectAcknowledged(_ acks: [Ack], in conversations: [String: Conversation],
                                   sft: [Substring], preference: [Substring], datasetsFor: (String) -> Bool) -> (good: Int, pairs: Int) {
        let sftLines = Set(sft), preferenceLines = preference
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
            guard ack.mark == "good", datasetsFor(ack.conversation) else { continue }
            let needle = JSONValue.object([("role", .string("assistant")), ("content", .string(turn.text)), ("weight", .int(1))]).serialized()
            #expect(sftLines.contains { $0.contains(needle) }, "good mark on \(ack.conversation)#\(ack.turn) missing from sft.jsonl")
            goodChecked += 1
            if let original = turn.editedFrom {
                let preferred = #""preferred_output":[{"role":"assistant","content":"# + JSONValue.string(turn.text).serialized()
                let rejected = #""non_preferred_output":[{"role":"assistant","content":"# + JSONValue.string(conversation[original].text).serialized()
                #expect(preferenceLines.contains { $0.contains(preferred) && $0.contains(rejected) },
                        "edit pair \(ack.conversation)#\(ack.turn) missing from preference.jsonl")
                pairsChecked += 1
            }
        }
        return (goodChecked, pairsChecked)
    }

    /// The files at rest: each ends with a newline, every line is JSON, and they equal the export of the transcripts.
    static func expectEqualToExport(_ datasets: URL, _ conversations: [String: Conversation]) throws -> (sft: [Substring], preference: [Substring]) {
        var result: [[Substring]] = []
        for (name, format) in [("sft.jsonl", ExportFormat.openai), ("preference.jsonl", ExportFormat.openaiDPO)] {
            let read = try readAsReaderWould(datasets.appendingPathComponent("crashtest/\(name)"))
            #expect(read.fragment.isEmpty, "\(name) ends with an unterminated line after recovery")
            let expected = DatasetExporter(options: ExportOptions(format: format)).export(Array(conversations.values)).train
            #expect(read.lines.map(String.init) == expected, "\(name) differs from dramatis export")
            result.append(read.lines)
        }
        return (result[0], result[1])
    }

    @Test func sigkillAtRandomMomentsKeepsEveryAcknowledgedMark() async throws {
        let directory = try TemporaryDirectory()
        let transcripts = directory.path("Transcripts"), datasets = directory.path("Datasets")
        var generator = SplitMix64(seed: 2026)
        var acks: [Ack] = []
        var lastRoundWithAcks = -1
        let rounds = 12
        func id(_ round: Int) -> String { String(format: "20261122-0000%02d-crashtest-%04d", round, round) }
        for round in 0..<rounds {
            let process = try Self.recordMarks(transcripts, datasets, id: id(round), seed: round + 1)
            // Let it record for a random while (100–900 ms, start-up included), then kill it without warning.
            try await Task.sleep(for: .microseconds(100_000 + Int(generator.next() % 800_000)))
            process.signal(SIGKILL)
            try await process.wait()
            #expect(process.wasEndedBySignal, "round \(round): the recorder exited on its own")
            let roundAcks = try Self.acknowledgements(process)
            if !roundAcks.isEmpty { lastRoundWithAcks = round }
            acks += roundAcks
        }
        #expect(acks.count > rounds, "too few acknowledgements to mean anything")

        // Every transcript loads, including ones killed mid-stream.
        let conversations = try Self.loadTranscripts(transcripts)
        // A round killed during start-up may have written nothing; every acknowledged conversation must be here.
        #expect(conversations.count <= rounds)
        #expect(Set(acks.map(\.conversation)).isSubset(of: Set(conversations.keys)))

        // Before any recovery, as a trainer could read them: complete lines parse, at most a final fragment.
        // A kill inside an in-place write may hide lines of the conversation being written, but the last round
        // that recorded anything repaired everything before it when it started.
        let sftNow = try Self.readAsReaderWould(datasets.appendingPathComponent("crashtest/sft.jsonl"))
        let preferenceNow = try Self.readAsReaderWould(datasets.appendingPathComponent("crashtest/preference.jsonl"))
        let repaired = Set((0..<max(0, lastRoundWithAcks)).map(id))
        Self.expectAcknowledged(acks, in: conversations, sft: sftNow.lines, preference: preferenceNow.lines,
                                datasetsFor: { repaired.contains($0) })

        // The next start recovers: a recorder that records one more conversation rebuilds the files first.
        let checked = try await Self.expectRecovery(transcripts, datasets, id: id(rounds), seed: 99, turns: 1, acks: acks)
        #expect(checked.good > 0)
        #expect(checked.pairs > 0)
    }

    @Test(arguments: RecorderKillSwitch.Point.allCases)
    func sigkillInsideAnInPlaceWriteIsRepairedOnTheNextStart(point: RecorderKillSwitch.Point) async throws {
        let directory = try TemporaryDirectory()
        let transcripts = directory.path("Transcripts"), datasets = directory.path("Datasets")
        // An older conversation first, so the file has lines before the group written in place.
        let older = try Self.recordMarks(transcripts, datasets, id: "20261122-000000-crashtest-0000", seed: 7, extra: ["--turns", "6"])
        #expect(try await older.wait() == 0)
        var acks = try Self.acknowledgements(older)

        // From its 4th in-place write on, a new process kills itself at `point` (its first write is a full rewrite).
        let victim = try Self.recordMarks(transcripts, datasets, id: "20261122-000001-crashtest-0001", seed: 1,
                                          extra: ["--kill-at", "\(point.rawValue):4"])
        try await victim.wait(timeout: 120)
        #expect(victim.wasEndedBySignal, "the recorder was not killed at \(point.rawValue)")
        let victimAcks = try Self.acknowledgements(victim)
        acks += victimAcks
        #expect(!victimAcks.isEmpty)

        let conversations = try Self.loadTranscripts(transcripts)
        let sftNow = try Self.readAsReaderWould(datasets.appendingPathComponent("crashtest/sft.jsonl"))
        let preferenceNow = try Self.readAsReaderWould(datasets.appendingPathComponent("crashtest/preference.jsonl"))
        if point == .midAppend {
            // Half a line was appended: the interrupted append is visible as an unterminated final fragment.
            #expect(!sftNow.fragment.isEmpty || !preferenceNow.fragment.isEmpty)
        } else {
            #expect(sftNow.fragment.isEmpty && preferenceNow.fragment.isEmpty)
        }
        // The lines before the group being written are untouched.
        Self.expectAcknowledged(acks, in: conversations, sft: sftNow.lines, preference: preferenceNow.lines,
                                datasetsFor: { $0.hasSuffix("-0000") })

        // Recovery on the next start, then the files equal the export and hold every acknowledged mark.
        let checked = try await Self.expectRecovery(transcripts, datasets, id: "20261122-000002-crashtest-0002", seed: 3,
                                                    turns: 2, acks: acks)
        #expect(checked.good > 0)
    }
}
