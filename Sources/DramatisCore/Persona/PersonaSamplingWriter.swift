import Foundation

/// Writes sampling settings into a persona file's front matter in place, keeping everything else byte for byte:
/// comments, blank lines, key order, quoting of other keys, line endings and the body.
///
/// Only the keys whose value differs from the file's change. A changed key keeps its line, its spacing and its trailing
/// comment (re-aligned to the comment's column); an unset key's lines are removed (the backend's default applies); a key
/// the file lacks replaces its commented-out line (`# top_p: 1   # 0 to 1`, as `dramatis personas new` writes them) or is
/// added after the nearest sampling key before it in the template's order. The result is parsed again and refused unless
/// it reads back with exactly the values asked for.
public enum PersonaSamplingWriter {
    /// `text` (a persona file shown as `file` in problems) with `sampling` written, and the keys that changed (empty:
    /// the file already says this, and `text` comes back unchanged).
    public static func update(_ text: String, to sampling: SamplingParameters, file: String) throws -> (text: String, changed: [SamplingField]) {
        let current = try parse(text, file: file)
        let changed = SamplingField.allCases.filter { $0.text(in: current.sampling) != $0.text(in: sampling) }
        guard !changed.isEmpty else { return (text, []) }
        var document = try FrontMatterLines(text, file: file)
        // Template order, so a key added after an earlier one that was also added lands after it.
        for field in SamplingField.allCases.sorted(by: { templateIndex($0) < templateIndex($1) }) where changed.contains(field) {
            document.write(field, value: yamlValue(field, in: sampling))
        }
        let result = document.text
        let written: Persona
        do {
            written = try parse(result, file: file)
        } catch {
            // The file was valid: its layout is one this line-based edit cannot follow (e.g. a flow-style `{…}` mapping).
            throw PersonaSamplingWriteError(file: file, problem: "this front matter's layout cannot be edited in place (the result would not parse); change the sampling keys by hand — the file was left as it was")
        }
        if let wrong = SamplingField.allCases.first(where: { $0.text(in: written.sampling) != $0.text(in: sampling) }) {
            throw PersonaSamplingWriteError(file: file, problem: "after writing, \(wrong.key) would read back as \"\(wrong.text(in: written.sampling))\", not \"\(wrong.text(in: sampling))\"; the file was left as it was")
        }
        return (result, changed)
    }

    /// The front-matter text of a setting's value (nil: unset).
    static func yamlValue(_ field: SamplingField, in sampling: SamplingParameters) -> String? {
        guard field.isSet(in: sampling) else { return nil }
        if field == .stop { return "[" + (sampling.stop ?? []).map(YAMLScalarWriter.quoted).joined(separator: ", ") + "]" }
        return field.text(in: sampling)
    }

    /// Where a key stands in the template's order of settings.
    static func templateIndex(_ field: SamplingField) -> Int {
        PersonaFile.knownFields.firstIndex(of: field.key) ?? PersonaFile.knownFields.count
    }

    private static func parse(_ text: String, file: String) throws -> Persona {
        switch PersonaFile.parse(data: Data(text.utf8), source: URL(fileURLWithPath: file), displayPath: file) {
        case .success(let persona): return persona
        case .failure(let problems):
            throw PersonaSamplingWriteError(file: file, problem: "the persona file has problems; fix them first (dramatis personas lint): "
                                                + problems.problems.map(\.description).joined(separator: "; "))
        }
    }
}

/// Why sampling settings could not be written into a persona file (the file is left as it was).
public struct PersonaSamplingWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to the user.
    public var file: String
    public var problem: String

    /// Creates the error for `file`.
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    /// `Personas/clippy.md: <problem>`.
    public var description: String { "\(file): \(problem)" }
}

/// A persona file split into lines for editing its top-level front-matter keys (see `PersonaSamplingWriter`).
struct FrontMatterLines {
    /// The lines without their line break.
    var lines: [String]
    /// Index of the closing `---` (the front matter is `lines[1..<closing]`).
    var closing: Int
    let lineBreak: String
    let byteOrderMark: Bool
    let endsWithLineBreak: Bool

    init(_ text: String, file: String) throws {
        var body = Substring(text)
        byteOrderMark = body.hasPrefix("\u{FEFF}")
        if byteOrderMark { body = body.dropFirst() }
        let crlf = body.contains("\r\n")
        let bare = body.replacingOccurrences(of: "\r\n", with: "\n")
        guard !bare.contains("\r") else {
            throw PersonaSamplingWriteError(file: file, problem: "the file uses lone CR line breaks; save it with LF or CRLF line breaks to edit it in place")
        }
        lineBreak = crlf ? "\r\n" : "\n"
        endsWithLineBreak = bare.hasSuffix("\n")
        var lines = bare.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if endsWithLineBreak { lines.removeLast() }
        self.lines = lines
        func fence(_ line: String) -> String {
            var trimmed = Substring(line)
            while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
            return String(trimmed)
        }
        guard let closing = lines.indices.dropFirst().first(where: { ["---", "..."].contains(fence(lines[$0])) }) else {
            throw PersonaSamplingWriteError(file: file, problem: "the front matter is not closed with a '---' line")
        }
        self.closing = closing
    }

    /// The file text again.
    var text: String {
        (byteOrderMark ? "\u{FEFF}" : "") + lines.joined(separator: lineBreak) + (endsWithLineBreak ? lineBreak : "")
    }

    /// The top-level key a front-matter line starts, if it starts one (`key:` at column 1, the key maybe quoted).
    static func key(of line: String) -> (key: String, afterColon: String.Index)? {
        guard let first = line.first, !" \t#-".contains(first) else { return nil }
        var key = ""
        var index = line.startIndex
        if first == "\"" || first == "'" {
            index = line.index(after: index)
            guard let end = line[index...].firstIndex(of: first) else { return nil }
            key = String(line[index..<end])
            index = line.index(after: end)
        } else {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            key = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            index = colon
        }
        while index < line.endIndex, line[index] == " " { index = line.index(after: index) }
        guard index < line.endIndex, line[index] == ":" else { return nil }
        let after = line.index(after: index)
        // `key:value` without a space is not a mapping key in YAML (e.g. a URL); `key:` at the end of the line is.
        guard after == line.endIndex || line[after] == " " || line[after] == "\t" else { return nil }
        return (key, after)
    }

    /// Whether a line continues the value of the key above it: indented, or a `- item` at column 1.
    static func continues(_ line: String) -> Bool {
        guard let first = line.first else { return false }
        return first == " " || first == "\t" || line == "-" || line.hasPrefix("- ")
    }

    /// The lines of the top-level key `key`: its key line and the value lines under it (blank lines and comments between
    /// value lines included, those after the last one not).
    func range(of key: String) -> ClosedRange<Int>? {
        guard let start = (1..<closing).first(where: { Self.key(of: lines[$0])?.key == key }) else { return nil }
        var end = start
        var index = start + 1
        while index < closing {
            let line = lines[index]
            if Self.continues(line) {
                end = index
            } else if !(line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#")) {
                break
            }
            index += 1
        }
        return start...end
    }

    /// Sets the key `field` to the YAML text `value`, or removes it (nil).
    mutating func write(_ field: SamplingField, value: String?) {
        if let range = range(of: field.key) {
            guard let value else {
                lines.removeSubrange(range)
                closing -= range.count
                return
            }
            let line = lines[range.lowerBound]
            let afterColon = Self.key(of: line)!.afterColon
            let replacement = Self.replacingValue(in: line, from: afterColon, with: value)
            lines.replaceSubrange(range, with: [replacement])
            closing -= range.count - 1
            return
        }
        guard let value else { return }
        // A commented-out line for the key (`# top_p: 1   # 0 to 1`) becomes the setting.
        if let commented = (1..<closing).first(where: { Self.commentedKey(lines[$0]) == field.key }) {
            let uncommented = String(lines[commented].drop(while: { $0 == "#" || $0 == " " }))
            if let afterColon = Self.key(of: uncommented)?.afterColon {
                // The trailing comment stays in its column, aligned with the comments of the lines around it.
                lines[commented] = Self.replacingValue(in: uncommented, from: afterColon, with: value,
                                                       commentShift: lines[commented].count - uncommented.count)
                return
            }
        }
        lines.insert(field.key + ": " + value, at: insertionPoint(for: field))
        closing += 1
    }

    /// The key a commented-out setting line names (`# top_p: 1` → `top_p`).
    static func commentedKey(_ line: String) -> String? {
        guard line.hasPrefix("#") else { return nil }
        return key(of: String(line.drop(while: { $0 == "#" }).drop(while: { $0 == " " })))?.key
    }

    /// Where a new key goes: after the nearest present setting before it in the template's order, else before the nearest
    /// after it, else at the end of the front matter.
    func insertionPoint(for field: SamplingField) -> Int {
        let known = PersonaFile.knownFields
        let position = PersonaSamplingWriter.templateIndex(field)
        for key in known[..<position].reversed() {
            if let range = range(of: key) { return range.upperBound + 1 }
        }
        for key in known[(position + 1)...] {
            if let range = range(of: key) { return range.lowerBound }
        }
        return closing
    }

    /// `line` with the value after `afterColon` replaced by `value`, keeping the spacing before the value and a trailing
    /// `# comment` at its column (or one space after the new value when it no longer fits before it).
    static func replacingValue(in line: String, from afterColon: String.Index, with value: String, commentShift: Int = 0) -> String {
        let head = String(line[..<afterColon])
        let rest = line[afterColon...]
        let spacing = rest.prefix(while: { $0 == " " || $0 == "\t" })
        let valueText = rest.dropFirst(spacing.count)
        var result = head + (spacing.isEmpty ? " " : String(spacing)) + value
        if let comment = trailingComment(valueText) {
            let commentColumn = line.count - comment.count + commentShift
            result += String(repeating: " ", count: max(1, commentColumn - result.count)) + comment
        }
        return result
    }

    /// The `# comment` after a one-line YAML value (a plain, quoted or flow value), if any.
    static func trailingComment(_ value: Substring) -> Substring? {
        var index = value.startIndex
        var depth = 0
        var quote: Character?
        var previousIsSpace = true
        while index < value.endIndex {
            let character = value[index]
            if let open = quote {
                if open == "\"" && character == "\\" {
                    index = value.index(after: index)
                } else if character == open {
                    quote = nil
                }
            } else if character == "#" && previousIsSpace {
                // Inside an unclosed flow list the comment's value goes on below: not a one-line value.
                return depth == 0 ? value[index...] : nil
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            }
            previousIsSpace = character == " " || character == "\t"
            if index < value.endIndex { index = value.index(after: index) }
        }
        return nil
    }
}
