/// A strict RFC 8259 JSON parser for one line of bytes, producing a `JSONTape`.
///
/// UTF-8 validity is checked separately (`UTF8Check`); this parser checks structure, escapes,
/// numbers and control characters, and reports the byte column of the first problem.
package struct JSONLineParser {
    /// Why a line is not JSON, with the 1-based byte column.
    package struct Failure: Error {
        package var column: Int
        package var reason: String
    }

    /// Containers nested deeper than this are refused (keeps the recursion bounded).
    package static let maximumDepth = 256

    private var bytes: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    private var position = 0

    package init() {}

    /// Parses `line` into `tape` (cleared first).
    package mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into tape: inout JSONTape) throws(Failure) {
        bytes = line
        position = 0
        tape.nodes.removeAll(keepingCapacity: true)
        skipWhitespace()
        try parseValue(&tape, depth: 0)
        skipWhitespace()
        if position != bytes.count { throw fail("unexpected text after the JSON value") }
    }

    private func fail(_ reason: String) -> Failure {
        Failure(column: position + 1, reason: reason)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { position += 1 } else { break }
        }
    }

    private mutating func parseValue(_ tape: inout JSONTape, depth: Int) throws(Failure) {
        guard position < bytes.count else { throw fail("unexpected end of line") }
        switch bytes[position] {
        case 0x7B: try parseObject(&tape, depth: depth + 1)
        case 0x5B: try parseArray(&tape, depth: depth + 1)
        case 0x22: try parseString(&tape)
        case 0x74: try literal("true", .trueValue, &tape)
        case 0x66: try literal("false", .falseValue, &tape)
        case 0x6E: try literal("null", .null, &tape)
        case 0x2D, 0x30 ... 0x39: try parseNumber(&tape)
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONTape.Kind, _ tape: inout JSONTape) throws(Failure) {
        let start = position
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw fail("invalid literal") }
        for i in 0 ..< length where bytes[position + i] != word.utf8Start[i] {
            throw fail("invalid literal")
        }
        position += length
        tape.nodes.append(.init(kind: kind, hasEscapes: false, start: Int32(start), end: Int32(position),
                                after: Int32(tape.nodes.count + 1), count: 0))
    }

    private mutating func parseNumber(_ tape: inout JSONTape) throws(Failure) {
        let start = position
        if bytes[position] == 0x2D { position += 1 }
        func isDigit(_ p: Int) -> Bool { p < bytes.count && bytes[p] >= 0x30 && bytes[p] <= 0x39 }
        guard isDigit(position) else { throw fail("invalid number") }
        if bytes[position] == 0x30 {
            position += 1
            if isDigit(position) { throw fail("numbers must not have leading zeros") }
        } else {
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            guard isDigit(position) else { throw fail("invalid number") }
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == 0x65 {
            position += 1
            if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
            guard isDigit(position) else { throw fail("invalid number") }
            while isDigit(position) { position += 1 }
        }
        tape.nodes.append(.init(kind: .number, hasEscapes: false, start: Int32(start), end: Int32(position),
                                after: Int32(tape.nodes.count + 1), count: 0))
    }

    private mutating func parseString(_ tape: inout JSONTape) throws(Failure) {
        position += 1 // opening quote
        let start = position
        var escapes = false
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let b = bytes[position]
            if b == 0x22 { break }
            if b < 0x20 { throw fail("control character in string (must be escaped)") }
            if b == 0x5C {
                escapes = true
                guard position + 1 < bytes.count else { throw fail("unterminated string") }
                switch bytes[position + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    position += 2
                case 0x75:
                    guard position + 5 < bytes.count else { throw fail("invalid \\u escape") }
                    for i in 2 ... 5 where JSONStringDecoder.hexValue(bytes[position + i]) == nil {
                        throw fail("invalid \\u escape")
                    }
                    position += 6
                default:
                    throw fail("invalid escape")
                }
                continue
            }
            position += 1
        }
        tape.nodes.append(.init(kind: .string, hasEscapes: escapes, start: Int32(start), end: Int32(position),
                                after: Int32(tape.nodes.count + 1), count: 0))
        position += 1 // closing quote
    }

    private mutating func parseArray(_ tape: inout JSONTape, depth: Int) throws(Failure) {
        guard depth <= JSONLineParser.maximumDepth else { throw fail("nested too deeply") }
        let index = tape.nodes.count
        tape.nodes.append(.init(kind: .array, hasEscapes: false, start: Int32(position), end: 0, after: 0, count: 0))
        position += 1
        skipWhitespace()
        var count: Int32 = 0
        if position < bytes.count, bytes[position] == 0x5D {
            position += 1
        } else {
            while true {
                try parseValue(&tape, depth: depth)
                count += 1
                skipWhitespace()
                guard position < bytes.count else { throw fail("unterminated array") }
                if bytes[position] == 0x2C { position += 1; skipWhitespace(); continue }
                if bytes[position] == 0x5D { position += 1; break }
                throw fail("expected , or ] in array")
            }
        }
        tape.nodes[index].end = Int32(position)
        tape.nodes[index].after = Int32(tape.nodes.count)
        tape.nodes[index].count = count
    }

    private mutating func parseObject(_ tape: inout JSONTape, depth: Int) throws(Failure) {
        guard depth <= JSONLineParser.maximumDepth else { throw fail("nested too deeply") }
        let index = tape.nodes.count
        tape.nodes.append(.init(kind: .object, hasEscapes: false, start: Int32(position), end: 0, after: 0, count: 0))
        position += 1
        skipWhitespace()
        var count: Int32 = 0
        if position < bytes.count, bytes[position] == 0x7D {
            position += 1
        } else {
            while true {
                guard position < bytes.count, bytes[position] == 0x22 else { throw fail("expected a quoted key") }
                try parseString(&tape)
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x3A else { throw fail("expected : after key") }
                position += 1
                skipWhitespace()
                try parseValue(&tape, depth: depth)
                count += 1
                skipWhitespace()
                guard position < bytes.count else { throw fail("unterminated object") }
                if bytes[position] == 0x2C { position += 1; skipWhitespace(); continue }
                if bytes[position] == 0x7D { position += 1; break }
                throw fail("expected , or } in object")
            }
        }
        tape.nodes[index].end = Int32(position)
        tape.nodes[index].after = Int32(tape.nodes.count)
        tape.nodes[index].count = count
    }
}
