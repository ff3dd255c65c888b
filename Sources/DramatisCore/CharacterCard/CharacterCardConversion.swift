import Foundation

/// Maps a character card onto a persona file: what goes to the prompt, what stays metadata.
///
/// `system_prompt` (with `{{original}}` replaced by the assembled character text), or when it is empty a prompt
/// assembled from description, personality and scenario, becomes the body; `first_mes` the greeting;
/// `mes_example` the examples; `alternate_greetings` and `tags` are kept as settings. `creator_notes`,
/// `creator` and `post_history_instructions` are kept only as YAML comments and never reach a prompt.
public enum CharacterCardConversion {
    /// A converted card: the persona file to write, its suggested file stem, and notes on anything dropped.
    public struct Output: Sendable, Hashable {
        public var stem: String
        public var document: PersonaDocument
        public var warnings: [String]
    }

    /// Converts `card`, read from `sourceName` (used in the header comment and description).
    public static func convert(_ card: CharacterCard, sourceName: String) throws(CharacterCardError) -> Output {
        let nickname = card.nickname.trimmingCharacters(in: .whitespacesAndNewlines)
        func clean(_ text: String) -> String {
            var result = text.replacingOccurrences(of: "\r\n", with: "\n")
            result = result.replacingOccurrences(of: "<BOT>", with: "{{char}}", options: .caseInsensitive)
            result = result.replacingOccurrences(of: "<USER>", with: "{{user}}", options: .caseInsensitive)
            if !nickname.isEmpty {
                result = result.replacingOccurrences(of: "{{char}}", with: nickname, options: .caseInsensitive)
            }
            return result.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var sections: [String] = []
        let description = clean(card.description), personality = clean(card.personality), scenario = clean(card.scenario)
        if !description.isEmpty { sections.append(description) }
        if !personality.isEmpty { sections.append("{{char}}'s personality: \(personality)") }
        if !scenario.isEmpty { sections.append("Scenario: \(scenario)") }
        let assembled = sections.isEmpty ? "" : (["You are {{char}}."] + sections).joined(separator: "\n\n")
        var prompt = clean(card.systemPrompt)
        if prompt.isEmpty {
            prompt = assembled
        } else if prompt.range(of: "{{original}}", options: .caseInsensitive) != nil {
            prompt = prompt.replacingOccurrences(of: "{{original}}", with: assembled, options: .caseInsensitive)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if !nickname.isEmpty { prompt = prompt.replacingOccurrences(of: "{{char}}", with: nickname, options: .caseInsensitive) }
        guard !prompt.isEmpty else {
            throw CharacterCardError(file: sourceName, message: "the card has no system_prompt, description, personality or scenario: nothing to use as the system prompt")
        }

        var document = PersonaDocument(name: card.name, systemPrompt: prompt)
        let specLabel = card.spec == .v1 ? "V1 card" : card.spec.rawValue
        document.description = "Imported from \(sourceName) (\(specLabel))."
        document.comments = ["Imported by `dramatis personas import` from \(sourceName) (\(specLabel)). Metadata below never reaches a prompt."]
        if !card.creator.isEmpty { document.comments.append("creator: \(card.creator)") }
        if !card.characterVersion.isEmpty { document.comments.append("character_version: \(card.characterVersion)") }
        if !card.creatorNotes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            document.comments.append("creator_notes:\n\(card.creatorNotes.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        var warnings: [String] = []
        if !clean(card.systemPrompt).isEmpty, !assembled.isEmpty,
           card.systemPrompt.range(of: "{{original}}", options: .caseInsensitive) == nil {
            warnings.append("the card's system_prompt is used as the prompt; its description/personality/scenario are not included (put {{original}} in system_prompt to include them)")
        }
        if !card.postHistoryInstructions.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            document.comments.append("post_history_instructions (not used by Dramatis):\n\(card.postHistoryInstructions.trimmingCharacters(in: .whitespacesAndNewlines))")
            warnings.append("post_history_instructions has no Dramatis equivalent; kept as a comment, not sent")
        }
        let greeting = clean(card.firstMessage)
        if !greeting.isEmpty { document.greeting = greeting }
        document.alternateGreetings = card.alternateGreetings.map(clean).filter { !$0.isEmpty }
        let parsed = MessageExampleParser.parse(card.messageExamples, characterName: card.name)
        document.examples = parsed.examples.map { Persona.Example(user: clean($0.user), assistant: clean($0.assistant)) }
        warnings += parsed.warnings
        document.tags = card.tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return Output(stem: stem(for: card.name), document: document, warnings: warnings)
    }

    /// A file stem from a name: lower-case ASCII letters and digits joined by `-` (`imported` when nothing is left).
    public static func stem(for name: String) -> String {
        var stem = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                stem.unicodeScalars.append(scalar)
            } else if !stem.isEmpty, !stem.hasSuffix("-") {
                stem += "-"
            }
        }
        while stem.hasSuffix("-") { stem.removeLast() }
        return stem.isEmpty ? "imported" : String(stem.prefix(60))
    }
}
