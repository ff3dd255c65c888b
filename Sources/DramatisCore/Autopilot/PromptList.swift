import Foundation

/// The user turns of one listed conversation: the opening prompt, then its follow-ups, sent in order.
public struct PromptScript: Sendable, Hashable {
    /// The opening prompt first, then the follow-ups.
    public var prompts: [String]
    /// The file line it came from (1-based).
    public var line: Int

    public init(prompts: [String], line: Int) {
        self.prompts = prompts
        self.line = line
    }
}

/// A prompt-list file (`dramatis autopilot --prompts FILE`): one conversation per entry.
///
/// Two shapes, chosen by the first non-blank line:
/// - plain text: every non-blank line is one prompt opening a conversation (lines starting with `#` are comments);
/// - JSON Lines (first non-blank line starts with `{`): every non-blank line is an object with `prompt` (text) and
///   optional `follow_ups` (a list of texts), sent after the prompt, each after the previous reply.
/// Every mistake is a `PromptListError` naming file, line and field; parsing stops at the first one.
public enum PromptList {
    /// Keys a JSONL entry may have.
    public static let fields = ["prompt", "follow_ups"]

    /// Reads and parses the file at `url`.
    public static func load(contentsOf url: URL) throws(PromptListError) -> [PromptScript] {
        let file = PersonaProblem.displayPath(for: url)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PromptListError(file: file, line: 0, field: nil, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        return try parse(data, file: file)
    }

    /// Parses prompt-list bytes, naming `file` in errors.
    public static func parse(_ data: Data, file: String) throws(PromptListError) -> [PromptScript] {
        let bytes = [UInt8](data)
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            throw PromptListError(file: file, line: bad.line, field: nil,
                                  message: String(format: "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", bad.byte))
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift: normalise line breaks before splitting (a lone CR ends a line too).
        text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let numbered = lines.enumerated().map { (number: $0.offset + 1, text: $0.element) }
            .filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = numbered.first else {
            throw PromptListError(file: file, line: 1, field: nil, message: "no prompts: write one prompt a line, or JSON Lines with \"prompt\"")
        }
        let isJSONLines = first.text.trimmingCharacters(in: .whitespaces).hasPrefix("{")
        var scripts: [PromptScript] = []
        for line in numbered {
            if isJSONLines {
                scripts.append(try entry(line.text, file: file, line: line.number))
            } else if !line.text.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                scripts.append(PromptScript(prompts: [line.text.trimmingCharacters(in: .whitespaces)], line: line.number))
            }
        }
        if scripts.isEmpty {
            throw PromptListError(file: file, line: first.number, field: nil, message: "no prompts: every line is a comment")
        }
        return scripts
    }

    /// One JSON Lines entry.
    private static func entry(_ text: String, file: String, line: Int) throws(PromptListError) -> PromptScript {
        func fail(_ field: String?, _ message: String) -> PromptListError {
            PromptListError(file: file, line: line, field: field, message: message)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw fail(nil, "not valid JSON (a JSON Lines prompt list has one object per line, e.g. {\"prompt\": \"Hi\"})")
        }
        guard let fields = object as? [String: Any] else {
            throw fail(nil, "expected an object such as {\"prompt\": \"Hi\", \"follow_ups\": [\"And then?\"]}")
        }
        for key in fields.keys.sorted() where !Self.fields.contains(key) {
            var message = "unknown field"
            if let suggestion = SpellingSuggestion.closest(to: key, among: Self.fields) { message += " (did you mean '\(suggestion)'?)" }
            throw fail(key, message + "; an entry has \"prompt\" and optional \"follow_ups\"")
        }
        guard let promptValue = fields["prompt"] else { throw fail("prompt", "missing: every entry needs a \"prompt\"") }
        guard let prompt = promptValue as? String, !(promptValue is NSNumber) else { throw fail("prompt", "expected text") }
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail("prompt", "empty") }
        var prompts = [prompt]
        if let followValue = fields["follow_ups"] {
            guard let list = followValue as? [Any] else { throw fail("follow_ups", "expected a list of texts") }
            for (index, item) in list.enumerated() {
                guard let followUp = item as? String else { throw fail("follow_ups[\(index)]", "expected text") }
                guard !followUp.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail("follow_ups[\(index)]", "empty") }
                prompts.append(followUp)
            }
        }
        return PromptScript(prompts: prompts, line: line)
    }
}

/// A mistake in a prompt-list file, as `file:line: field: message`.
public struct PromptListError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the file could not be read at all.
    public var line: Int
    public var field: String?
    public var message: String

    public init(file: String, line: Int, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        (line > 0 ? "\(file):\(line): " : "\(file): ") + (field.map { "\($0): " } ?? "") + message
    }
}
