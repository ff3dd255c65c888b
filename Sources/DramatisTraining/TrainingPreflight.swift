import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks, before anything starts, that the machine has the memory and disk a run needs.
public enum TrainingPreflight {
    /// Peak memory measured for a LoRA on the embedded model was 2.1-2.5 GB; ask for 3 GiB available.
    public static let requiredMemoryBytes: UInt64 = 3 << 30
    /// The run folder holds the adapter (about 20 MB) twice (PEFT and GGUF) plus the split; ask for 200 MiB.
    public static let requiredRunDiskBytes: UInt64 = 200 << 20
    /// The cache keeps the dequantized base (about 540 MB) next to the venv; ask for 1 GiB.
    public static let requiredCacheDiskBytes: UInt64 = 1 << 30

    /// Throws `.refused` naming what is short, with the numbers.
    public static func check(runsDirectory: URL, cacheDirectory: URL) throws {
        if let available = availableMemory(), available < requiredMemoryBytes {
            throw TrainingError.refused("not enough memory to train: \(megabytes(available)) available, "
                + "\(megabytes(requiredMemoryBytes)) needed (close other programs, or train on a bigger machine)")
        }
        for (folder, required) in [(runsDirectory, requiredRunDiskBytes), (cacheDirectory, requiredCacheDiskBytes)] {
            if let free = freeDiskSpace(at: folder), free < required {
                throw TrainingError.refused("not enough disk space in \(folder.path): \(megabytes(free)) free, "
                    + "\(megabytes(required)) needed")
            }
        }
    }

    /// `MemAvailable` from /proc/meminfo, in bytes (nil where there is no such file).
    public static func availableMemory() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kibibytes = UInt64(fields[1]) { return kibibytes * 1024 }
        }
        return nil
    }

    /// Free bytes for an unprivileged user on the file system holding `url` (or its nearest existing parent).
    public static func freeDiskSpace(at url: URL) -> UInt64? {
        var folder = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: folder.path) && folder.path != "/" { folder.deleteLastPathComponent() }
        var stats = statvfs()
        guard statvfs(folder.path, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }

    /// `1234 MB`.
    static func megabytes(_ bytes: UInt64) -> String { "\(bytes / 1_000_000) MB" }
}
