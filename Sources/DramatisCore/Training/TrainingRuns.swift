import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A persona's training runs: `<datasetRoot>/<persona>/runs/<run-id>/` (adapter + `run.json`).
///
/// A run is written to a hidden temporary folder (`.RUN.tmp-PID`) and renamed once complete, so a
/// listed run is always a finished one; folders of killed runs are removed by `removeAbandoned()`.
public struct TrainingRuns: Sendable {
    /// File name of the run card in each run folder.
    public static let cardFileName = "run.json"
    /// File name of the adapter (GGUF) in each run folder.
    public static let adapterFileName = "adapter.gguf"
    /// What `adapter:` and `--adapter` accept for the newest run.
    public static let latest = "latest"

    /// `<datasetRoot>/<persona>/runs`.
    public let directory: URL

    public init(datasetRoot: URL, personaID: String) {
        directory = datasetRoot.appendingPathComponent(personaID, isDirectory: true).appendingPathComponent("runs", isDirectory: true)
    }

    /// A finished run: its id, folder and card.
    public struct Run: Sendable, Hashable {
        public var id: String
        public var folder: URL
        public var card: RunCard
        /// The run's LoRA adapter (GGUF).
        public var adapter: URL { folder.appendingPathComponent(card.adapter) }
    }

    /// Every finished run, oldest first (temporary folders and folders without a readable card are skipped).
    public func list() -> [Run] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.compactMap(run(named:))
            .sorted { ($0.card.createdAt, $0.id) < ($1.card.createdAt, $1.id) }
    }

    /// The finished run in folder `name`, or nil (hidden, missing, or without a readable card).
    private func run(named name: String) -> Run? {
        guard !name.hasPrefix("."), !name.contains("/") else { return nil }
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(Self.cardFileName).path),
              let card = try? RunCard.decode(data) else { return nil }
        return Run(id: name, folder: folder, card: card)
    }

    /// The run named `reference` (a run id, or `latest` for the newest); throws a message listing the runs otherwise.
    public func resolve(_ reference: String) throws -> Run {
        // A run id reads that run's card alone (a chat resolves its persona's run more than once).
        if reference != Self.latest, let run = run(named: reference) { return run }
        let runs = list()
        if reference == Self.latest, let newest = runs.last { return newest }
        if let run = runs.first(where: { $0.id == reference }) { return run }
        let known = runs.isEmpty ? "there are no runs yet (`dramatis train`)" : "runs: \(runs.map(\.id).joined(separator: ", "))"
        throw TrainingRunsError(message: "no training run '\(reference)' in \(directory.path); \(known)")
    }

    /// A new run id from `date` (`YYYYMMDD-HHMMSS`, with `-2`, `-3`… when taken).
    public func newRunID(date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let base = String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        var candidate = base, suffix = 2
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent(candidate).path) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// Creates the hidden folder this process writes run `id` to (removing abandoned ones of killed runs first).
    public func makeTemporaryFolder(for id: String) throws -> URL {
        try DurableFile.createDirectory(directory)
        removeAbandoned()
        let folder = directory.appendingPathComponent(DurableFile.temporaryName(for: directory.appendingPathComponent(id)), isDirectory: true)
        if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
        try DurableFile.createDirectory(folder)
        return folder
    }

    /// Writes `card` into `temporary`, then renames the folder to the run's id: the run appears complete or not at all.
    public func commit(_ temporary: URL, card: RunCard) throws -> Run {
        try DurableFile.write(try card.encoded(), to: temporary.appendingPathComponent(Self.cardFileName))
        let final = directory.appendingPathComponent(card.runID, isDirectory: true)
        guard rename(temporary.path, final.path) == 0 else {
            throw DurableFileError(path: final.path, operation: "rename", code: errno)
        }
        try DurableFile.syncDirectory(directory)
        return Run(id: card.runID, folder: final, card: card)
    }

    /// Removes the temporary folders of runs whose process is gone (killed or crashed); returns their names.
    @discardableResult
    public func removeAbandoned() -> [String] {
        DurableFile.removeAbandonedTemporaries(in: directory)
    }

    /// Deletes run `id`.
    public func remove(_ id: String) throws {
        let run = try resolve(id)
        try FileManager.default.removeItem(at: run.folder)
        try? DurableFile.syncDirectory(directory)
    }
}

/// A run that does not exist, with what does.
public struct TrainingRunsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
