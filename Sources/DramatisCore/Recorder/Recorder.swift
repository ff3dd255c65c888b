import Foundation

/// Saves a conversation and keeps its persona's fine-tuning files current, durably, on every call.
///
/// Layout: `<datasetRoot>/<persona id>/sft.jsonl` (OpenAI chat format with weights) and
/// `preference.jsonl` (OpenAI DPO format). The transcripts are the source of truth: the first time a
/// persona's dataset is touched in a process, its files are rebuilt from every transcript of that
/// persona directly in the store's folder; afterwards only the changed conversation's lines are
/// recomputed and a file is rewritten (atomically, fsynced) only when its bytes change.
/// Lines are grouped by conversation, conversations in id (= time) order; identical lines are written once,
/// so the files equal `dramatis export --format openai` / `openai-dpo` over the same transcripts.
public final class Recorder: @unchecked Sendable {
    // @unchecked Sendable: all mutable state (`datasets`) is only touched while holding `lock`.
    public let transcripts: TranscriptStore
    public let datasetRoot: URL
    private let lock = NSLock()
    private var datasets: [String: PersonaDataset] = [:]
    private var failures: [TranscriptError] = []

    /// File name of the supervised dataset in each persona folder.
    public static let sftFileName = "sft.jsonl"
    /// File name of the preference dataset in each persona folder.
    public static let preferenceFileName = "preference.jsonl"

    /// A recorder saving into `transcripts` and deriving datasets under `datasetRoot`.
    public init(transcripts: TranscriptStore, datasetRoot: URL) {
        self.transcripts = transcripts
        self.datasetRoot = datasetRoot.standardizedFileURL
    }

    /// The folder of a persona's dataset files.
    public func datasetDirectory(personaID: String) -> URL {
        let safe = String(personaID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        return datasetRoot.appendingPathComponent(safe.isEmpty || safe.hasPrefix(".") ? "persona-\(safe)" : safe, isDirectory: true)
    }

    /// Saves the transcript, then updates the persona's `sft.jsonl` and `preference.jsonl`; all fsynced before return.
    public func record(_ conversation: Conversation) throws {
        lock.lock()
        defer { lock.unlock() }
        try transcripts.save(conversation)
        let dataset = self.dataset(personaID: conversation.persona.id, excluding: conversation.id)
        dataset.update(conversation)
        try dataset.writeIfChanged()
    }

    /// Loads a persona's dataset state ahead of the first mark (the rebuild reads every transcript of the
    /// persona, which is the slow part of the first `record`), and brings its files up to date.
    public func prepare(personaID: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try dataset(personaID: personaID, excluding: nil).writeIfChanged()
    }

    /// Transcripts that could not be read during rebuilds (their examples are missing from the datasets).
    public var unreadableTranscripts: [TranscriptError] {
        lock.lock()
        defer { lock.unlock() }
        return failures
    }

    /// The cached dataset of a persona, rebuilt from the transcripts on first use. Call with `lock` held.
    private func dataset(personaID: String, excluding excludedID: String?) -> PersonaDataset {
        if let existing = datasets[personaID] { return existing }
        let dataset = PersonaDataset(directory: datasetDirectory(personaID: personaID))
        // Rebuild from the source of truth: every transcript of this persona in the store's folder.
        let loaded = transcripts.loadAll()
        failures += loaded.failures
        for other in loaded.conversations where other.persona.id == personaID && other.id != excludedID {
            dataset.update(other)
        }
        datasets[personaID] = dataset
        return dataset
    }
}

/// The derived lines of one persona's dataset, grouped by conversation (used only under the recorder's lock).
final class PersonaDataset {
    let directory: URL
    private var sft: [String: [String]] = [:]
    private var preference: [String: [String]] = [:]
    private var sftDirty = true
    private var preferenceDirty = true
    /// Until the first write, compare with the files on disk so an up-to-date file is not rewritten.
    private var compareWithDisk = true

    init(directory: URL) {
        self.directory = directory
    }

    /// Recomputes one conversation's lines; marks a file dirty only when they changed.
    func update(_ conversation: Conversation) {
        let sftLines = DatasetFormat.openai.lines(for: conversation)
        let preferenceLines = DatasetFormat.openaiDPO.lines(for: conversation)
        if (sft[conversation.id] ?? []) != sftLines {
            sft[conversation.id] = sftLines.isEmpty ? nil : sftLines
            sftDirty = true
        }
        if (preference[conversation.id] ?? []) != preferenceLines {
            preference[conversation.id] = preferenceLines.isEmpty ? nil : preferenceLines
            preferenceDirty = true
        }
    }

    /// Writes the dirty files atomically (temp + fsync + rename + directory fsync).
    func writeIfChanged() throws {
        var renamed = false
        if sftDirty {
            renamed = try write(sft, to: directory.appendingPathComponent(Recorder.sftFileName)) || renamed
            sftDirty = false
        }
        if preferenceDirty {
            renamed = try write(preference, to: directory.appendingPathComponent(Recorder.preferenceFileName)) || renamed
            preferenceDirty = false
        }
        // One directory fsync makes both renames durable.
        if renamed { try DurableFile.syncDirectory(directory) }
        compareWithDisk = false
    }

    /// Conversations in id order; a line identical to an earlier one is written once (as `dramatis export` does).
    /// Returns whether the file was replaced (its directory still needs an fsync).
    private func write(_ groups: [String: [String]], to url: URL) throws -> Bool {
        var data = Data()
        var seen = Set<String>()
        for key in groups.keys.sorted() {
            for line in groups[key]! where seen.insert(line).inserted {
                data.append(contentsOf: line.utf8)
                data.append(0x0A)
            }
        }
        if compareWithDisk, let existing = try? Data(contentsOf: url), existing == data { return false }
        try DurableFile.write(data, to: url, syncDirectory: false)
        return true
    }
}
