#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file with read(2) in large blocks that always end at a line break (or at the end of
/// the file), so memory holds a few blocks plus the longest line, whatever the file size.
struct LineReader {
    /// Bytes per read(2), and the target size of a block.
    static let blockSize = 4 << 20

    private let descriptor: Int32
    private let path: String
    private var carry: [UInt8] = []
    private var finished = false
    /// Total bytes read so far.
    private(set) var bytesRead = 0

    /// Opens `path`; throws a `ValidationFileError` naming the OS reason.
    init(path: String) throws(ValidationFileError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ValidationFileError(file: path, reason: LineReader.errnoText()) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            _ = closeDescriptor(fd)
            throw ValidationFileError(file: path, reason: "is a directory")
        }
        descriptor = fd
        self.path = path
    }

    /// Closes the file.
    func close() { _ = closeDescriptor(descriptor) }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    /// The next block of whole lines (its last line may lack a `\n` only at the end of the file), or `nil` at the end.
    mutating func nextBlock() throws(ValidationFileError) -> [UInt8]? {
        if finished { return nil }
        var block = carry
        carry = []
        while true {
            let old = block.count
            block.reserveCapacity(old + LineReader.blockSize)
            var got = 0
            block.append(contentsOf: repeatElement(0, count: LineReader.blockSize))
            got = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + old, LineReader.blockSize) }
            if got < 0 {
                block.removeLast(LineReader.blockSize)
                if errno == EINTR { continue }
                throw ValidationFileError(file: path, reason: LineReader.errnoText())
            }
            block.removeLast(LineReader.blockSize - got)
            bytesRead += got
            if got == 0 {
                finished = true
                return block.isEmpty ? nil : block
            }
            // Cut after the last line break; keep the partial line for the next block.
            if let lastBreak = block[old...].lastIndex(of: 0x0A) {
                carry = Array(block[(lastBreak + 1)...])
                block.removeLast(block.count - lastBreak - 1)
                return block
            }
            // No line break yet: one long line, keep reading.
        }
    }
}

/// close(2) from the C library (the name `close` is shadowed inside `LineReader`).
@inline(__always)
private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}

/// Calls `body` with each line of `block` (without `\n`) and its index within the block.
@inline(__always)
func forEachLine(in block: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    guard let base = block.baseAddress else { return }
    var start = 0
    let count = block.count
    while start < count {
        let end: Int
        if let found = memchr(base + start, 0x0A, count - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        } else {
            end = count
        }
        body(UnsafeBufferPointer(start: base + start, count: end - start))
        start = end + 1
    }
}
