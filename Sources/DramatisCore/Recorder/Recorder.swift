import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Saves a conversation and keeps its persona's fine-tuning files current, durably, on every call.
///
/// Layout: `<datasetRoot>/<persona id>/sft.jsonl` (OpenAI chat format with weights) and
/// `preference.jsonl` (OpenAI DPO format). A persona's files also hold the teacher's good replies of teacher/student
/// compare rounds that name it as the student (`StudentExamples`), from other personas' transcripts. The transcripts are the source of truth: the first time a
/// persona's dataset is touched in a process, its files are rebuilt from every transcript of that
/// persona directly in the store's folder (and rewritten if they differ: this is the recovery on start);
/// afterwards only the changed conversation's lines are recomputed, and a file is written only when its bytes change.
/// Lines are grouped by conversation, conversations in id (= time) order; identical lines are written once,
/// so the files equal `dramatis export --format openai` / `openai-dpo` over the same transcripts.
///
/// How a file is written (`DatasetFile`):
/// - Fast path, when the changed conversation is the last group of the file (the usual case: the newest
///   conversation is the one being marked) and this process knows the bytes on disk: the file is truncated
///   after the lines that stay (the groups before, and the group's unchanged leading lines), the new lines
///   are appended, then one fsync. No byte before the truncation point is ever touched.
/// - Otherwise: the whole file goes to a temporary file, fsync, rename, one directory fsync for both files.
///
/// Invariant. When `record` returns, the transcript and both files are durable and the files equal the
/// export of the transcripts (every acknowledged mark is in them, no line is duplicated or stale). At any
/// other moment, including after a SIGKILL or power loss at any point, each file is a sequence of complete,
/// valid JSON lines, each from the file's previous or next version, optionally followed by one final
/// fragment without a newline (an interrupted append); lines of the conversation being written may be
/// missing meanwhile. The transcript is saved (atomically, fsynced) before the files are touched, so the
/// next `record` or `prepare` for the persona in any process rebuilds the files from the transcripts and
/// rewrites them atomically, restoring every acknowledged mark. Readers (trainers) that may read while a
/// recorder runs should ignore a final line without a newline, as with any appended JSONL file.
///
/// Several processes may record for the same persona: each update holds an exclusive `flock` on
/// `<persona folder>/.lock`, whose first 8 bytes count the writes (bumped before each write starts); a
/// process whose count or file identities no longer match what it last saw rebuilds its view from the
/// transcripts before writing, and so does a process whose own write failed.
public final class Recorder: @unchecked Sendable {
    // @unchecked Sendable: all mutable state (`datasets`, `inPlaceWrites`) is only touched while holding `lock`.
    public let transcripts: TranscriptStore
    public let datasetRoot: URL
    /// Crash-test hook: kill this process at a point of an in-place write (nil in normal use).
    public let killSwitch: RecorderKillSwitch?
    private let lock = NSLock()
    private var datasets: [String: PersonaDataset] = [:]
    private var failures: [TranscriptError] = []
    private var inPlaceWrites = 0

    /// File name of the supervised dataset in each persona folder.
    public static let sftFileName = "sft.jsonl"
    /// File name of the preference dataset in each persona folder.
    public static let preferenceFileName = "preference.jsonl"

    /// A recorder saving into `transcripts` and deriving datasets under `datasetRoot`.
    public init(transcripts: TranscriptStore, datasetRoot: URL, killSwitch: RecorderKillSwitch? = nil) {
        self.transcripts = transcripts
        self.datasetRoot = datasetRoot.standardizedFileURL
        self.killSwitch = killSwitch
    }

    /// The folder of a persona's dataset files.
    public func datasetDirectory(personaID: String) -> URL {
        let safe = String(personaID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        return datasetRoot.appendingPathComponent(safe.isEmpty || safe.hasPrefix(".") ? "persona-\(safe)" : safe, isDirectory: true)
    }

    /// Saves the transcript, then updates the persona's `sft.jsonl` and `preference.jsonl`; all fsynced before return.
    ///
    /// Returns the marks of the conversation that were deliberately not written, with the reason (an identical
    /// good/bad pair; a good mark on a cut-off, empty or refusing reply without `MarkRecord.confirmed`).
    @discardableResult
    public func record(_ conversation: Conversation) throws -> [WithheldExample] {
        lock.lock()
        defer { lock.unlock() }
        try transcripts.save(conversation)
        try updateDataset(personaID: conversation.persona.id, with: conversation)
        // Teacher/student compare rounds: the teacher's good replies also go into each student persona's dataset.
        for student in StudentExamples.studentPersonaIDs(in: conversation) {
            try updateDataset(personaID: student, with: conversation)
        }
        return DatasetExamples.withheld(from: conversation)
    }

    /// Loads a persona's dataset state ahead of the first mark (the rebuild reads every transcript of the
    /// persona, which is the slow part of the first `record`), and brings its files up to date.
    public func prepare(personaID: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try updateDataset(personaID: personaID, with: nil)
    }

    /// `prepare` for a conversation already in memory (a reopened transcript): its file is not read again.
    public func prepare(with conversation: Conversation) throws {
        lock.lock()
        defer { lock.unlock() }
        try updateDataset(personaID: conversation.persona.id, with: conversation)
    }

    /// Under the persona's `DatasetLock`: the dataset view (rebuilt if stale, without `conversation`'s file),
    /// updated with `conversation`, and its changed files written. Call with `lock` held.
    private func updateDataset(personaID: String, with conversation: Conversation?) throws {
        let fileLock = try DatasetLock(directory: datasetDirectory(personaID: personaID))
        defer { fileLock.release() }
        let dataset = try dataset(personaID: personaID, excluding: conversation?.id, lock: fileLock)
        if let conversation { dataset.update(conversation, personaID: personaID) }
        try write(dataset, personaID: personaID, lock: fileLock)
    }

    /// Transcripts that could not be read during rebuilds (their examples are missing from the datasets).
    public var unreadableTranscripts: [TranscriptError] {
        lock.lock()
        defer { lock.unlock() }
        return failures
    }

    /// Writes the dataset's changed files; after a failure the view is dropped (the next call rebuilds it). Call with `lock` held.
    private func write(_ dataset: PersonaDataset, personaID: String, lock fileLock: DatasetLock) throws {
        do {
            try dataset.writeIfChanged(lock: fileLock) { point in
                guard let killSwitch else { return }
                if point == .afterTruncate { inPlaceWrites += 1 }
                if point == killSwitch.point, inPlaceWrites >= killSwitch.write { kill(getpid(), SIGKILL) }
            }
        } catch {
            datasets[personaID] = nil
            throw error
        }
    }

    /// The cached dataset of a persona, rebuilt from the transcripts on first use. Call with `lock` held.
    private func dataset(personaID: String, excluding excludedID: String?, lock fileLock: DatasetLock) throws -> PersonaDataset {
        let generation = try fileLock.generation()
        // Reuse the cached view only if nobody else wrote or replaced the files since this process did.
        if let existing = datasets[personaID], existing.generation == generation, existing.filesUnchangedSinceLastWrite {
            return existing
        }
        let dataset = PersonaDataset(directory: datasetDirectory(personaID: personaID), generation: generation)
        // Rebuild from the source of truth: every transcript of this persona in the store's folder.
        // One transcript in memory at a time (oldest first, as `loadAll` orders them): with many or long
        // transcripts, holding them all at once would dominate the process's memory.
        for url in transcripts.transcriptFiles(recursive: false).reversed() {
            if let excludedID, url.deletingPathExtension().lastPathComponent == excludedID { continue }
            do {
                let other = try transcripts.load(url)
                // The persona's own transcripts, and those naming it as the student of a teacher/student round.
                if other.id != excludedID { dataset.update(other, personaID: personaID) }
            } catch let error as TranscriptError {
                failures.append(error)
            } catch {
                failures.append(TranscriptError(path: url.path, problem: "\(error)"))
            }
        }
        // Recovery: temporary files a killed writer left in either folder (see `DurableFile`).
        DurableFile.removeAbandonedTemporaries(in: transcripts.directory)
        DurableFile.removeAbandonedTemporaries(in: dataset.directory)
        datasets[personaID] = dataset
        return dataset
    }
}

/// The derived files of one persona's dataset (used only under the recorder's lock and the persona's `DatasetLock`).
final class PersonaDataset {
    let directory: URL
    private let sft: DatasetFile
    private let preference: DatasetFile
    /// The `DatasetLock` generation this view matches: seen when it was built, or set by its last write.
    private(set) var generation: UInt64
    /// Identity of both files after this process last wrote them (nil before the first write).
    private var writtenIdentity: [FileIdentity?]?

    init(directory: URL, generation: UInt64) {
        self.directory = directory
        self.generation = generation
        sft = DatasetFile(url: directory.appendingPathComponent(Recorder.sftFileName))
        preference = DatasetFile(url: directory.appendingPathComponent(Recorder.preferenceFileName))
    }

    /// Recomputes one conversation's lines for the dataset of `personaID` (a file is written only when its lines
    /// changed): its own lines, or as a teacher/student round's student (`StudentExamples`); a conversation that is
    /// neither has none.
    func update(_ conversation: Conversation, personaID: String) {
        guard let view = StudentExamples.datasetView(of: conversation, for: personaID) else { return }
        sft.setLines(ExportFormat.openai.lines(for: view), for: conversation.id)
        preference.setLines(ExportFormat.openaiDPO.lines(for: view), for: conversation.id)
    }

    /// Brings both files up to date (in place or by atomic rewrite, see `Recorder`), everything fsynced.
    /// Bumps the lock's generation before the first change on disk, so other processes know their views are
    /// stale, even after a crash mid-write.
    func writeIfChanged(lock: DatasetLock, killSwitch: (RecorderKillSwitch.Point) -> Void) throws {
        let files = [sft, preference].filter(\.needsWrite)
        if files.isEmpty { return }
        var bumped = false
        var renamed = false
        for file in files {
            renamed = try file.write(beforeModifying: {
                if !bumped { generation = try lock.bumpGeneration(); bumped = true }
            }, killSwitch: killSwitch) || renamed
        }
        // One directory fsync makes both renames durable.
        if renamed { try DurableFile.syncDirectory(directory) }
        writtenIdentity = currentIdentity()
    }

    /// False when something else changed a file since this process last wrote it (so this view may be stale).
    var filesUnchangedSinceLastWrite: Bool { writtenIdentity == nil || writtenIdentity! == currentIdentity() }

    private func currentIdentity() -> [FileIdentity?] {
        [FileIdentity(path: sft.url.path), FileIdentity(path: preference.url.path)]
    }
}

/// Device, inode, size and modification time of a file: changes whenever another writer replaces or edits it.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// The identity of the file at `path`, or `nil` when it does not exist.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}

/// An exclusive `flock` on `<persona folder>/.lock`, serialising dataset updates across processes.
struct DatasetLock {
    private let descriptor: Int32

    /// Creates the folder if needed and blocks until the lock is held.
    init(directory: URL) throws {
        try DurableFile.createDirectory(directory)
        let path = directory.appendingPathComponent(".lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, DurableFile.filePermissions)
        guard descriptor >= 0 else { throw DurableFileError(path: path, operation: "open lock file", code: errno) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            throw DurableFileError(path: path, operation: "lock", code: code)
        }
    }

    /// The number of dataset writes so far, kept in the lock file's first 8 bytes (0 for an empty file).
    ///
    /// A process reuses its in-memory view only while this is the value it saw or wrote last. It needs no
    /// fsync: only a power loss could drop it, and that also ends every process holding a view.
    func generation() throws -> UInt64 {
        var value: UInt64 = 0
        let read = pread(descriptor, &value, 8, 0)
        guard read >= 0 else { throw DurableFileError(path: ".lock", operation: "read", code: errno) }
        return read == 8 ? value : 0
    }

    /// Increments the generation (before a write starts, so a crash mid-write still invalidates other views).
    func bumpGeneration() throws -> UInt64 {
        var value = try generation() &+ 1
        guard pwrite(descriptor, &value, 8, 0) == 8 else { throw DurableFileError(path: ".lock", operation: "write", code: errno) }
        return value
    }

    /// Releases the lock (closing the descriptor drops it).
    func release() {
        close(descriptor)
    }
}
