import Foundation
import Yams

/// Reads one persona file: YAML front matter (settings) between `---` lines, then the system prompt as Markdown.
///
/// Every mistake becomes a `PersonaProblem` naming file, line, column and field; parsing goes on
/// after a bad field so one run lists all of a file's problems.
public enum PersonaFile {
    /// Front-matter keys a persona file may use, in the order the template documents them.
    public static let knownFields: [String] = [
        "name", "description", "backend", "model", "adapter", "temperature", "top_p", "max_tokens", "stop", "seed",
        "presence_penalty", "frequency_penalty", "greeting", "alternate_greetings", "examples", "tags", "user_name",
        "train_few_shot", "train_greeting", "train_on", "role",
    ]

    /// Keys of one entry of `examples`.
    public static let exampleFields: [String] = ["user", "assistant"]

    /// Well-known keys from other tools mapped to ours, for better "did you mean" hints.
    static let aliases: [String: String] = [
        "first_mes": "greeting", "first_message": "greeting", "greeting_message": "greeting",
        "mes_example": "examples", "example_dialogue": "examples", "few_shot": "examples",
        "user": "user_name", "username": "user_name", "max_length": "max_tokens", "max_new_tokens": "max_tokens",
        "title": "name", "engine": "backend", "provider": "backend", "deployment": "model",
    ]

    /// The default for `{{user}}` when `user_name` is absent.
    public static let defaultUserName = "User"

    /// Parses a persona file; the persona id is the file stem of `source`.
    public static func parse(data: Data, source: URL) -> Result<Persona, PersonaProblems> {
        parse(data: data, source: source, displayPath: PersonaProblem.displayPath(for: source))
    }

    /// Parses a persona file, naming it `displayPath` in problems.
    public static func parse(data: Data, source: URL, displayPath: String) -> Result<Persona, PersonaProblems> {
        var parser = Parser(file: displayPath, id: source.deletingPathExtension().lastPathComponent)
        if let persona = parser.run(data: data), parser.problems.isEmpty { return .success(persona) }
        return .failure(PersonaProblems(parser.problems))
    }

    /// Reads and parses the file at `url`; an unreadable file is one problem at 1:1.
    public static func load(contentsOf url: URL) -> Result<Persona, PersonaProblems> {
        do {
            return parse(data: try Data(contentsOf: url), source: url)
        } catch {
            let problem = PersonaProblem(file: PersonaProblem.displayPath(for: url), line: 1, column: 1,
                                         message: "cannot read the file: \(error.localizedDescription)")
            return .failure(PersonaProblems([problem]))
        }
    }

    /// The split of a persona file into its front matter and body.
    struct Sections {
        var yaml: String
        /// Added to a YAML line number to get the file line number.
        var yamlLineOffset: Int
        var body: String
        /// File line of the first body line.
        var bodyLine: Int
        /// File line of the closing `---`.
        var closingLine: Int
    }

    // MARK: - Parser

    struct Parser {
        let file: String
        let id: String
        var problems: [PersonaProblem] = []

        init(file: String, id: String) {
            self.file = file
            self.id = id
        }

        mutating func report(_ line: Int, _ column: Int, _ field: String?, _ message: String) {
            problems.append(PersonaProblem(file: file, line: line, column: column, field: field, message: message))
        }

        mutating func run(data: Data) -> Persona? {
            let bytes = [UInt8](data)
            if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
                report(bad.line, bad.column, nil, String(format: "invalid UTF-8 (byte 0x%02X at offset %d); save the file as UTF-8", bad.byte, bad.offset))
                return nil
            }
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            // A lone CR is a line break too, as in YAML: Yams counted it as a line and the report did not, so
            // problems pointed past the end of the file (found by fuzzing, issue #8). Normalizing every break
            // to LF keeps Yams' line numbers and ours the same.
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            guard let sections = split(text) else { return nil }
            let root: Node?
            do {
                root = try Yams.compose(yaml: sections.yaml)
            } catch {
                reportYAML(error, sections: sections)
                return nil
            }
            return build(root: root, sections: sections)
        }

        /// Splits front matter from body, or reports why it cannot.
        mutating func split(_ text: String) -> Sections? {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // A fence starts at column 1; trailing spaces are forgiven, leading ones are not (an indented
            // `---` can be content of a YAML block scalar).
            func trailingTrimmed(_ line: String) -> Substring {
                var result = Substring(line)
                while let last = result.last, last == " " || last == "\t" { result.removeLast() }
                return result
            }
            func isFence(_ line: String) -> Bool { trailingTrimmed(line) == "---" }
            guard let first = lines.first, isFence(first) else {
                report(1, 1, nil, "missing front matter: a persona file starts with a line '---', then settings such as 'name: Clippy', then '---', then the system prompt")
                return nil
            }
            guard let closing = lines.indices.dropFirst().first(where: { isFence(lines[$0]) || trailingTrimmed(lines[$0]) == "..." }) else {
                report(1, 1, nil, "the front matter opened here is never closed: add a line '---' after the settings")
                return nil
            }
            let yaml = lines[1..<closing].joined(separator: "\n") + "\n"
            let body = lines[(closing + 1)...].joined(separator: "\n")
            return Sections(yaml: yaml, yamlLineOffset: 1, body: body, bodyLine: closing + 2, closingLine: closing + 1)
        }

        mutating func reportYAML(_ error: Error, sections: Sections) {
            let offset = sections.yamlLineOffset
            guard let yamlError = error as? YamlError else {
                report(1 + offset, 1, nil, "invalid YAML: \(error)")
                return
            }
            switch yamlError {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
                var message = "invalid YAML: \(problem)"
                if let context {
                    message += " (\(context.text) at line \(context.mark.line + offset), column \(context.mark.column))"
                }
                report(mark.line + offset, mark.column, nil, message + placeholderHint(sections.yaml, lines: [context?.mark.line, mark.line]))
            case let .reader(problem, byteOffset, _, yaml):
                var line = 1
                if let byteOffset {
                    line += yaml.utf8.prefix(byteOffset).filter { $0 == 0x0A }.count
                }
                report(line + offset, 1, nil, "invalid YAML: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                for key in duplicates.sorted() {
                    let position = secondOccurrence(of: key, in: sections.yaml) ?? (context.mark.line, context.mark.column)
                    report(position.0 + offset, position.1, key, "appears more than once; keep one")
                }
            default:
                report(1 + offset, 1, nil, "invalid YAML: \(yamlError)")
            }
        }

        /// A hint when one of `lines` (YAML line numbers) has an unquoted value starting with `{{`, a common slip.
        func placeholderHint(_ yaml: String, lines: [Int?]) -> String {
            let yamlLines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            for case let number? in Set(lines) where number >= 1 && number <= yamlLines.count {
                let line = yamlLines[number - 1]
                guard let colon = line.firstIndex(of: ":") ?? line.firstIndex(of: "-") else { continue }
                if line[line.index(after: colon)...].drop(while: { $0 == " " }).hasPrefix("{{") {
                    return "; text that starts with '{{' must be in quotes, e.g. greeting: \"{{user}}, hello\""
                }
            }
            return ""
        }

        /// Line and column of the second `key:` at the start of a line (top-level duplicate keys).
        func secondOccurrence(of key: String, in yaml: String) -> (Int, Int)? {
            var seen = 0
            for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop { $0 == " " }
                let quoted = ["\(key):", "\"\(key)\":", "'\(key)':"]
                if quoted.contains(where: { trimmed.hasPrefix($0) }) {
                    seen += 1
                    if seen == 2 { return (index + 1, line.count - trimmed.count + 1) }
                }
            }
            return nil
        }

        // MARK: Fields

        func line(_ node: Node, _ offset: Int) -> Int { (node.mark?.line ?? 1) + offset }
        func column(_ node: Node) -> Int { node.mark?.column ?? 1 }

        mutating func build(root: Node?, sections: Sections) -> Persona? {
            let offset = sections.yamlLineOffset
            var fields = Fields()
            if let root {
                guard case .mapping(let mapping) = root else {
                    report(line(root, offset), column(root), nil, "the front matter must be settings written as 'key: value' lines, got \(describe(root))")
                    return nil
                }
                for (keyNode, value) in mapping {
                    guard case .scalar(let keyScalar) = keyNode else {
                        report(line(keyNode, offset), column(keyNode), nil, "a setting name must be plain text, got \(describe(keyNode))")
                        continue
                    }
                    read(key: keyScalar.string, keyNode: keyNode, value: value, offset: offset, into: &fields)
                }
            }
            if fields.name == nil, !problems.contains(where: { $0.field == "name" }) {
                report(1, 1, "name", "required: add a line such as 'name: Clippy' to the front matter")
            }
            let body = sections.body.trimmingCharacters(in: .whitespacesAndNewlines)
            if body.isEmpty {
                report(sections.bodyLine, 1, "system prompt", "empty: write the system prompt below the closing '---' (line \(sections.closingLine))")
            }
            guard problems.isEmpty, let name = fields.name else { return nil }
            let user = fields.userName ?? PersonaFile.defaultUserName
            func expand(_ text: String) -> String { PersonaPlaceholders.expand(text, character: name, user: user) }
            return Persona(
                id: id, name: name, description: fields.description ?? "", backend: fields.backend, model: fields.model, adapter: fields.adapter,
                sampling: fields.sampling, systemPrompt: expand(body), greeting: fields.greeting.map(expand),
                alternateGreetings: fields.alternateGreetings.map(expand),
                examples: fields.examples.map { Persona.Example(user: expand($0.user), assistant: expand($0.assistant)) },
                tags: fields.tags, userName: user, training: fields.training, role: fields.role)
        }

        struct Fields {
            var name: String?
            var description: String?
            var backend: String?
            var model: String?
            var adapter: String?
            var sampling = SamplingParameters()
            var greeting: String?
            var alternateGreetings: [String] = []
            var examples: [Persona.Example] = []
            var tags: [String] = []
            var userName: String?
            var training = ExampleSelection()
            var role = PersonaRole.assistant
        }

        mutating func read(key: String, keyNode: Node, value: Node, offset: Int, into fields: inout Fields) {
            switch key {
            case "name": fields.name = text(value, key, offset, allowEmpty: false)
            case "description": fields.description = text(value, key, offset, allowEmpty: true)
            case "backend": fields.backend = text(value, key, offset, allowEmpty: false)
            case "model": fields.model = text(value, key, offset, allowEmpty: false)
            case "adapter": fields.adapter = text(value, key, offset, allowEmpty: false)
            // The sampling settings: checked by `SamplingField`, the same checks the chat's sampling panel applies.
            case "temperature", "top_p", "presence_penalty", "frequency_penalty":
                if let field = SamplingField(rawValue: key), let number = number(value, field, offset) {
                    field.set(.number(number), in: &fields.sampling)
                }
            case "max_tokens", "seed":
                if let field = SamplingField(rawValue: key), let count = integer(value, field, offset) {
                    field.set(.wholeNumber(count), in: &fields.sampling)
                }
            case "stop":
                if let stops = textList(value, key, offset, allowSingle: true) {
                    if let problem = SamplingField.stop.stopProblem(stops) {
                        report(line(value, offset), column(value), key, problem.message)
                    } else {
                        fields.sampling.stop = stops
                    }
                }
            case "greeting": fields.greeting = text(value, key, offset, allowEmpty: false)
            case "alternate_greetings": fields.alternateGreetings = textList(value, key, offset, allowSingle: false) ?? []
            case "tags": fields.tags = textList(value, key, offset, allowSingle: true) ?? []
            case "user_name": fields.userName = text(value, key, offset, allowEmpty: false)
            case "train_few_shot": fields.training.fewShot = flag(value, key, offset) ?? fields.training.fewShot
            case "train_greeting": fields.training.greeting = flag(value, key, offset) ?? fields.training.greeting
            case "train_on":
                if let word = text(value, key, offset, allowEmpty: false) {
                    if let replies = ExampleSelection.TrainedReplies(rawValue: word) {
                        fields.training.trainedReplies = replies
                    } else {
                        report(line(value, offset), column(value), key, "expected all or last, got \"\(word)\"")
                    }
                }
            case "role":
                if let word = text(value, key, offset, allowEmpty: false) {
                    if let role = PersonaRole(rawValue: word) {
                        fields.role = role
                    } else {
                        let known = PersonaRole.allCases.map(\.rawValue)
                        var message = "expected one of \(known.joined(separator: ", ")), got \"\(word)\""
                        if let suggestion = SpellingSuggestion.closest(to: word, among: known) { message += " (did you mean '\(suggestion)'?)" }
                        report(line(value, offset), column(value), key, message)
                    }
                }
            case "examples": fields.examples = examples(value, offset)
            case "system_prompt", "prompt", "system":
                report(line(keyNode, offset), column(keyNode), key, "unknown setting: the system prompt is the text after the closing '---', not a front-matter field")
            default:
                var message = "unknown setting"
                if let suggestion = PersonaFile.aliases[SpellingSuggestion.normalise(key)]
                    ?? SpellingSuggestion.closest(to: key, among: PersonaFile.knownFields) {
                    message += " (did you mean '\(suggestion)'?)"
                } else {
                    message += "; known settings: \(PersonaFile.knownFields.joined(separator: ", "))"
                }
                report(line(keyNode, offset), column(keyNode), key, message)
            }
        }

        /// A short description of what a node holds, for "got …" messages.
        func describe(_ node: Node) -> String {
            switch node {
            case .scalar(let scalar):
                if isNull(node) { return "nothing" }
                return "\"\(scalar.string)\""
            case .mapping: return "a set of 'key: value' settings"
            case .sequence: return "a list"
            case .alias: return "an alias"
            }
        }

        func isNull(_ node: Node) -> Bool {
            if case .scalar(let scalar) = node, scalar.style == .plain {
                return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            }
            return false
        }

        mutating func text(_ node: Node, _ field: String, _ offset: Int, allowEmpty: Bool) -> String? {
            guard case .scalar(let scalar) = node, !isNull(node) else {
                if isNull(node), allowEmpty { return "" }
                var message = "expected text, got \(isNull(node) ? "nothing" : describe(node))"
                if case .mapping = node { message += " (text that starts with '{', like '{{user}}', must be in quotes)" }
                if case .sequence = node { message += " (text that starts with '[' must be in quotes)" }
                report(line(node, offset), column(node), field, message)
                return nil
            }
            let value = scalar.string
            if !allowEmpty, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                report(line(node, offset), column(node), field, "expected text, got an empty value")
                return nil
            }
            return value
        }

        mutating func flag(_ node: Node, _ field: String, _ offset: Int) -> Bool? {
            if case .scalar(let scalar) = node, !isNull(node) {
                switch scalar.string.lowercased() {
                case "true", "yes", "on": return true
                case "false", "no", "off": return false
                default: break
                }
            }
            report(line(node, offset), column(node), field, "expected true or false, got \(isNull(node) ? "nothing" : describe(node))")
            return nil
        }

        /// A number setting, checked by `SamplingField.readNumber` (lint and the sampling panel say the same).
        mutating func number(_ node: Node, _ field: SamplingField, _ offset: Int) -> Double? {
            guard case .scalar(let scalar) = node, !isNull(node) else {
                let range = field.numberRange ?? 0...0
                report(line(node, offset), column(node), field.key,
                       "expected a number between \(SamplingField.format(range.lowerBound)) and \(SamplingField.format(range.upperBound)), got \(isNull(node) ? "nothing" : describe(node))")
                return nil
            }
            switch field.readNumber(scalar.string) {
            case .success(let value): return value
            case .failure(let problem):
                report(line(node, offset), column(node), field.key, problem.message)
                return nil
            }
        }

        /// A whole-number setting, checked by `SamplingField.readWholeNumber` (`max_tokens` must be positive).
        mutating func integer(_ node: Node, _ field: SamplingField, _ offset: Int) -> Int? {
            guard case .scalar(let scalar) = node, !isNull(node) else {
                report(line(node, offset), column(node), field.key, "expected a whole number, got \(isNull(node) ? "nothing" : describe(node))")
                return nil
            }
            switch field.readWholeNumber(scalar.string) {
            case .success(let value): return value
            case .failure(let problem):
                report(line(node, offset), column(node), field.key, problem.message)
                return nil
            }
        }

        mutating func textList(_ node: Node, _ field: String, _ offset: Int, allowSingle: Bool) -> [String]? {
            switch node {
            case .sequence(let sequence):
                var result: [String] = []
                var failed = false
                for (index, element) in sequence.enumerated() {
                    if let value = text(element, "\(field)[\(index)]", offset, allowEmpty: true) {
                        result.append(value)
                    } else {
                        failed = true
                    }
                }
                return failed ? nil : result
            case .scalar where allowSingle && !isNull(node):
                return text(node, field, offset, allowEmpty: true).map { [$0] }
            default:
                report(line(node, offset), column(node), field, "expected a list of text (one '- item' per line, or [a, b]), got \(isNull(node) ? "nothing" : describe(node))")
                return nil
            }
        }

        mutating func examples(_ node: Node, _ offset: Int) -> [Persona.Example] {
            guard case .sequence(let sequence) = node else {
                report(line(node, offset), column(node), "examples", "expected a list of '- user: …' / '  assistant: …' pairs, got \(isNull(node) ? "nothing" : describe(node))")
                return []
            }
            var result: [Persona.Example] = []
            for (index, element) in sequence.enumerated() {
                let path = "examples[\(index)]"
                guard case .mapping(let mapping) = element else {
                    report(line(element, offset), column(element), path, "expected a pair with 'user:' and 'assistant:', got \(describe(element))")
                    continue
                }
                var user: String?, assistant: String?
                for (keyNode, value) in mapping {
                    let key = keyNode.scalar?.string ?? ""
                    switch key {
                    case "user": user = text(value, "\(path).user", offset, allowEmpty: false)
                    case "assistant": assistant = text(value, "\(path).assistant", offset, allowEmpty: false)
                    default:
                        var message = "unknown key in an example; an example has exactly 'user' and 'assistant'"
                        if let suggestion = SpellingSuggestion.closest(to: key, among: PersonaFile.exampleFields)
                            ?? (["char", "bot", "ai", "model", "response", "reply", "answer"].contains(key.lowercased()) ? "assistant" : nil)
                            ?? (["human", "input", "question", "prompt"].contains(key.lowercased()) ? "user" : nil) {
                            message += " (did you mean '\(suggestion)'?)"
                        }
                        report(line(keyNode, offset), column(keyNode), "\(path).\(key)", message)
                    }
                }
                let missing = [("user", user == nil && mapping["user"] == nil), ("assistant", assistant == nil && mapping["assistant"] == nil)]
                for (key, isMissing) in missing where isMissing {
                    report(line(element, offset), column(element), "\(path).\(key)", "missing: each example needs both 'user' and 'assistant'")
                }
                if let user, let assistant { result.append(Persona.Example(user: user, assistant: assistant)) }
            }
            return result
        }
    }
}
