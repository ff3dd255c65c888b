import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One derived dataset file of a persona (`sft.jsonl` or `preference.jsonl`): its lines grouped by
/// conversation, plus the exact layout this process last left on disk, so that a change to the
/// newest conversation is written in place at the end of the file instead of rewriting all of it.
///
/// The file is the groups in conversation-id order, each line written once (a line identical to an
/// earlier one is skipped). A group's bytes depend only on the groups before it, so changing the last
/// group never moves or changes a byte before it. See `Recorder` for the crash-consistency invariant.
/// Used only under the recorder's lock and the persona's `DatasetLock`.
final class DatasetFile {
    /// What the file holds after this process last wrote (or checked) it.
    struct Layout {
        /// File size in bytes.
        var length: Int
        /// The greatest conversation id with lines (the last group), if any.
        var lastKey: String?
        /// The bytes of the last group, which end the file.
        var lastGroup: [UInt8]
    }

    /// Where the file lives.
    let url: URL
    /// Lines by conversation id (groups with no lines are absent).
    private var groups: [String: [String]] = [:]
    /// How often each line occurs over all groups (a line is skipped when an earlier group has it).
    private var occurrences: [String: Int] = [:]
    /// Conversations whose lines changed since the last write.
    private var changed: Set<String> = []
    /// The layout on disk, or `nil` when unknown (the next write then rewrites the whole file).
    private var layout: Layout?
    /// Until the first write, an identical file on disk is left alone (not rewritten).
    private var compareWithDisk = true

    init(url: URL) {
        self.url = url
    }

    /// Whether `write` has anything to do.
    var needsWrite: Bool { layout == nil || !changed.isEmpty }

    /// Replaces the lines of conversation `key` (empty removes it); records the change when they differ.
    func setLines(_ lines: [String], for key: String) {
        let old = groups[key] ?? []
        guard old != lines else { return }
        for line in old {
            let count = occurrences[line]! - 1
            occurrences[line] = count == 0 ? nil : count
        }
        for line in lines { occurrences[line, default: 0] += 1 }
        groups[key] = lines.isEmpty ? nil : lines
        changed.insert(key)
    }

    /// Brings the file up to date: in place when only the last group changed and the layout on disk is
    /// known, else by an atomic rewrite. Returns whether the file was replaced by a rename (its folder then
    /// still needs an fsync). `beforeModifying` runs just before the file on disk is first changed;
    /// `killSwitch` is called at the in-place write's crash-test points.
    func write(beforeModifying: () throws -> Void, killSwitch: (RecorderKillSwitch.Point) -> Void) throws -> Bool {
        if let layout, changed.count == 1, let key = changed.first, let plan = inPlacePlan(changing: key, on: layout) {
            if plan.keep < layout.length || !plan.append.isEmpty {
                try beforeModifying()
                self.layout = nil   // unknown until the write completes
                try writeInPlace(plan, killSwitch: killSwitch)
            }
            self.layout = plan.result
            changed.removeAll()
            return false
        }
        let replaced = try rewrite(beforeModifying: beforeModifying)
        changed.removeAll()
        return replaced
    }

    /// The bytes to keep and to append for an in-place update of the last group.
    struct InPlacePlan {
        /// File size before the write.
        var oldLength: Int
        /// Bytes of the file that stay (the groups before, and the unchanged leading lines of the last group).
        var keep: Int
        /// Bytes written after `keep`; the file ends there.
        var append: ArraySlice<UInt8>
        /// The layout once written.
        var result: Layout
    }

    /// A plan when `key` is (or, removed, was) the last group, else `nil` (the whole file is rewritten).
    private func inPlacePlan(changing key: String, on layout: Layout) -> InPlacePlan? {
        // Every other group must sort before `key`, so the bytes before its group do not change.
        var previousKey: String?
        for other in groups.keys where other != key {
            if other > key { return nil }
            if previousKey.map({ other > $0 }) ?? true { previousKey = other }
        }
        // Where the group of `key` starts on disk: it was the last group, or it had no lines.
        let start: Int
        if layout.lastKey == key {
            start = layout.length - layout.lastGroup.count
        } else if layout.lastKey.map({ $0 < key }) ?? true {
            start = layout.length
        } else {
            return nil
        }
        let newLastKey = groups[key] != nil ? key : previousKey
        let newGroup = newLastKey.map(lastGroupBytes) ?? []
        // The previous group becomes the last one when `key` lost all its lines: its bytes stay, the file ends there.
        let groupStart = newLastKey == key ? start : start - newGroup.count
        let oldGroup = layout.lastKey == key ? layout.lastGroup[...] : []
        let newBytes: ArraySlice<UInt8> = newLastKey == key ? newGroup[...] : []
        // Keep the lines both versions start with; only what follows is truncated and appended.
        var common = 0, lineStart = 0
        while common < oldGroup.count, common < newBytes.count,
              oldGroup[oldGroup.startIndex + common] == newBytes[newBytes.startIndex + common] {
            common += 1
            if newBytes[newBytes.startIndex + common - 1] == 0x0A { lineStart = common }
        }
        if common == oldGroup.count, common == newBytes.count { lineStart = common }
        let keep = start + lineStart
        return InPlacePlan(oldLength: layout.length, keep: keep, append: newBytes[(newBytes.startIndex + lineStart)...],
                           result: Layout(length: groupStart + newGroup.count, lastKey: newLastKey, lastGroup: newGroup))
    }

    /// The bytes of group `key` when it is the last group: its lines that no other group has, each once.
    private func lastGroupBytes(_ key: String) -> [UInt8] {
        guard let lines = groups[key] else { return [] }
        var own: [String: Int] = [:]
        for line in lines { own[line, default: 0] += 1 }
        var written = Set<String>()
        var bytes: [UInt8] = []
        for line in lines where occurrences[line]! == own[line]! && written.insert(line).inserted {
            bytes.append(contentsOf: line.utf8)
            bytes.append(0x0A)
        }
        return bytes
    }

    /// Truncates to `plan.keep`, appends `plan.append`, fsyncs. A crash in between leaves complete lines of the
    /// old or new version and at most one unterminated final line; the next recorder start repairs it.
    private func writeInPlace(_ plan: InPlacePlan, killSwitch: (RecorderKillSwitch.Point) -> Void) throws {
        let descriptor = open(url.path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DurableFileError(path: url.path, operation: "open", code: errno) }
        defer { close(descriptor) }
        if plan.keep < plan.oldLength {
            guard ftruncate(descriptor, off_t(plan.keep)) == 0 else {
                throw DurableFileError(path: url.path, operation: "truncate", code: errno)
            }
        }
        killSwitch(.afterTruncate)
        try plan.append.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // Crash tests may stop after half of the bytes: one write(2) each half.
                let half = buffer.count / 2
                let chunk = offset < half ? half - offset : buffer.count - offset
                let written = pwrite(descriptor, buffer.baseAddress! + offset, chunk, off_t(plan.keep + offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw DurableFileError(path: url.path, operation: "write", code: errno)
                }
                offset += written
                if offset >= half, offset < buffer.count { killSwitch(.midAppend) }
            }
        }
        killSwitch(.beforeFsync)
        guard fsync(descriptor) == 0 else { throw DurableFileError(path: url.path, operation: "fsync", code: errno) }
    }

    /// Writes every group to a temporary file and renames it over the file (or leaves an identical file alone).
    private func rewrite(beforeModifying: () throws -> Void) throws -> Bool {
        var bytes: [UInt8] = []
        var seen = Set<String>()
        var lastKey: String?, lastStart = 0
        for key in groups.keys.sorted() {
            lastKey = key
            lastStart = bytes.count
            for line in groups[key]! where seen.insert(line).inserted {
                bytes.append(contentsOf: line.utf8)
                bytes.append(0x0A)
            }
        }
        let result = Layout(length: bytes.count, lastKey: lastKey, lastGroup: Array(bytes[lastStart...]))
        layout = nil
        let data = Data(bytes)
        if compareWithDisk, let existing = try? Data(contentsOf: url), existing == data {
            compareWithDisk = false
            layout = result
            return false
        }
        try beforeModifying()
        try DurableFile.write(data, to: url, syncDirectory: false)
        compareWithDisk = false
        layout = result
        return true
    }
}

/// Test hook: makes the recorder kill its own process with SIGKILL at a chosen point of an in-place
/// dataset write (`dramatis debug record-marks --kill-at`), so crash tests land exactly inside it.
public struct RecorderKillSwitch: Sendable, Hashable {
    /// A moment inside the in-place write.
    public enum Point: String, Sendable, CaseIterable {
        /// After the file was truncated to the bytes it keeps, before anything is appended.
        case afterTruncate = "after-truncate"
        /// After the first half of the appended bytes was written.
        case midAppend = "mid-append"
        /// After every byte was written, before the fsync.
        case beforeFsync = "before-fsync"
    }

    /// Where to stop.
    public var point: Point
    /// Stop at the first in-place write, from the `write`-th of this process on (1-based), that reaches `point`.
    public var write: Int

    public init(point: Point, write: Int) {
        self.point = point
        self.write = write
    }
}
