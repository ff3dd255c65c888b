import DramatisCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a `ChatCompletionChunk` straight from the UTF-8 of one `data:` payload, without Foundation.
///
/// The payload is parsed strictly (RFC 8259, `JSONLineParser`, the validator's parser) into a tape that is
/// reused from chunk to chunk, and only the members `ChatCompletionChunk` has are read; every other value is
/// skipped whatever its type. Where the result could differ from `JSONDecoder`'s (invalid JSON, a member of
/// an unexpected type, a number that is not a plain integer, a known key given twice, an escaped lone UTF-16
/// surrogate anywhere, nesting deeper than the parser allows) it gives nil and the caller decodes with
/// `JSONDecoder`, so the outcome, a value or an error, is always the one Foundation gives.
struct ChatCompletionChunkScanner: Sendable {
    private var tape = JSONTape()

    /// A scanner with an empty tape.
    init() {}

    /// The chunk in `bytes`, or nil when only `JSONDecoder` can tell what it is (see the type's summary).
    mutating func chunk(from bytes: UnsafeBufferPointer<UInt8>) -> ChatCompletionChunk? {
        var parser = JSONLineParser()
        do {
            try parser.parse(bytes, into: &tape)
        } catch {
            return nil
        }
        return try? ChunkReader(tape: tape, bytes: bytes).chunk()
    }
}

/// Walks one parsed chunk's tape and builds the `ChatCompletionChunk`; throws `Unreadable` to hand over to `JSONDecoder`.
private struct ChunkReader {
    /// The chunk has something only `JSONDecoder` can judge.
    struct Unreadable: Error {}

    let tape: JSONTape
    let bytes: UnsafeBufferPointer<UInt8>

    static let chunkKeys: [StaticString] = ["choices", "usage", "timings", "error", "object"]
    static let choiceKeys: [StaticString] = ["index", "delta", "finish_reason"]
    static let deltaKeys: [StaticString] = ["role", "content", "refusal", "reasoning_content", "reasoning", "tool_calls"]
    static let toolCallKeys: [StaticString] = ["index", "function"]
    static let functionKeys: [StaticString] = ["name", "arguments"]
    static let usageKeys: [StaticString] = ["prompt_tokens", "completion_tokens", "completion_tokens_details"]
    static let completionDetailsKeys: [StaticString] = ["reasoning_tokens"]
    static let timingsKeys: [StaticString] = ["prompt_n", "predicted_n"]
    static let errorKeys: [StaticString] = ["message", "type", "code"]

    func chunk() throws(Unreadable) -> ChatCompletionChunk {
        // Foundation refuses an escaped lone surrogate; `JSONStringDecoder` would make it U+FFFD.
        for node in tape.nodes.indices where tape.nodes[node].kind == .string && tape.nodes[node].hasEscapes {
            if JSONStringDecoder.hasLoneSurrogate(raw(node)) { throw Unreadable() }
        }
        var chunk = ChatCompletionChunk()
        try members(of: object(0), Self.chunkKeys) { (key, value) throws(Unreadable) in
            switch key {
            case 0: chunk.choices = try array(value) { (node) throws(Unreadable) in try choice(object(node)) }
            case 1: chunk.usage = try optionalObject(value).map { (node) throws(Unreadable) in try usage(node) }
            case 2: chunk.timings = try optionalObject(value).map { (node) throws(Unreadable) in try timings(node) }
            case 3: chunk.error = try errorPayload(value)
            default: chunk.object = try string(value)
            }
        }
        return chunk
    }

    private func choice(_ node: Int) throws(Unreadable) -> ChatCompletionChunk.Choice {
        var choice = ChatCompletionChunk.Choice()
        try members(of: node, Self.choiceKeys) { (key, value) throws(Unreadable) in
            switch key {
            case 0: choice.index = try integer(value)
            case 1: choice.delta = try optionalObject(value).map { (node) throws(Unreadable) in try delta(node) }
            default: choice.finishReason = try string(value)
            }
        }
        return choice
    }

    private func delta(_ node: Int) throws(Unreadable) -> ChatCompletionChunk.Choice.Delta {
        var delta = ChatCompletionChunk.Choice.Delta()
        try members(of: node, Self.deltaKeys) { (key, value) throws(Unreadable) in
            switch key {
            case 0: delta.role = try string(value)
            case 1: delta.content = try string(value)
            case 2: delta.refusal = try string(value)
            case 3: delta.reasoningContent = try string(value)
            case 4: delta.reasoning = try string(value)
            default: delta.toolCalls = try array(value) { (node) throws(Unreadable) in try toolCall(object(node)) }
            }
        }
        return delta
    }

    private func toolCall(_ node: Int) throws(Unreadable) -> ChatCompletionChunk.Choice.ToolCallDelta {
        var call = ChatCompletionChunk.Choice.ToolCallDelta()
        try members(of: node, Self.toolCallKeys) { (key, value) throws(Unreadable) in
            if key == 0 {
                call.index = try integer(value)
            } else {
                call.function = try optionalObject(value).map { (node) throws(Unreadable) in
                    var function = ChatCompletionChunk.Choice.ToolCallDelta.Function()
                    try members(of: node, Self.functionKeys) { (key, value) throws(Unreadable) in
                        if key == 0 { function.name = try string(value) } else { function.arguments = try string(value) }
                    }
                    return function
                }
            }
        }
        return call
    }

    private func usage(_ node: Int) throws(Unreadable) -> ChatCompletionChunk.Usage {
        var usage = ChatCompletionChunk.Usage()
        try members(of: node, Self.usageKeys) { (key, value) throws(Unreadable) in
            switch key {
            case 0: usage.promptTokens = try integer(value)
            case 1: usage.completionTokens = try integer(value)
            default:
                usage.completionTokensDetails = try optionalObject(value).map { (node) throws(Unreadable) in
                    var details = ChatCompletionChunk.Usage.CompletionDetails()
                    try members(of: node, Self.completionDetailsKeys) { (_, value) throws(Unreadable) in
                        details.reasoningTokens = try integer(value)
                    }
                    return details
                }
            }
        }
        return usage
    }

    private func timings(_ node: Int) throws(Unreadable) -> ChatCompletionChunk.Timings {
        var timings = ChatCompletionChunk.Timings()
        try members(of: node, Self.timingsKeys) { (key, value) throws(Unreadable) in
            if key == 0 { timings.promptN = try integer(value) } else { timings.predictedN = try integer(value) }
        }
        return timings
    }

    /// `ProviderErrorPayload.init(from:)`: a string is the message; in an object, a member of the wrong type
    /// counts as missing, and an integer `code` becomes its decimal text.
    private func errorPayload(_ node: Int) throws(Unreadable) -> ProviderErrorPayload? {
        switch tape.kind(node) {
        case .null: return nil
        case .string: return ProviderErrorPayload(message: text(node))
        case .object: break
        default: throw Unreadable()
        }
        var payload = ProviderErrorPayload(message: nil)
        try members(of: node, Self.errorKeys) { (key, value) throws(Unreadable) in
            let kind = tape.kind(value)
            switch key {
            case 0: payload.message = kind == .string ? text(value) : nil
            case 1: payload.type = kind == .string ? text(value) : nil
            default:
                switch kind {
                case .string: payload.code = text(value)
                case .number: payload.code = String(try plainInteger(value))
                default: payload.code = nil
                }
            }
        }
        return payload
    }

    // MARK: - Values

    /// The bytes of node `node`: a string's content between the quotes, a number's literal.
    private func raw(_ node: Int) -> UnsafeBufferPointer<UInt8> {
        let value = tape.nodes[node]
        return UnsafeBufferPointer(rebasing: bytes[Int(value.start) ..< Int(value.end)])
    }

    /// Node `node`, which must be an object.
    private func object(_ node: Int) throws(Unreadable) -> Int {
        guard tape.kind(node) == .object else { throw Unreadable() }
        return node
    }

    /// Node `node` if it is an object, nil if it is null.
    private func optionalObject(_ node: Int) throws(Unreadable) -> Int? {
        switch tape.kind(node) {
        case .null: return nil
        case .object: return node
        default: throw Unreadable()
        }
    }

    /// The elements of array node `node`, each read by `element`; nil for null.
    private func array<Element>(_ node: Int, _ element: (Int) throws(Unreadable) -> Element) throws(Unreadable) -> [Element]? {
        switch tape.kind(node) {
        case .null: return nil
        case .array: break
        default: throw Unreadable()
        }
        let count = Int(tape.nodes[node].count)
        var elements: [Element] = []
        elements.reserveCapacity(count)
        var child = tape.firstChild(node)
        for _ in 0 ..< count {
            elements.append(try element(child))
            child = tape.next(child)
        }
        return elements
    }

    /// The text of string node `node`, nil for null.
    private func string(_ node: Int) throws(Unreadable) -> String? {
        switch tape.kind(node) {
        case .null: return nil
        case .string: return text(node)
        default: throw Unreadable()
        }
    }

    /// The decoded text of string node `node`.
    private func text(_ node: Int) -> String {
        let content = raw(node)
        guard tape.nodes[node].hasEscapes else { return String(decoding: content, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: content.count) { JSONStringDecoder.decode(content, to: $0.baseAddress!) }
    }

    /// The value of number node `node`, nil for null.
    private func integer(_ node: Int) throws(Unreadable) -> Int? {
        switch tape.kind(node) {
        case .null: return nil
        case .number: return try plainInteger(node)
        default: throw Unreadable()
        }
    }

    /// Number node `node` as an `Int` when it is written as a plain integer of at most 18 digits
    /// (no fraction, no exponent), where `JSONDecoder` surely agrees.
    private func plainInteger(_ node: Int) throws(Unreadable) -> Int {
        let literal = raw(node)
        let negative = literal.first == 0x2D
        let digits = literal.count - (negative ? 1 : 0)
        guard digits > 0, digits <= 18 else { throw Unreadable() }
        var value = 0
        for byte in literal.dropFirst(negative ? 1 : 0) {
            guard byte >= 0x30 && byte <= 0x39 else { throw Unreadable() }
            value = value * 10 + Int(byte - 0x30)
        }
        return negative ? -value : value
    }

    // MARK: - Keys

    /// Calls `body` with (index in `names`, value node) for each member of object `node` whose key is in
    /// `names`, in document order. A key of `names` given twice is left to `JSONDecoder`.
    private func members(of node: Int, _ names: [StaticString],
                         _ body: (Int, Int) throws(Unreadable) -> Void) throws(Unreadable) {
        var seen: UInt32 = 0
        var key = tape.firstChild(node)
        for _ in 0 ..< tape.nodes[node].count {
            let value = tape.next(key)
            if let index = keyIndex(key, names) {
                let bit: UInt32 = 1 << UInt32(index)
                if seen & bit != 0 { throw Unreadable() }
                seen |= bit
                try body(index, value)
            }
            key = tape.next(value)
        }
    }

    /// The index in `names` of key node `node`'s decoded text, nil when it is none of them.
    private func keyIndex(_ node: Int, _ names: [StaticString]) -> Int? {
        let content = raw(node)
        if tape.nodes[node].hasEscapes {
            var decoded: [UInt8] = []
            JSONStringDecoder.decode(content, into: &decoded)
            return decoded.withUnsafeBufferPointer { Self.index(of: $0, in: names) }
        }
        return Self.index(of: content, in: names)
    }

    private static func index(of key: UnsafeBufferPointer<UInt8>, in names: [StaticString]) -> Int? {
        for (index, name) in names.enumerated() where name.utf8CodeUnitCount == key.count {
            if key.count == 0 || memcmp(name.utf8Start, key.baseAddress!, key.count) == 0 { return index }
        }
        return nil
    }
}
