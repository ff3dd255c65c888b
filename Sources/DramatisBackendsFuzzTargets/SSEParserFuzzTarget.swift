import DramatisBackends
import DramatisFuzzTargets

/// Fuzzes `SSEParser` (the streaming reply decoder's first stage) with arbitrary byte streams.
///
/// Invariants: the events do not depend on how the stream is cut into network chunks (whole, byte by byte,
/// or at input-derived positions), `bytesFed` counts every byte, and the events equal those of
/// `ReferenceEventStream`, a direct transcription of the WHATWG event-stream rules.
public enum SSEParserFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "sse", run: run)

    /// Parses `data` as one event stream, fed in three different chunkings.
    public static func run(_ data: [UInt8]) throws {
        var whole = SSEParser()
        let wholeEvents = whole.feed(data) + whole.finish()
        try require(whole.bytesFed == data.count, "bytesFed \(whole.bytesFed) for \(data.count) bytes")

        var bytewise = SSEParser()
        var bytewiseEvents: [SSEEvent] = []
        for byte in data { bytewiseEvents += bytewise.feed(CollectionOfOne(byte)) }
        bytewiseEvents += bytewise.finish()
        try require(bytewiseEvents == wholeEvents, "byte-by-byte feeding gave \(bytewiseEvents), whole stream \(wholeEvents)")
        try require(bytewise.firstLine == whole.firstLine, "firstLine differs: \(String(describing: bytewise.firstLine)) vs \(String(describing: whole.firstLine))")

        var splitter = ChunkSplitter(seedBytes: data)
        var chunked = SSEParser()
        var chunkedEvents: [SSEEvent] = []
        for chunk in splitter.split(data) { chunkedEvents += chunked.feed(chunk) }
        chunkedEvents += chunked.finish()
        try require(chunkedEvents == wholeEvents, "chunked feeding gave \(chunkedEvents), whole stream \(wholeEvents)")

        let expected = ReferenceEventStream.events(data)
        try require(wholeEvents == expected, "parser gave \(wholeEvents), the specification gives \(expected)")
    }
}

/// The WHATWG "interpreting an event stream" algorithm written out plainly over Unicode scalars, as an oracle.
///
/// Differences from the letter of the specification mirror `SSEParser`'s documented choices: an event
/// still open at the end of the stream is dispatched when it has data, an `error:` line counts as a data
/// line that makes the event's type "error" (older llama.cpp builds), and the stream is decoded line by
/// line (which gives the same text as decoding it whole, since CR and LF never occur inside a UTF-8 sequence).
enum ReferenceEventStream {
    static func events(_ bytes: [UInt8]) -> [SSEEvent] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        // Split into lines on CRLF, LF or CR; a final line without terminator is still processed at the end.
        var lines: [[Unicode.Scalar]] = []
        var current: [UInt8] = []
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x0D || byte == 0x0A {
                lines.append(Array(String(decoding: current, as: UTF8.self).unicodeScalars))
                current.removeAll()
                if byte == 0x0D, body.index(after: index) < body.endIndex, body[body.index(after: index)] == 0x0A {
                    index = body.index(after: index)
                }
            } else {
                current.append(byte)
            }
            index = body.index(after: index)
        }
        if !current.isEmpty { lines.append(Array(String(decoding: current, as: UTF8.self).unicodeScalars)) }

        var events: [SSEEvent] = []
        var dataBuffer: [Unicode.Scalar] = []
        var hasData = false
        var eventType: [Unicode.Scalar] = []
        var hadErrorField = false
        var lastEventID: String?
        func dispatch() {
            let type = hadErrorField ? "error" : (eventType.isEmpty ? nil : string(eventType))
            events.append(SSEEvent(event: type, data: string(dataBuffer), id: lastEventID))
            dataBuffer = []
            hasData = false
            hadErrorField = false
            eventType = []
        }
        for line in lines {
            if line.isEmpty {
                if hasData { dispatch() } else { eventType = []; hadErrorField = false }
                continue
            }
            if line.first == ":" { continue }
            let field: [Unicode.Scalar]
            var value: ArraySlice<Unicode.Scalar>
            if let colon = line.firstIndex(of: ":") {
                field = Array(line[..<colon])
                value = line[(colon + 1)...]
                if value.first == " " { value = value.dropFirst() }
            } else {
                field = line
                value = []
            }
            switch string(field) {
            case "data", "error":
                if hasData { dataBuffer.append("\n") }
                dataBuffer += value
                hasData = true
                if string(field) == "error" { hadErrorField = true }
            case "event":
                eventType = Array(value)
            case "id":
                if !value.contains("\0") { lastEventID = string(Array(value)) }
            default:
                break
            }
        }
        if hasData { dispatch() }
        return events
    }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
