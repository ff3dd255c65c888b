import Foundation

/// Turns a card's `mes_example` (dialogue blocks separated by `<START>`) into user/assistant example pairs.
public enum MessageExampleParser {
    /// The pairs found, and a note for every line or turn that could not become part of a pair.
    public struct Result: Sendable, Hashable {
        public var examples: [Persona.Example]
        public var warnings: [String]
    }

    /// Parses `text`; speaker lines start with `{{user}}:` / `{{char}}:` (or `<USER>:` / `<BOT>:` / the character's name).
    public static func parse(_ text: String, characterName: String) -> Result {
        var examples: [Persona.Example] = []
        var warnings: [String] = []
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let blocks = split(normalised)
        for (blockIndex, block) in blocks.enumerated() {
            var turns: [(isUser: Bool, text: String)] = []
            for rawLine in block.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = String(rawLine)
                if let (isUser, rest) = speaker(of: line, characterName: characterName) {
                    if let last = turns.last, last.isUser == isUser {
                        turns[turns.count - 1].text += "\n" + rest
                    } else {
                        turns.append((isUser, rest))
                    }
                } else if !turns.isEmpty {
                    turns[turns.count - 1].text += "\n" + line
                } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    warnings.append("mes_example block \(blockIndex + 1): text before the first '{{user}}:' or '{{char}}:' line was skipped: \(line.prefix(60))")
                }
            }
            var index = 0
            while index < turns.count {
                let turn = turns[index]
                let text = turn.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if turn.isUser, index + 1 < turns.count {
                    let reply = turns[index + 1].text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !text.isEmpty, !reply.isEmpty {
                        examples.append(Persona.Example(user: text, assistant: reply))
                    } else {
                        warnings.append("mes_example block \(blockIndex + 1): an exchange with an empty message was skipped")
                    }
                    index += 2
                } else {
                    let who = turn.isUser ? "a '{{user}}' line with no '{{char}}' reply" : "a '{{char}}' line with no '{{user}}' line before it"
                    warnings.append("mes_example block \(blockIndex + 1): \(who) was skipped: \(text.prefix(60))")
                    index += 1
                }
            }
        }
        return Result(examples: examples, warnings: warnings)
    }

    /// Blocks between `<START>` markers (case-insensitive); text before the first marker is a block too.
    static func split(_ text: String) -> [String] {
        var blocks: [String] = []
        var rest = Substring(text)
        while let marker = rest.range(of: "<START>", options: .caseInsensitive) {
            blocks.append(String(rest[..<marker.lowerBound]))
            rest = rest[marker.upperBound...]
        }
        blocks.append(String(rest))
        return blocks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// Whether `line` opens a turn, whose, and the text after the `Speaker:` prefix.
    static func speaker(of line: String, characterName: String) -> (Bool, String)? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let userPrefixes = ["{{user}}:", "<user>:"]
        var charPrefixes = ["{{char}}:", "<bot>:"]
        if !characterName.isEmpty { charPrefixes.append(characterName.lowercased() + ":") }
        let lowered = trimmed.lowercased()
        for prefix in userPrefixes where lowered.hasPrefix(prefix) {
            return (true, String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
        }
        for prefix in charPrefixes where lowered.hasPrefix(prefix) {
            return (false, String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
