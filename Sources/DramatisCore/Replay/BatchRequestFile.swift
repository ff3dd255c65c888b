import Foundation

/// Writes replay requests as an OpenAI/Azure Batch API input file instead of calling a backend.
///
/// One line per user turn of each transcript's active branch:
/// `{"custom_id":"<transcript id>#<turn id>","method":"POST","url":"/v1/chat/completions","body":{…}}`.
/// The batch API cannot feed one answer into the next request, so each request carries the
/// original conversation's history (old replies) up to that user turn, after today's persona preamble.
public enum BatchRequestFile {
    /// The JSONL lines for `original` replayed with `persona` and `model`.
    public static func lines(for original: Conversation, persona: Persona, model: String,
                             url: String = "/v1/chat/completions") -> [String] {
        var history: [ChatMessage] = persona.preambleMessages
        if let greeting = persona.greeting, !greeting.isEmpty { history.append(.assistant(greeting)) }
        var lines: [String] = []
        for id in original.activePath {
            let turn = original[id]
            if turn.origin == .greeting { continue }
            history.append(ChatMessage(role: turn.role, content: turn.text))
            guard turn.role == .user else { continue }
            var body: [(String, JSONValue)] = [("model", .string(model)), ("messages", DatasetLine.messages(history))]
            let sampling = persona.sampling
            if let value = sampling.temperature { body.append(("temperature", .double(value))) }
            if let value = sampling.topP { body.append(("top_p", .double(value))) }
            if let value = sampling.maxTokens { body.append(("max_tokens", .int(value))) }
            if let value = sampling.stop, !value.isEmpty { body.append(("stop", .array(value.map { .string($0) }))) }
            if let value = sampling.seed { body.append(("seed", .int(value))) }
            if let value = sampling.presencePenalty { body.append(("presence_penalty", .double(value))) }
            if let value = sampling.frequencyPenalty { body.append(("frequency_penalty", .double(value))) }
            lines.append(JSONValue.object([
                ("custom_id", .string("\(original.id)#\(id)")),
                ("method", .string("POST")),
                ("url", .string(url)),
                ("body", .object(body)),
            ]).serialized())
        }
        return lines
    }
}
