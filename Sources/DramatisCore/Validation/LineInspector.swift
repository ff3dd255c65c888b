/// What one example contributes to the statistics.
struct ExampleFacts {
    var counted = false
    var messages = 0
    var totalTokens = 0
    var assistantTokens = 0
    var trainedAssistantTokens = 0
    var hasSystem = false
    var hasUser = false
    var label: Bool?
    var contentHash: UInt64 = 0
    /// Every message's text, ignoring case, whitespace and punctuation (near-duplicates).
    var nearHash: UInt64 = 0
    /// Supervised lines: (context before, reply) whitespace-insensitive hashes of each trained reply.
    var trainedReplies: [(context: UInt64, reply: UInt64)] = []
    /// Preference lines: (prompt, preferred, rejected) — KTO: (prompt, completion, label) — and the same with the
    /// judgement reversed; a later line whose key is an earlier line's reversed key contradicts it.
    var judgement: (key: UInt64, reversed: UInt64)?
}

/// Facts gathered from one list of chat messages.
struct MessageListFacts {
    var count = 0
    var tokens = 0
    var assistantTokens = 0
    var trainedAssistantTokens = 0
    var hasSystem = false
    var hasUser = false
    var hasAssistant = false
    var trainableAssistant = 0
    var lastRole: String?
    /// Running whitespace-insensitive hash of (role, content) of the messages so far.
    var chain: UInt64 = 0
    /// The same, word-normalised.
    var near: UInt64 = 0
    /// (context before, reply) of each assistant message with weight 1.
    var trainedReplies: [(context: UInt64, reply: UInt64)] = []
}

/// Parses one JSONL line and checks it against a dataset format, collecting issues and token counts.
struct LineInspector {
    static let chatRoles: Set<String> = ["system", "user", "assistant", "function", "tool"]
    static let chatMessageKeys: Set<String> = ["role", "content", "name", "function_call", "weight", "tool_calls", "tool_call_id"]
    static let chatTopLevelKeys: Set<String> = ["messages", "tools", "functions", "parallel_tool_calls"]
    static let shareGPTRoles: Set<String> = ["system", "human", "gpt", "function_call", "observation", "tool"]

    var tape = JSONTape()
    var parser = JSONLineParser()
    var counter: TokenCounter
    private var scratch: [UInt8] = []
    private var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Issues found on the current line, in order.
    var issues: [(ValidationCategory, ValidationIssue.Severity, String)] = []

    init(counter: TokenCounter) {
        self.counter = counter
    }

    // MARK: Parsing

    /// Parses `bytes`; on failure records `invalid_json` and returns false.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        line = bytes
        issues.removeAll(keepingCapacity: true)
        do {
            try parser.parse(bytes, into: &tape)
            return true
        } catch {
            issues.append((.invalidJSON, .error, "invalid JSON at column \(error.column): \(error.reason)"))
            return false
        }
    }

    /// The top-level keys of the parsed line when it is an object.
    func topLevelKeys() -> Set<String>? {
        guard tape.kind(0) == .object else { return nil }
        return Set(tape.members(0).map { string($0.key) })
    }

    // MARK: Value helpers

    private func raw(_ node: Int) -> UnsafeBufferPointer<UInt8> {
        let n = tape.nodes[node]
        return UnsafeBufferPointer(rebasing: line[Int(n.start) ..< Int(n.end)])
    }

    /// Calls `body` with the decoded UTF-8 of string node `node`.
    private mutating func withString<R>(_ node: Int, _ body: (inout TokenCounter, UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !tape.nodes[node].hasEscapes { return body(&counter, raw(node)) }
        let length = decodeIntoScratch(node)
        return scratch.withUnsafeBufferPointer { body(&counter, UnsafeBufferPointer(rebasing: $0[0 ..< length])) }
    }

    /// Decodes escaped string node `node` into the start of `scratch` (grown as needed, never shrunk);
    /// returns the decoded length.
    private mutating func decodeIntoScratch(_ node: Int) -> Int {
        let source = raw(node)
        if scratch.count < source.count { scratch.append(contentsOf: repeatElement(0, count: source.count - scratch.count)) }
        return scratch.withUnsafeMutableBufferPointer { JSONStringDecoder.decode(source, to: $0.baseAddress!) }
    }

    /// The decoded string of a string node (for keys, roles and messages).
    func string(_ node: Int) -> String {
        if !tape.nodes[node].hasEscapes { return String(decoding: raw(node), as: UTF8.self) }
        var bytes: [UInt8] = []
        JSONStringDecoder.decode(raw(node), into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when string node `node` decodes to a non-empty string.
    private func isNonEmptyString(_ node: Int) -> Bool {
        tape.kind(node) == .string && tape.nodes[node].end > tape.nodes[node].start
    }

    /// The value node of the last member named `key` in object `object` (JSON's last-wins rule).
    func member(_ object: Int, _ key: String) -> Int? {
        var found: Int?
        var k = tape.firstChild(object)
        for _ in 0 ..< Int(tape.nodes[object].count) {
            let v = tape.next(k)
            if stringEquals(k, key) { found = v }
            k = tape.next(v)
        }
        return found
    }

    /// Whether string node `node` decodes to `text` (raw bytes compared when it has no escapes).
    func stringEquals(_ node: Int, _ text: String) -> Bool {
        let n = tape.nodes[node]
        if n.hasEscapes { return string(node) == text }
        var text = text
        return text.withUTF8 { expected in
            expected.count == Int(n.end - n.start) && expected.elementsEqual(raw(node))
        }
    }

    /// Tokens of a value the notebook's way: strings are encoded; objects and arrays (function
    /// calls, tool calls) count as their JSON text; numbers, booleans and null count nothing.
    private mutating func valueTokens(_ node: Int) -> Int {
        switch tape.kind(node) {
        case .string: return withString(node) { counter, bytes in counter.count(utf8: bytes) }
        case .object, .array: return counter.count(utf8: raw(node))
        default: return 0
        }
    }

    private mutating func roleTokens(_ text: String) -> Int { counter.count(text) }

    /// A 64-bit content hash independent of whitespace, escapes and object key order.
    mutating func contentHash(_ node: Int) -> UInt64 {
        let n = tape.nodes[node]
        switch n.kind {
        case .null: return 0x9E37_79B9_7F4A_7C15
        case .falseValue: return 0xC2B2_AE3D_27D4_EB4F
        case .trueValue: return 0x1656_67B1_9E37_79F9
        case .number, .string:
            let seed: UInt64 = n.kind == .number ? 0x27D4_EB2F_1656_67C5 : 0xFF51_AFD7_ED55_8CCD
            if n.kind == .string && n.hasEscapes {
                let length = decodeIntoScratch(node)
                return scratch.withUnsafeBufferPointer { LineInspector.hashBytes(UnsafeBufferPointer(rebasing: $0[0 ..< length]), seed: seed) }
            }
            return LineInspector.hashBytes(raw(node), seed: seed)
        case .array:
            var h: UInt64 = 0xA076_1D64_78BD_642F
            var child = node + 1
            for _ in 0 ..< n.count {
                h = LineInspector.mix(h &* 31 &+ contentHash(child))
                child = tape.next(child)
            }
            return h
        case .object:
            var h: UInt64 = 0xE703_7ED1_A0B4_28DB
            var key = node + 1
            for _ in 0 ..< n.count {
                let value = tape.next(key)
                h = h &+ LineInspector.mix(contentHash(key) &* 0x9FB2_1C65_1E98_DF25 ^ contentHash(value))
                key = tape.next(value)
            }
            return LineInspector.mix(h)
        }
    }

    /// A 64-bit hash of `bytes`, eight bytes at a time (a 128-bit multiply folds each word in, as wyhash does).
    @inline(__always)
    static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return mix(h) }
        let count = bytes.count
        var i = 0
        @inline(__always) func fold(_ word: UInt64) {
            let product = (h ^ word).multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
            h = product.high ^ product.low
        }
        while i + 8 <= count {
            fold(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < count {
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                last |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            fold(last ^ 0xE703_7ED1_A0B4_28DB)
        }
        return mix(h)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func kindName(_ kind: JSONTape.Kind) -> String {
        switch kind {
        case .null: return "null"
        case .falseValue, .trueValue: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    private mutating func error(_ category: ValidationCategory, _ message: String) {
        issues.append((category, .error, message))
    }

    private mutating func warning(_ category: ValidationCategory, _ message: String) {
        issues.append((category, .warning, message))
    }

    private static func quoted(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    // MARK: Messages

    /// Checks a list of role/content messages (the notebook's per-message rules).
    /// `roleCategory` is the category used for a role outside `roles`.
    /// `checkReplies`: look at the trained assistant replies' text (blank, refusal, cut off).
    private mutating func checkMessages(_ list: Int, path: String, roles: Set<String>, allowWeight: Bool,
                                        roleCategory: ValidationCategory = .unrecognizedRole, checkReplies: Bool = false) -> MessageListFacts {
        var facts = MessageListFacts()
        var message = tape.firstChild(list)
        for index in 0 ..< Int(tape.nodes[list].count) {
            defer { message = tape.next(message) }
            /// Where the message is, for issue messages (built only when one is reported).
            func place() -> String { "\(path)[\(index)]" }
            facts.count += 1
            facts.tokens += 3
            guard tape.kind(message) == .object else {
                error(.dataType, "\(place()) is \(LineInspector.kindName(tape.kind(message))), not an object")
                continue
            }
            var roleNode: Int?, contentNode: Int?, weightNode: Int?
            var hasCall = false
            var unrecognized: [String] = []
            var keyNode = tape.firstChild(message)
            for _ in 0 ..< Int(tape.nodes[message].count) {
                let valueNode = tape.next(keyNode)
                defer { keyNode = tape.next(valueNode) }
                let key = string(keyNode)
                if !LineInspector.chatMessageKeys.contains(key) { unrecognized.append(key) }
                switch key {
                case "role": roleNode = valueNode
                case "content": contentNode = valueNode
                case "weight": weightNode = valueNode
                case "function_call", "tool_calls": hasCall = tape.kind(valueNode) != .null
                case "name": facts.tokens += 1
                default: break
                }
                if key != "weight" { facts.tokens += valueTokens(valueNode) }
            }
            if !unrecognized.isEmpty {
                error(.messageUnrecognizedKey, "\(place()) has unrecognized key\(unrecognized.count > 1 ? "s" : "") \(LineInspector.quoted(unrecognized)) (allowed: role, content, name, function_call, weight, tool_calls, tool_call_id)")
            }
            if roleNode == nil { error(.messageMissingKey, "\(place()) has no \"role\"") }
            if contentNode == nil && !hasCall { error(.messageMissingKey, "\(place()) has no \"content\"") }
            var role: String?
            if let roleNode {
                if tape.kind(roleNode) == .string { role = string(roleNode) }
                if role == nil || !roles.contains(role!) {
                    let shown = role.map { "\"\($0)\"" } ?? LineInspector.kindName(tape.kind(roleNode))
                    error(roleCategory, "\(place()) has role \(shown); expected one of \(roles.sorted().joined(separator: ", "))")
                }
            } else if roleCategory != .unrecognizedRole {
                error(roleCategory, "\(place()) must have role \(roles.sorted().joined(separator: ", "))")
            } else {
                // The notebook counts a missing role as unrecognized too.
                error(.unrecognizedRole, "\(place()) has no role; expected one of \(roles.sorted().joined(separator: ", "))")
            }
            // Content: a non-empty string, unless the message is a function/tool call.
            if hasCall {
                if let contentNode, tape.kind(contentNode) != .string, tape.kind(contentNode) != .null {
                    error(.missingContent, "\(place()).content must be a string or null, found \(LineInspector.kindName(tape.kind(contentNode)))")
                }
            } else if let contentNode {
                if tape.kind(contentNode) != .string {
                    error(.missingContent, "\(place()).content must be a string, found \(LineInspector.kindName(tape.kind(contentNode)))")
                } else if !isNonEmptyString(contentNode) {
                    error(.missingContent, "\(place()).content is empty")
                }
            } else {
                error(.missingContent, "\(place()) has no content")
            }
            var weight = 1
            if let weightNode {
                let text = tape.kind(weightNode) == .number ? String(decoding: raw(weightNode), as: UTF8.self) : ""
                if !allowWeight {
                    warning(.weightIgnored, "\(place()).weight is ignored in this format")
                } else if text == "0" || text == "1" {
                    weight = text == "0" ? 0 : 1
                    if role != "assistant" { warning(.weightIgnored, "\(place()).weight is only used on assistant messages") }
                } else {
                    let shown = text.isEmpty ? LineInspector.kindName(tape.kind(weightNode)) : text
                    error(.invalidWeight, "\(place()).weight must be 0 or 1, found \(shown)")
                }
            }
            switch role {
            case "system": facts.hasSystem = true
            case "user": facts.hasUser = true
            case "assistant":
                facts.hasAssistant = true
                let contentTokens = contentNode.map { tape.kind($0) == .string ? valueTokens($0) : 0 } ?? 0
                facts.assistantTokens += contentTokens
                if weight == 1 {
                    facts.trainableAssistant += 1
                    facts.trainedAssistantTokens += contentTokens
                }
            default: break
            }
            facts.lastRole = role
            if let contentNode, tape.kind(contentNode) == .string {
                let text = scanText(contentNode, place: "\(place()).content")
                let roleCode = LineInspector.roleCode(role)
                if role == "assistant" && weight == 1 {
                    facts.trainedReplies.append((facts.chain, text.whitespace))
                    if checkReplies { checkReplyText(contentNode, place: place()) }
                }
                facts.chain = TextHash.combine(TextHash.combine(facts.chain, roleCode), text.whitespace)
                facts.near = TextHash.combine(TextHash.combine(facts.near, roleCode), text.words)
            }
        }
        return facts
    }

    /// A small number per role for the text hashes.
    private static func roleCode(_ role: String?) -> UInt64 {
        switch role {
        case "system": 1
        case "user", "human": 2
        case "assistant", "gpt": 3
        default: 4
        }
    }

    /// Hashes a string node's text and warns about secrets and personal data in it (`place` names the field).
    private mutating func scanText(_ node: Int, place: String) -> (whitespace: UInt64, words: UInt64) {
        let (hashes, findings) = withString(node) { _, bytes in (TextHash.hashes(bytes), SensitiveDataScanner.scan(bytes)) }
        var reported = Set<String>()
        for finding in findings where reported.insert(finding.masked).inserted {
            warning(finding.kind.isSecret ? .possibleSecret : .personalData,
                    "\(place) contains what looks like \(finding.kind.rawValue) (\(finding.masked))")
        }
        return hashes
    }

    /// Warns when a trained reply is blank, refuses, or looks cut off (`ReplyConcern`'s rules as far as text shows them).
    private mutating func checkReplyText(_ node: Int, place: String) {
        let text = string(node)
        if text.allSatisfy(\.isWhitespace) {
            warning(.emptyReply, "\(place): the trained reply is blank")
            return
        }
        if RefusalDetector.isRefusal(text) {
            let opening = text.split(whereSeparator: \.isWhitespace).prefix(5).joined(separator: " ")
            warning(.refusalReply, "\(place): the trained reply looks like a refusal (\"\(opening)…\")")
        }
        if let ending = CutOffHeuristic.cutOffEnding(text) {
            warning(.cutOffReply, "\(place): the trained reply looks cut off (it ends \"…\(ending)\")")
        }
    }

    /// Warns about top-level keys outside `allowed`.
    private mutating func checkTopLevelKeys(_ root: Int, allowed: Set<String>) {
        var unknown: [String] = []
        var key = tape.firstChild(root)
        for _ in 0 ..< Int(tape.nodes[root].count) {
            let name = string(key)
            if !allowed.contains(name) { unknown.append(name) }
            key = tape.next(tape.next(key))
        }
        if !unknown.isEmpty {
            warning(.unrecognizedKey, "unrecognized top-level key\(unknown.count > 1 ? "s" : "") \(LineInspector.quoted(unknown)) (expected \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// Records `data_type` unless the root is an object.
    private mutating func requireObject() -> Bool {
        guard tape.kind(0) == .object else {
            error(.dataType, "the line is \(LineInspector.kindName(tape.kind(0))), not a JSON object")
            return false
        }
        return true
    }

    /// A non-empty list member, or records `category` and returns nil.
    private mutating func requireList(_ object: Int, _ key: String, path: String, category: ValidationCategory) -> Int? {
        guard let node = member(object, key) else {
            error(category, "\"\(path)\" is missing")
            return nil
        }
        guard tape.kind(node) == .array else {
            error(category, "\"\(path)\" must be a list of messages, found \(LineInspector.kindName(tape.kind(node)))")
            return nil
        }
        guard tape.nodes[node].count > 0 else {
            error(category, "\"\(path)\" is empty")
            return nil
        }
        return node
    }

    // MARK: Formats

    /// Checks the parsed line as `format` and returns its statistics contribution.
    mutating func inspect(as format: DatasetFormat) -> ExampleFacts {
        var facts = ExampleFacts()
        facts.contentHash = contentHash(0)
        guard requireObject() else { return facts }
        switch format {
        case .chat: inspectChat(&facts)
        case .openaiDPO: inspectOpenAIDPO(&facts)
        case .trlDPO: inspectTRLPreference(&facts, kto: false)
        case .trlKTO: inspectTRLPreference(&facts, kto: true)
        case .shareGPT: inspectShareGPT(&facts)
        }
        return facts
    }

    private mutating func inspectChat(_ facts: inout ExampleFacts) {
        checkTopLevelKeys(0, allowed: LineInspector.chatTopLevelKeys)
        guard let list = requireList(0, "messages", path: "messages", category: .missingMessagesList) else { return }
        let m = checkMessages(list, path: "messages", roles: LineInspector.chatRoles, allowWeight: true, checkReplies: true)
        if !m.hasAssistant {
            error(.exampleMissingAssistantMessage, "no message has role \"assistant\"")
        } else if m.trainableAssistant == 0 {
            error(.noTrainableAssistantMessage, "every assistant message has weight 0, so there is nothing to train on")
        }
        facts.counted = true
        facts.messages = m.count
        facts.totalTokens = m.tokens + 3
        facts.assistantTokens = m.assistantTokens
        facts.trainedAssistantTokens = m.trainedAssistantTokens
        facts.hasSystem = m.hasSystem
        facts.hasUser = m.hasUser
        facts.nearHash = m.near
        facts.trainedReplies = m.trainedReplies
    }

    /// Checks an output list: `exactlyOne` assistant message (OpenAI DPO) or at least one (TRL).
    private mutating func checkOutput(_ object: Int, _ key: String, exactlyOne: Bool, trained: Bool) -> (facts: MessageListFacts, hash: UInt64)? {
        guard let list = requireList(object, key, path: key, category: .invalidOutput) else { return nil }
        if exactlyOne && tape.nodes[list].count != 1 {
            error(.invalidOutput, "\"\(key)\" must hold exactly one assistant message, found \(tape.nodes[list].count)")
        }
        let facts = checkMessages(list, path: key, roles: ["assistant"], allowWeight: false, roleCategory: .invalidOutput, checkReplies: trained)
        return (facts, contentHash(list))
    }

    /// Warns when a preference line's two outputs are identical (also when they differ only in whitespace).
    private mutating func checkIdentical(_ first: (facts: MessageListFacts, hash: UInt64)?, _ second: (facts: MessageListFacts, hash: UInt64)?,
                                         _ names: String) {
        guard let first, let second, first.facts.chain == second.facts.chain else { return }
        warning(.identicalOutputs, first.hash == second.hash ? "\(names) are identical" : "\(names) are identical except for whitespace")
    }

    /// The near-duplicate hash and the judgement keys of a preference line.
    private func preferenceFacts(_ facts: inout ExampleFacts, prompt: MessageListFacts?, _ first: MessageListFacts?, _ second: MessageListFacts?) {
        guard let prompt, let first, let second else { return }
        facts.nearHash = TextHash.combine(TextHash.combine(prompt.near, first.near), second.near)
        facts.judgement = (TextHash.combine(TextHash.combine(prompt.chain, first.chain), second.chain),
                           TextHash.combine(TextHash.combine(prompt.chain, second.chain), first.chain))
    }

    private mutating func inspectOpenAIDPO(_ facts: inout ExampleFacts) {
        checkTopLevelKeys(0, allowed: ["input", "preferred_output", "non_preferred_output"])
        var prompt: MessageListFacts?
        if let input = member(0, "input"), tape.kind(input) == .object {
            checkTopLevelKeys(input, allowed: ["messages", "tools", "parallel_tool_calls"])
            if let list = requireList(input, "messages", path: "input.messages", category: .missingMessagesList) {
                prompt = checkMessages(list, path: "input.messages", roles: LineInspector.chatRoles, allowWeight: false)
                if prompt?.lastRole == "assistant" {
                    error(.invalidPrompt, "input.messages ends with an assistant message; the outputs are the reply to it")
                }
            }
        } else {
            error(.missingMessagesList, member(0, "input") == nil ? "\"input\" is missing" : "\"input\" must be an object with \"messages\"")
        }
        let preferred = checkOutput(0, "preferred_output", exactlyOne: true, trained: true)
        let rejected = checkOutput(0, "non_preferred_output", exactlyOne: true, trained: false)
        checkIdentical(preferred, rejected, "preferred_output and non_preferred_output")
        preferenceFacts(&facts, prompt: prompt, preferred?.facts, rejected?.facts)
        finishPreference(&facts, prompt: prompt, outputs: [preferred?.facts, rejected?.facts])
    }

    private mutating func inspectTRLPreference(_ facts: inout ExampleFacts, kto: Bool) {
        checkTopLevelKeys(0, allowed: kto ? ["prompt", "completion", "label"] : ["prompt", "chosen", "rejected"])
        var prompt: MessageListFacts?
        if let node = member(0, "prompt") {
            switch tape.kind(node) {
            case .array where tape.nodes[node].count > 0:
                prompt = checkMessages(node, path: "prompt", roles: LineInspector.chatRoles, allowWeight: false)
                if prompt?.lastRole == "assistant" {
                    error(.invalidPrompt, "prompt ends with an assistant message; the completion is the reply to it")
                }
            case .string where isNonEmptyString(node):
                // TRL's "standard" (non-conversational) format: the prompt is plain text.
                var plain = MessageListFacts()
                plain.count = 1
                plain.tokens = 3 + valueTokens(node)
                plain.hasUser = true
                let text = scanText(node, place: "prompt")
                plain.chain = TextHash.combine(TextHash.combine(0, 2), text.whitespace)
                plain.near = TextHash.combine(TextHash.combine(0, 2), text.words)
                prompt = plain
            default:
                error(.invalidPrompt, "\"prompt\" must be a non-empty list of messages or a non-empty string")
            }
        } else {
            error(.invalidPrompt, "\"prompt\" is missing")
        }
        var outputs: [MessageListFacts?] = []
        if kto {
            if let label = member(0, "label") {
                switch tape.kind(label) {
                case .trueValue: facts.label = true
                case .falseValue: facts.label = false
                default: error(.invalidLabel, "\"label\" must be true or false, found \(LineInspector.kindName(tape.kind(label)))")
                }
            } else {
                error(.invalidLabel, "\"label\" is missing")
            }
            let completion = checkOutput(0, "completion", exactlyOne: false, trained: facts.label == true)?.facts
            outputs.append(completion)
            if let prompt, let completion, let label = facts.label {
                facts.nearHash = TextHash.combine(prompt.near, completion.near)
                let key = TextHash.combine(prompt.chain, completion.chain)
                facts.judgement = (TextHash.combine(key, label ? 1 : 2), TextHash.combine(key, label ? 2 : 1))
            }
        } else {
            let chosen = checkOutput(0, "chosen", exactlyOne: false, trained: true)
            let rejected = checkOutput(0, "rejected", exactlyOne: false, trained: false)
            checkIdentical(chosen, rejected, "\"chosen\" and \"rejected\"")
            preferenceFacts(&facts, prompt: prompt, chosen?.facts, rejected?.facts)
            outputs = [chosen?.facts, rejected?.facts]
        }
        finishPreference(&facts, prompt: prompt, outputs: outputs)
    }

    /// Totals for prompt + outputs: every message counted once, plus 3 for priming.
    private mutating func finishPreference(_ facts: inout ExampleFacts, prompt: MessageListFacts?, outputs: [MessageListFacts?]) {
        guard let prompt else { return }
        facts.counted = true
        facts.messages = prompt.count
        facts.totalTokens = prompt.tokens + 3
        facts.hasSystem = prompt.hasSystem
        facts.hasUser = prompt.hasUser
        for output in outputs.compactMap({ $0 }) {
            facts.messages += output.count
            facts.totalTokens += output.tokens
            facts.assistantTokens += output.assistantTokens
            facts.trainedAssistantTokens += output.assistantTokens
        }
    }

    private mutating func inspectShareGPT(_ facts: inout ExampleFacts) {
        checkTopLevelKeys(0, allowed: ["conversations", "system", "tools", "chosen", "rejected", "kto_tag"])
        var tokens = 0
        var chain: UInt64 = 0, near: UInt64 = 0
        var lastGPT: (context: UInt64, reply: UInt64, node: Int, place: String)?
        if let system = member(0, "system") {
            if tape.kind(system) == .string {
                facts.hasSystem = true
                tokens += 3 + roleTokens("system") + valueTokens(system)
                facts.messages += 1
                let text = scanText(system, place: "system")
                chain = TextHash.combine(TextHash.combine(chain, 1), text.whitespace)
                near = TextHash.combine(TextHash.combine(near, 1), text.words)
            } else {
                error(.dataType, "\"system\" must be a string, found \(LineInspector.kindName(tape.kind(system)))")
            }
        }
        guard let list = requireList(0, "conversations", path: "conversations", category: .missingMessagesList) else { return }
        let isPreference = member(0, "chosen") != nil || member(0, "rejected") != nil
        var position = 0 // index among non-system turns
        var lastFrom: String?
        var hasGPT = false
        for (index, turn) in tape.elements(list).enumerated() {
            let where_ = "conversations[\(index)]"
            facts.messages += 1
            tokens += 3
            guard tape.kind(turn) == .object else {
                error(.dataType, "\(where_) is \(LineInspector.kindName(tape.kind(turn))), not an object")
                position += 1
                continue
            }
            let keys = tape.members(turn).map { string($0.key) }
            let unknown = keys.filter { $0 != "from" && $0 != "value" && $0 != "weight" }
            if !unknown.isEmpty {
                error(.messageUnrecognizedKey, "\(where_) has unrecognized key\(unknown.count > 1 ? "s" : "") \(LineInspector.quoted(unknown)) (allowed: from, value, weight)")
            }
            let fromNode = member(turn, "from"), valueNode = member(turn, "value")
            if fromNode == nil { error(.messageMissingKey, "\(where_) has no \"from\"") }
            if valueNode == nil { error(.messageMissingKey, "\(where_) has no \"value\"") }
            var from: String?
            if let fromNode, tape.kind(fromNode) == .string { from = string(fromNode) }
            if let fromNode, from == nil || !LineInspector.shareGPTRoles.contains(from!) {
                let shown = from.map { "\"\($0)\"" } ?? LineInspector.kindName(tape.kind(fromNode))
                error(.unrecognizedRole, "\(where_) has from \(shown); expected one of \(LineInspector.shareGPTRoles.sorted().joined(separator: ", "))")
            }
            if let valueNode {
                if tape.kind(valueNode) != .string {
                    error(.missingContent, "\(where_).value must be a string, found \(LineInspector.kindName(tape.kind(valueNode)))")
                } else if !isNonEmptyString(valueNode) {
                    error(.missingContent, "\(where_).value is empty")
                } else {
                    let valueCount = valueTokens(valueNode)
                    tokens += valueCount
                    if from == "gpt" { facts.assistantTokens += valueCount; facts.trainedAssistantTokens += valueCount }
                    let text = scanText(valueNode, place: "\(where_).value")
                    if from == "gpt" { lastGPT = (chain, text.whitespace, valueNode, where_) }
                    let roleCode = LineInspector.roleCode(from)
                    chain = TextHash.combine(TextHash.combine(chain, roleCode), text.whitespace)
                    near = TextHash.combine(TextHash.combine(near, roleCode), text.words)
                }
            }
            tokens += roleTokens(LineInspector.chatRole(forShareGPT: from))
            if from == "system" {
                facts.hasSystem = true
                if position != 0 { error(.turnOrder, "\(where_) is a system turn after the conversation started") }
                continue
            }
            if from == "human" { facts.hasUser = true }
            if from == "gpt" { hasGPT = true }
            if let from {
                let humanSide = from == "human" || from == "observation"
                let modelSide = from == "gpt" || from == "function_call"
                if position % 2 == 0 && modelSide {
                    error(.turnOrder, "\(where_) is from \(from) at an odd position; human (or observation) turns must be at odd positions (1st, 3rd, …)")
                } else if position % 2 == 1 && humanSide {
                    error(.turnOrder, "\(where_) is from \(from) at an even position; gpt (or function_call) turns must be at even positions (2nd, 4th, …)")
                }
            }
            lastFrom = from
            position += 1
        }
        facts.nearHash = near
        if isPreference {
            var outputHashes: [(whitespace: UInt64, words: UInt64)] = []
            for key in ["chosen", "rejected"] {
                guard let node = member(0, key) else { error(.invalidOutput, "\"\(key)\" is missing"); continue }
                guard tape.kind(node) == .object, let from = member(node, "from"), tape.kind(from) == .string, string(from) == "gpt",
                      let value = member(node, "value"), isNonEmptyString(value) else {
                    error(.invalidOutput, "\"\(key)\" must be an object {\"from\": \"gpt\", \"value\": non-empty string}")
                    continue
                }
                let valueCount = valueTokens(value)
                tokens += 3 + roleTokens("assistant") + valueCount
                facts.assistantTokens += valueCount
                facts.trainedAssistantTokens += valueCount
                facts.messages += 1
                outputHashes.append(scanText(value, place: "\(key).value"))
                if key == "chosen" { checkReplyText(value, place: key) }
            }
            if outputHashes.count == 2 {
                if outputHashes[0].whitespace == outputHashes[1].whitespace {
                    let exact = contentHash(member(0, "chosen")!) == contentHash(member(0, "rejected")!)
                    warning(.identicalOutputs, exact ? "\"chosen\" and \"rejected\" are identical" : "\"chosen\" and \"rejected\" are identical except for whitespace")
                }
                facts.nearHash = TextHash.combine(TextHash.combine(near, outputHashes[0].words), outputHashes[1].words)
                facts.judgement = (TextHash.combine(TextHash.combine(chain, outputHashes[0].whitespace), outputHashes[1].whitespace),
                                   TextHash.combine(TextHash.combine(chain, outputHashes[1].whitespace), outputHashes[0].whitespace))
            }
            if lastFrom == "gpt" { error(.turnOrder, "conversations ends with a gpt turn; in preference data the last turn is the human prompt") }
        } else {
            if !hasGPT {
                error(.exampleMissingAssistantMessage, "no turn is from \"gpt\"")
            } else if lastFrom != "gpt" && lastFrom != "function_call" {
                error(.turnOrder, "conversations ends with a \(lastFrom ?? "non-gpt") turn that has no reply")
            }
            // LLaMA-Factory KTO: `kto_tag` labels the last gpt turn.
            if let tag = member(0, "kto_tag") {
                switch tape.kind(tag) {
                case .trueValue: facts.label = true
                case .falseValue: facts.label = false
                default: error(.invalidLabel, "\"kto_tag\" must be true or false, found \(LineInspector.kindName(tape.kind(tag)))")
                }
            }
            // ShareGPT has no weights: trainers learn every gpt turn; the last one is the example's reply.
            if let lastGPT {
                if let label = facts.label {
                    let key = TextHash.combine(lastGPT.context, lastGPT.reply)
                    facts.judgement = (TextHash.combine(key, label ? 1 : 2), TextHash.combine(key, label ? 2 : 1))
                    if label { checkReplyText(lastGPT.node, place: lastGPT.place) }
                } else if member(0, "kto_tag") == nil {
                    facts.trainedReplies = [(lastGPT.context, lastGPT.reply)]
                    checkReplyText(lastGPT.node, place: lastGPT.place)
                }
            }
        }
        facts.counted = true
        facts.totalTokens = tokens + 3
    }

    /// The chat role a ShareGPT speaker corresponds to (its tokens are what the role costs).
    private static func chatRole(forShareGPT from: String?) -> String {
        switch from {
        case "human": return "user"
        case "gpt": return "assistant"
        case "system": return "system"
        case "observation", "tool": return "tool"
        case "function_call": return "assistant"
        default: return ""
        }
    }
}
