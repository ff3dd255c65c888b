import Testing
@testable import DramatisBackends

@Suite struct SSEParserTests {
    /// Feeds `bytes` split at every given position and returns all events.
    private func parse(_ bytes: [UInt8], splits: [Int]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        var start = 0
        for split in splits.sorted() where split > start && split < bytes.count {
            events += parser.feed(bytes[start..<split])
            start = split
        }
        events += parser.feed(bytes[start...])
        events += parser.finish()
        return events
    }

    @Test func parsesDataLinesAndDone() {
        let text = "data: {\"a\":1}\n\ndata: [DONE]\n\n"
        let events = parse(Array(text.utf8), splits: [])
        #expect(events.map(\.data) == ["{\"a\":1}", "[DONE]"])
    }

    @Test func everySplitPointGivesTheSameEvents() {
        // UTF-8 multi-byte text (é, CJK, emoji), CRLF, comments, multi-line data, event and id fields.
        let text = ": keep-alive\r\n\r\nevent: message\r\nid: 7\r\ndata: héllo 世界 🎭\r\ndata: second line\r\n\r\ndata: {\"x\":\"y\"}\n\n: ping\n\ndata: [DONE]\n\n"
        let bytes = Array(text.utf8)
        let expected = [SSEEvent(event: "message", data: "héllo 世界 🎭\nsecond line", id: "7"),
                        SSEEvent(event: nil, data: "{\"x\":\"y\"}", id: "7"),
                        SSEEvent(event: nil, data: "[DONE]", id: "7")]
        #expect(parse(bytes, splits: []) == expected)
        for split in 1..<bytes.count {
            #expect(parse(bytes, splits: [split]) == expected, "split at byte \(split)")
        }
        // One byte at a time.
        #expect(parse(bytes, splits: Array(1..<bytes.count)) == expected)
    }

    @Test func utf8SequenceSplitAcrossChunksIsKept() {
        let bytes = Array("data: 🎭\n\n".utf8)          // the emoji is 4 bytes at offsets 6...9
        for split in 7...9 {
            let events = parse(bytes, splits: [split])
            #expect(events.map(\.data) == ["🎭"])
        }
    }

    @Test func loneCarriageReturnEndsLinesAndCRLFSplitAcrossChunks() {
        #expect(parse(Array("data: a\rdata: b\r\r".utf8), splits: []).map(\.data) == ["a\nb"])
        let bytes = Array("data: a\r\n\r\ndata: b\r\n\r\n".utf8)
        #expect(parse(bytes, splits: [8]).map(\.data) == ["a", "b"])  // split between \r and \n
    }

    @Test func commentsOnlyProduceNoEvents() {
        #expect(parse(Array(": hello\n\n:\n\n".utf8), splits: []).isEmpty)
    }

    @Test func fieldWithoutSpaceAndExtraSpaces() {
        let events = parse(Array("data:no-space\n\ndata:  two\n\n".utf8), splits: [])
        #expect(events.map(\.data) == ["no-space", " two"])
    }

    @Test func byteOrderMarkIsIgnored() {
        let events = parse([0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8), splits: [1])
        #expect(events.map(\.data) == ["x"])
    }

    @Test func unterminatedLastEventIsReturnedByFinish() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish().map(\.data) == ["tail"])
    }

    @Test func firstLineIsRecordedForDiagnosis() {
        var parser = SSEParser()
        _ = parser.feed(Array("<html><title>Bad Gateway</title>\n".utf8))
        #expect(parser.firstLine == "<html><title>Bad Gateway</title>")
    }
}
