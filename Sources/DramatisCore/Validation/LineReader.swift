#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in large chunks with read(2) and hands out its lines (without the `\n`),
/// so memory holds one chunk plus the longest line, whatever the file size.
struct LineReader {
    /// Bytes per read(2).
    static let chunkSize = 4 << 20

    private let descriptor: Int32
    private var buffer: [UInt8]
    private var pending: [UInt8] = []
    /// Total bytes read so far.
    private(set) var bytesRead = 0

    /// Opens `path`; throws a `ValidationFileError` naming the OS reason.
    init(path: String) throws(ValidationFileError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ValidationFileError(file: path, reason: LineReader.errnoText()) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ValidationFileError(file: path, reason: "is a directory")
        }
        descriptor = fd
        buffer = [UInt8](repeating: 0, count: LineReader.chunkSize)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    /// Calls `body(line, lineNumber)` for every line; the last line needs no trailing newline.
    mutating func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) throws(ValidationFileError) {
        defer { close(descriptor) }
        var lineNumber = 0
        while true {
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, LineReader.chunkSize) }
            if got < 0 {
                if errno == EINTR { continue }
                throw ValidationFileError(file: "", reason: LineReader.errnoText())
            }
            if got == 0 { break }
            bytesRead += got
            buffer.withUnsafeBufferPointer { chunk in
                guard let base = chunk.baseAddress else { return }
                var start = 0
                while start < got {
                    guard let found = memchr(base + start, 0x0A, got - start) else {
                        pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: got - start))
                        return
                    }
                    let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    if pending.isEmpty {
                        body(UnsafeBufferPointer(start: base + start, count: end - start), lineNumber)
                    } else {
                        pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                        pending.withUnsafeBufferPointer { body($0, lineNumber) }
                        pending.removeAll(keepingCapacity: pending.count < LineReader.chunkSize)
                    }
                    start = end + 1
                }
            }
        }
        if !pending.isEmpty {
            lineNumber += 1
            pending.withUnsafeBufferPointer { body($0, lineNumber) }
            pending.removeAll()
        }
    }
}
