#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes of a string's UTF-8 straight to a file descriptor (stdout, stderr), without `Data` or
/// `FileHandle`, whose `write(_:)` also stops the process with a fatal error when the reader has gone
/// (`dramatis ask … | head`).
enum FileDescriptorOutput {
    /// Writes all of `text` to `descriptor`, retrying interrupted and partial writes and waiting while a
    /// non-blocking descriptor is full; false when it cannot take the text (closed pipe, I/O error).
    @discardableResult
    static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return true }
            var left = bytes.count
            while left > 0 {
                let written = write(descriptor, next, left)
                if written >= 0 {
                    next += written
                    left -= written
                } else if errno == EAGAIN || errno == EWOULDBLOCK {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else if errno != EINTR {
                    return false
                }
            }
            return true
        }
    }
}
