/// Incremental Server-Sent Events parser: feed raw byte chunks cut anywhere, get complete events.
///
/// Follows the WHATWG event-stream rules: lines end with LF, CRLF or a lone CR (also when the
/// CR and LF arrive in different chunks); lines starting with `:` are comments (keep-alives);
/// `field: value` drops one leading space from the value; several `data:` lines join with "\n";
/// a blank line dispatches the event; a leading UTF-8 byte-order mark is ignored. Bytes are
/// decoded only once a whole line is in, so a UTF-8 sequence split across chunks stays intact.
/// Invalid UTF-8 becomes U+FFFD. One deliberate extension: older llama.cpp builds report failures with an
/// `error:` field instead of `data:`, which a standard parser drops silently; here an `error:` line counts
/// as a data line and makes the event's type "error".
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastByteWasCR = false
    private var atStreamStart = true
    private var dataLines: [String] = []
    private var hasData = false
    private var eventType: String?
    /// The event being built had an `error:` line.
    private var hadErrorField = false
    private var lastEventID: String?
    /// Number of bytes fed so far.
    public private(set) var bytesFed: Int = 0
    /// The first non-blank line seen, for diagnosing bodies that are not event streams.
    public private(set) var firstLine: String?

    /// A parser at the start of a stream.
    public init() {}

    /// Feeds one network chunk and returns the events it completed.
    public mutating func feed<Bytes: Sequence>(_ chunk: Bytes) -> [SSEEvent] where Bytes.Element == UInt8 {
        var events: [SSEEvent] = []
        let contiguous: Void? = chunk.withContiguousStorageIfAvailable { feed(contiguous: $0, into: &events) }
        if contiguous == nil {
            for byte in chunk { feed(byte, into: &events) }
        }
        return events
    }

    /// `feed` for bytes in one buffer: the runs between line ends are appended to the line in one go.
    private mutating func feed(contiguous bytes: UnsafeBufferPointer<UInt8>, into events: inout [SSEEvent]) {
        var start = 0
        while start < bytes.count {
            if lastByteWasCR {
                lastByteWasCR = false
                if bytes[start] == 0x0A {            // second half of CRLF
                    bytesFed += 1
                    start += 1
                    continue
                }
            }
            var end = start
            while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start ..< end]))
            bytesFed += end - start
            guard end < bytes.count else { return }
            feed(bytes[end], into: &events)
            start = end + 1
        }
    }

    /// `feed` for one byte.
    private mutating func feed(_ byte: UInt8, into events: inout [SSEEvent]) {
        bytesFed += 1
        if byte == 0x0A {                       // LF
            if lastByteWasCR { lastByteWasCR = false; return }   // second half of CRLF
            endLine(into: &events)
        } else if byte == 0x0D {                // CR
            lastByteWasCR = true
            endLine(into: &events)
        } else {
            lastByteWasCR = false
            line.append(byte)
        }
    }

    /// Ends the stream. Per the specification an event not closed by a blank line is discarded;
    /// `finish()` nevertheless returns it when it has data, because servers that close the
    /// connection right after their last `data:` line still meant it.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty { endLine(into: &events) }
        if hasData { events.append(dispatch()) }
        return events
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        var bytes = line[...]
        line.removeAll(keepingCapacity: true)
        if atStreamStart {
            atStreamStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        if bytes.isEmpty {
            if hasData { events.append(dispatch()) } else { eventType = nil; hadErrorField = false }
            return
        }
        if firstLine == nil { firstLine = String(String(decoding: bytes, as: UTF8.self).prefix(200)) }
        if bytes.first == 0x3A { return }            // comment / keep-alive
        // Split on the colon and space *bytes*, not on `Character`s: a combining mark after the colon
        // ("data:\u{301}…") forms one grapheme with it, so `firstIndex(of: ":")` missed the colon and the
        // line was dropped (found by fuzzing, issue #8). 0x3A and 0x20 never occur inside a UTF-8 sequence.
        var field = bytes, value = bytes[bytes.endIndex...]
        if let colon = bytes.firstIndex(of: 0x3A) {
            field = bytes[..<colon]
            value = bytes[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        }
        switch String(decoding: field, as: UTF8.self) {
        case "data":
            dataLines.append(String(decoding: value, as: UTF8.self))
            hasData = true
        case "error":
            dataLines.append(String(decoding: value, as: UTF8.self))
            hasData = true
            hadErrorField = true
        case "event":
            // An empty `event:` (or a bare `event` line) means the default type, like no field at all: the
            // specification only uses the type buffer when it is not empty. Found by fuzzing (issue #8).
            eventType = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        default:
            break                                     // "retry" and other unknown fields are ignored
        }
    }

    private mutating func dispatch() -> SSEEvent {
        let data = dataLines.count == 1 ? dataLines[0] : dataLines.joined(separator: "\n")
        let event = SSEEvent(event: hadErrorField ? "error" : eventType, data: data, id: lastEventID)
        dataLines.removeAll(keepingCapacity: true)
        hasData = false
        hadErrorField = false
        eventType = nil
        return event
    }
}
