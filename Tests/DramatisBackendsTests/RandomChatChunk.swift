import DramatisCore

/// Random chat-completions chunks as JSON text: shaped like real ones, with the variations a chunk reader
/// must get right or leave to `JSONDecoder`: strings with every escape, `\u` escapes in both cases,
/// surrogate pairs and (rarely) lone surrogates, raw multi-byte UTF-8, nulls, missing and escaped keys,
/// duplicated keys, values of the wrong type, unknown members holding nested objects and arrays, numbers
/// in every form, random whitespace, and now and then broken JSON. Seeded, so a failure repeats.
struct RandomChatChunk {
    private var random: SplitMix64

    /// A generator whose chunks depend only on `seed`.
    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// One chunk's JSON text.
    mutating func chunk() -> String {
        var members: [(String, String)] = []
        if chance(0.9) { members.append(("choices", known { let count = $0.pick([0, 1, 1, 1, 1, 2, 3]); return $0.array(count: count) { $0.choice() } })) }
        if chance(0.25) { members.append(("usage", known { $0.usage() })) }
        if chance(0.25) { members.append(("timings", known { $0.timings() })) }
        if chance(0.08) { members.append(("error", known { $0.error() })) }
        if chance(0.5) {
            members.append(("object", known { $0.chance(0.1) ? "\"error\"" : $0.chance(0.1) ? $0.string() : "\"chat.completion.chunk\"" }))
        }
        members += unknownMembers(["id", "created", "model", "system_fingerprint", "service_tier", "prompt_filter_results"])
        var text = whitespace() + object(members) + whitespace()
        if chance(0.02) { text = corrupted(text) }
        return text
    }

    // MARK: - The chunk's parts

    private mutating func choice() -> String {
        var members: [(String, String)] = []
        if chance(0.9) { members.append(("index", known { $0.integer() })) }
        if chance(0.9) { members.append(("delta", known { $0.delta() })) }
        if chance(0.8) { members.append(("finish_reason", known { $0.chance(0.7) ? "null" : $0.chance(0.7) ? $0.pick(["\"stop\"", "\"length\"", "\"tool_calls\"", "\"\""]) : $0.string() })) }
        members += unknownMembers(["logprobs", "native_finish_reason", "content_filter_results"])
        return object(members)
    }

    private mutating func delta() -> String {
        var members: [(String, String)] = []
        for name in ["role", "content", "refusal", "reasoning_content", "reasoning"] where chance(name == "content" ? 0.8 : 0.25) {
            members.append((name, known { $0.chance(0.2) ? "null" : $0.string() }))
        }
        if chance(0.15) { members.append(("tool_calls", known { let count = $0.pick([0, 1, 2]); return $0.array(count: count) { $0.toolCall() } })) }
        members += unknownMembers(["function_call", "audio", "annotations"])
        return object(members)
    }

    private mutating func toolCall() -> String {
        var members: [(String, String)] = []
        if chance(0.9) { members.append(("index", known { $0.integer() })) }
        if chance(0.9) {
            members.append(("function", known {
                var function: [(String, String)] = []
                if $0.chance(0.6) { function.append(("name", $0.known { $0.string() })) }
                if $0.chance(0.9) { function.append(("arguments", $0.known { $0.string() })) }
                function += $0.unknownMembers(["strict"])
                return $0.object(function)
            }))
        }
        members += unknownMembers(["id", "type"])
        return object(members)
    }

    private mutating func usage() -> String {
        var members: [(String, String)] = []
        if chance(0.9) { members.append(("prompt_tokens", known { $0.integer() })) }
        if chance(0.9) { members.append(("completion_tokens", known { $0.integer() })) }
        if chance(0.3) {
            members.append(("completion_tokens_details", known {
                let members = [("reasoning_tokens", $0.known { $0.integer() })] + $0.unknownMembers(["audio_tokens"])
                return $0.object(members)
            }))
        }
        members += unknownMembers(["total_tokens", "prompt_tokens_details"])
        return object(members)
    }

    private mutating func timings() -> String {
        var members: [(String, String)] = []
        if chance(0.9) { members.append(("prompt_n", known { $0.integer() })) }
        if chance(0.9) { members.append(("predicted_n", known { $0.integer() })) }
        members += unknownMembers(["prompt_ms", "predicted_per_second", "cache_n"])
        return object(members)
    }

    private mutating func error() -> String {
        if chance(0.2) { return string() }
        var members: [(String, String)] = []
        if chance(0.9) { members.append(("message", chance(0.9) ? string() : anyValue(depth: 1))) }
        if chance(0.5) { members.append(("type", chance(0.9) ? string() : anyValue(depth: 1))) }
        if chance(0.6) { members.append(("code", chance(0.5) ? integer() : chance(0.6) ? string() : anyValue(depth: 1))) }
        members += unknownMembers(["param", "metadata"])
        return object(members)
    }

    // MARK: - Values

    /// The value `make` writes, or rarely one of another type, as a careless server might send.
    private mutating func known(_ make: (inout RandomChatChunk) -> String) -> String {
        if chance(0.03) { return anyValue(depth: 1) }
        if chance(0.05) { return "null" }
        return make(&self)
    }

    /// Some of `names` (and now and then another name) with values of any type.
    private mutating func unknownMembers(_ names: [String]) -> [(String, String)] {
        var members: [(String, String)] = []
        for name in names where chance(0.4) { members.append((name, anyValue(depth: 0))) }
        if chance(0.1) { members.append((pick(["x", "", "Content", "content ", "délta", "\u{1F3AD}"]), anyValue(depth: 0))) }
        return members
    }

    /// A JSON object of `members` in random order, with random whitespace, keys sometimes written with
    /// escapes, and now and then a member given twice.
    private mutating func object(_ members: [(String, String)]) -> String {
        var members = members
        for index in members.indices.reversed() where index > 0 {
            members.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        if !members.isEmpty && chance(0.03) {
            let twice = members[Int(random.next() % UInt64(members.count))]
            members.append((twice.0, chance(0.5) ? twice.1 : anyValue(depth: 2)))
        }
        let body = members.map { whitespace() + key($0.0) + whitespace() + ":" + whitespace() + $0.1 + whitespace() }
        return "{" + (body.isEmpty ? whitespace() : body.joined(separator: ",")) + "}"
    }

    private mutating func array(count: Int, _ element: (inout RandomChatChunk) -> String) -> String {
        var elements: [String] = []
        for _ in 0 ..< count { elements.append(whitespace() + (chance(0.02) ? anyValue(depth: 2) : element(&self)) + whitespace()) }
        return "[" + (elements.isEmpty ? whitespace() : elements.joined(separator: ",")) + "]"
    }

    /// `name` quoted, sometimes with one character written as a `\u` escape.
    private mutating func key(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        guard !scalars.isEmpty, chance(0.05) else { return "\"" + name + "\"" }
        let at = Int(random.next() % UInt64(scalars.count))
        var text = "\""
        for (index, scalar) in scalars.enumerated() {
            if index == at && scalar.value < 0x10000 {
                text += "\\u" + hex(scalar.value, uppercase: chance(0.5))
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// A JSON string literal built from random pieces.
    private mutating func string() -> String {
        var text = "\""
        for _ in 0 ..< pick([0, 1, 1, 2, 3, 5, 8]) { text += stringPiece() }
        return text + "\""
    }

    private mutating func stringPiece() -> String {
        switch random.next() % 100 {
        case 0 ..< 30: return pick(["Hello", " the", " world", ",", ".", " ", "a", "Once upon a time there was a lighthouse"])
        case 30 ..< 45: return pick(["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"])
        case 45 ..< 60:
            // A `\u` escape of a scalar in the Basic Multilingual Plane (not a surrogate).
            var value = UInt32(random.next() % 0x10000)
            if chance(0.5) { value = pick([0, 0x1F, 0x22, 0x2F, 0x5C, 0x7F, 0xE9, 0x4E2D, 0xFEFF, 0xFFFF, 0x2028, 0x202E]) }
            if (0xD800 ..< 0xE000).contains(value) { value -= 0x1000 }
            return "\\u" + hex(value, uppercase: chance(0.5))
        case 60 ..< 70:
            // A surrogate pair.
            let scalar = 0x10000 + UInt32(random.next() % 0x100000)
            let high = 0xD800 + ((scalar - 0x10000) >> 10), low = 0xDC00 + ((scalar - 0x10000) & 0x3FF)
            return "\\u" + hex(high, uppercase: chance(0.5)) + "\\u" + hex(low, uppercase: chance(0.5))
        case 70 ..< 88: return pick(["é", "中文", "🎭", "🏴‍☠️", "e\u{301}", "\u{FEFF}", "\u{2028}", "Ω", "\u{A0}", "\u{10FFFF}"])
        case 88 ..< 97: return pick(["{", "}", "[", "]", ":", ",", "data: ", "[DONE]", "null", "0"])
        case 97: return pick(["\\ud800", "\\uDC00", "\\uD83D\\u0041", "\\uDE00\\uD83D", "\\uD83D"])   // lone surrogates
        case 98: return pick(["\n", "\u{01}", "\t", "\\x", "\\u12G4", "\\"])                     // invalid in JSON
        default: return pick(["\\u0000", "\\u0000\\u0000"])
        }
    }

    /// A number written as a plain integer mostly, else in another form `JSONDecoder` may or may not take as an `Int`.
    private mutating func integer() -> String {
        if chance(0.8) { return String(Int(random.next() % 5000)) }
        return number()
    }

    private mutating func number() -> String {
        pick(["0", "-0", "7", "-12", "3.25", "-0.5", "1e5", "1E-7", "2.5e+3", "-1.0E10", "1e400", "1.0", "10E1",
              "123456789012345678", "-123456789012345678", "1234567890123456789", "9223372036854775807",
              "9223372036854775808", "123456789012345678901234567890", "0.000000000000000000001", "-9e-400"])
    }

    /// Any JSON value, nested up to depth 3.
    private mutating func anyValue(depth: Int) -> String {
        switch random.next() % (depth >= 3 ? 6 : 8) {
        case 0: return "null"
        case 1: return "true"
        case 2: return "false"
        case 3, 4: return number()
        case 5: return string()
        case 6:
            var members: [(String, String)] = []
            for _ in 0 ..< pick([0, 1, 2, 3]) { members.append((pick(["content", "a", "index", "choices", "delta", "é", ""]), anyValue(depth: depth + 1))) }
            return object(members)
        default:
            return array(count: pick([0, 1, 2, 4])) { $0.anyValue(depth: depth + 1) }
        }
    }

    private mutating func whitespace() -> String {
        chance(0.7) ? "" : pick([" ", "  ", "\n", "\t", "\r\n", " \n\t"])
    }

    /// `text` broken: cut short, or with a stray character somewhere.
    private mutating func corrupted(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let at = Int(random.next() % UInt64(bytes.count + 1))
        if chance(0.5) { return String(decoding: bytes[..<at], as: UTF8.self) }
        return String(decoding: bytes[..<at] + Array(pick([",", "}", "]", "\"", "x", ":", "\\"]).utf8) + bytes[at...], as: UTF8.self)
    }

    // MARK: - Randomness

    private mutating func chance(_ probability: Double) -> Bool {
        Double(random.next() >> 11) / Double(UInt64(1) << 53) < probability
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int(random.next() % UInt64(items.count))]
    }

    private func hex(_ value: UInt32, uppercase: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
