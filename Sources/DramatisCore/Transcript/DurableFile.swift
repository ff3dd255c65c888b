import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file writing: temp file + fsync + rename + directory fsync, private permissions.
///
/// After `write` returns, the new contents are on disk; a crash at any moment leaves either the
/// old file or the new one, never a torn mix.
public enum DurableFile {
    /// Permissions for files holding conversations (owner read/write only).
    public static let filePermissions: mode_t = 0o600
    /// Permissions for folders holding conversations (owner only).
    public static let directoryPermissions: mode_t = 0o700

    /// Atomically replaces `url` with `data` and makes it durable before returning.
    /// With `syncDirectory: false` the caller must call `syncDirectory` on the folder afterwards
    /// (to batch several renames in one folder under one fsync).
    public static func write(_ data: Data, to url: URL, syncDirectory shouldSyncDirectory: Bool = true) throws {
        let directory = url.deletingLastPathComponent()
        try createDirectory(directory)
        let temporary = directory.appendingPathComponent(temporaryName(for: url))
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, filePermissions)
        guard descriptor >= 0 else { throw DurableFileError(path: temporary.path, operation: "create", code: errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        // fchmod: open's mode is filtered by the umask; make sure the file is private regardless.
        _ = fchmod(descriptor, filePermissions)
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw DurableFileError(path: temporary.path, operation: "write", code: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw DurableFileError(path: temporary.path, operation: "fsync", code: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw DurableFileError(path: temporary.path, operation: "close", code: errno) }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw DurableFileError(path: url.path, operation: "rename", code: code)
        }
        if shouldSyncDirectory { try syncDirectory(directory) }
    }

    /// The temporary name `write` uses for `url` in this process (also the hidden folder a training run is
    /// written to before its rename), `.NAME.tmp-PID`.
    public static func temporaryName(for url: URL) -> String {
        ".\(url.lastPathComponent)\(temporaryMarker)\(getpid())"
    }

    /// What separates a temporary file's target name from the writer's pid.
    private static let temporaryMarker = ".tmp-"

    /// Removes the temporary files (`.NAME.tmp-PID`) that writers killed before their rename left in
    /// `directory` (and temporary folders, such as a killed training run's): those whose process no longer exists. A live process's file is never touched (a
    /// reused pid only keeps a leftover longer). Returns the names removed.
    @discardableResult
    public static func removeAbandonedTemporaries(in directory: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: temporaryMarker, options: .backwards),
                  let pid = pid_t(name[marker.upperBound...]), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = directory.appendingPathComponent(name).path
            if unlink(path) == 0 || (errno == EISDIR && (try? FileManager.default.removeItem(atPath: path)) != nil) {
                removed.append(name)
            }
        }
        return removed
    }

    /// Creates `url` (and missing parents) with private permissions.
    public static func createDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: Int(directoryPermissions)])
    }

    /// Flushes a directory entry change (a rename) to disk.
    public static func syncDirectory(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DurableFileError(path: url.path, operation: "open directory", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw DurableFileError(path: url.path, operation: "fsync directory", code: errno) }
    }
}

/// A failed system call while writing a file durably.
public struct DurableFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32

    public var description: String {
        "\(path): cannot \(operation): \(String(cString: strerror(code)))"
    }
}
