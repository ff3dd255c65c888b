import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis personas show NAME`: resolved settings and the exact messages sent before the conversation.
struct PersonasShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a persona's resolved settings and the exact messages that will be sent (placeholders expanded).")

    @OptionGroup var location: PersonasLocationOptions

    @Argument(help: "The persona's file stem (clippy), name (Clippy) or a path to a .md file.")
    var name: String

    @Flag(help: "Print the persona and its messages as JSON.")
    var json = false

    /// The JSON form of `show`.
    struct ShowOutput: Encodable {
        var persona: Persona
        var source: String?
        var messages: [ChatMessage]
    }

    func run() throws {
        let library = location.library()
        let persona: Persona
        do {
            persona = try library.resolve(name)
        } catch {
            PersonasOutput.err("error: \(error)")
            throw ExitCode(1)
        }
        let source = library.lookup(name)?.source
        var messages = persona.preambleMessages
        if let greeting = persona.greeting { messages.append(.assistant(greeting)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(ShowOutput(persona: persona, source: source.map { PersonaProblem.displayPath(for: $0) }, messages: messages))
            print(String(decoding: data, as: UTF8.self))
            return
        }
        var lines: [String] = []
        lines.append("\(persona.name) (\(persona.id))")
        if let source { lines.append("  file:          \(PersonaProblem.displayPath(for: source))") }
        if !persona.description.isEmpty { lines.append("  description:   \(persona.description)") }
        lines.append("  backend:       \(persona.backend ?? "default")")
        lines.append("  model:         \(persona.model ?? "the backend's model")")
        let sampling = persona.sampling
        var settings: [String] = []
        if let value = sampling.temperature { settings.append("temperature \(value)") }
        if let value = sampling.topP { settings.append("top_p \(value)") }
        if let value = sampling.maxTokens { settings.append("max_tokens \(value)") }
        if let value = sampling.seed { settings.append("seed \(value)") }
        if let value = sampling.presencePenalty { settings.append("presence_penalty \(value)") }
        if let value = sampling.frequencyPenalty { settings.append("frequency_penalty \(value)") }
        if let stops = sampling.stop { settings.append("stop \(stops.map { String(reflecting: $0) }.joined(separator: ", "))") }
        lines.append("  sampling:      \(settings.isEmpty ? "backend defaults" : settings.joined(separator: ", "))")
        lines.append("  user_name:     \(persona.userName)")
        if !persona.tags.isEmpty { lines.append("  tags:          \(persona.tags.joined(separator: ", "))") }
        for (index, greeting) in persona.alternateGreetings.enumerated() {
            lines.append("  alternate greeting \(index + 1): \(greeting)")
        }
        lines.append("")
        let preamble = persona.preambleMessages.count
        lines.append("Messages sent before the conversation (\(preamble))\(persona.greeting == nil ? "" : ", then the greeting"):")
        for (index, message) in messages.enumerated() {
            let label = index >= preamble ? "assistant — greeting, shown and recorded as the first reply" : message.role.rawValue
            lines.append("")
            lines.append("── \(index + 1). \(label)")
            lines.append(message.content)
        }
        PersonasOutput.out(lines.joined(separator: "\n"))
    }
}
