import Foundation

/// Renders a conversation as readable plain text (sanitized: safe to print to a terminal).
public enum TranscriptRenderer {
    /// A header, then the selected branch (or, with `allBranches`, every turn as an indented tree).
    public static func render(_ conversation: Conversation, allBranches: Bool = false) -> String {
        var lines: [String] = []
        let persona = conversation.persona
        lines.append("Transcript \(clean(conversation.id))")
        lines.append("Created:  \(TranscriptDate.string(from: conversation.createdAt))")
        lines.append("Persona:  \(clean(persona.name)) (\(clean(persona.id)))")
        lines.append("Backend:  \(clean(conversation.backend.name)) (\(clean(conversation.backend.kind))), model \(clean(persona.model ?? conversation.backend.model))")
        lines.append("Sampling: \(describe(conversation.sampling))")
        if let replayOf = conversation.replayOf { lines.append("Replay of: \(clean(replayOf))") }
        lines.append("Turns: \(conversation.turns.count), marks: \(conversation.markCount)")
        lines.append(contentsOf: CompareTally(conversation).summaryLines.map(clean))
        lines.append("")
        lines.append("[system] " + indentContinuation(clean(persona.systemPrompt), by: 9))
        for example in persona.examples {
            lines.append("[example user] " + indentContinuation(clean(example.user), by: 15))
            lines.append("[example \(clean(persona.name))] " + indentContinuation(clean(example.assistant), by: 10 + clean(persona.name).count))
        }
        lines.append("")
        if allBranches {
            func walk(_ ids: [TurnID], depth: Int) {
                for id in ids {
                    lines.append(contentsOf: block(conversation, id, indent: depth * 2))
                    walk(conversation[id].children, depth: depth + 1)
                }
            }
            walk(conversation.roots, depth: 0)
        } else {
            for id in conversation.activePath {
                lines.append(contentsOf: block(conversation, id, indent: 0))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func block(_ conversation: Conversation, _ id: TurnID, indent: Int) -> [String] {
        let turn = conversation[id]
        let speaker = turn.role == .user ? clean(conversation.persona.userName) : clean(conversation.persona.name)
        var tags: [String] = ["#\(id)"]
        let siblings = conversation.alternatives(of: id)
        if siblings.count > 1, let position = siblings.firstIndex(of: id) { tags.append("alt \(position + 1)/\(siblings.count)") }
        if turn.origin != .typed && turn.origin != .generated {
            tags.append(turn.origin.rawValue + (turn.simulatedBy.map { " by \(clean($0))" } ?? ""))
        }
        if let original = turn.editedFrom { tags.append("edit of #\(original)") }
        if let parent = conversation.compareParent(of: id), let round = conversation[parent].compare,
           let pane = round.pane(of: id) {
            tags.append("compare pane \(CompareRound.paneLetter(pane)): source \(clean(round.sides[pane].source))"
                        + (round.sides[pane].name.map { " \(clean($0))" } ?? "") + (round.isBlind ? ", blind" : ""))
        }
        if let mark = turn.mark { tags.append("\(mark.value == .good ? "GOOD" : "BAD") \(TranscriptDate.string(from: mark.at))") }
        if let reply = turn.reply {
            if let reason = reply.finishReason { tags.append("finish \(reason.wireValue)") }
            if let usage = reply.usage {
                tags.append("\(usage.promptTokens)+\(usage.completionTokens) tok" + (usage.reasoningTokens.map { " (\($0) reasoning)" } ?? ""))
            }
            if reply.isRefusal { tags.append("REFUSAL") }
            if let timing = reply.timing { tags.append(String(format: "%.2fs", timing.total)) }
            if let error = reply.error { tags.append("error: \(clean(error))") }
        }
        if !turn.isComplete { tags.append("INCOMPLETE") }
        if let decision = turn.compare?.decision {
            tags.append("compared: " + (decision.verdict == .better ? "\(clean(decision.winner ?? "?")) better" : decision.verdict.rawValue.replacingOccurrences(of: "_", with: " ")))
        } else if turn.compare != nil {
            tags.append("compared: undecided")
        }
        if let decision = turn.compare?.decision, let judge = decision.judge { tags.append("decided by judge \(clean(judge))") }
        if let judgement = turn.compare?.judgement {
            switch judgement.status {
            case .scored: tags.append("judge \(clean(judgement.judge)): \(judgement.preferred == "tie" ? "tie" : "\(clean(judgement.preferred ?? "?")) better")")
            case .malformed: tags.append("judge \(clean(judgement.judge)): malformed")
            case .failed: tags.append("judge \(clean(judgement.judge)): failed")
            }
        }
        let pad = String(repeating: " ", count: indent)
        var lines = ["\(pad)\(speaker) [\(tags.joined(separator: ", "))]"]
        if let reasoning = turn.reply?.reasoning, !reasoning.isEmpty {
            for line in clean(reasoning).split(separator: "\n", omittingEmptySubsequences: false) { lines.append("\(pad)  | \(line)") }
        }
        for line in clean(turn.historyText).split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append("\(pad)  \(line)")
        }
        for call in turn.reply?.toolCalls ?? [] { lines.append("\(pad)  (tool call: \(clean(call.summary)))") }
        lines.append("")
        return lines
    }

    private static func describe(_ sampling: SamplingParameters) -> String {
        var parts: [String] = []
        if let value = sampling.temperature { parts.append("temperature \(value)") }
        if let value = sampling.topP { parts.append("top_p \(value)") }
        if let value = sampling.maxTokens { parts.append("max_tokens \(value)") }
        if let value = sampling.seed { parts.append("seed \(value)") }
        if let value = sampling.stop, !value.isEmpty { parts.append("stop \(value.map { clean($0) })") }
        if let value = sampling.presencePenalty { parts.append("presence_penalty \(value)") }
        if let value = sampling.frequencyPenalty { parts.append("frequency_penalty \(value)") }
        return parts.isEmpty ? "backend defaults" : parts.joined(separator: ", ")
    }

    private static func indentContinuation(_ text: String, by count: Int) -> String {
        text.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: count))
    }

    private static func clean(_ text: String) -> String { TerminalSanitizer.sanitize(text) }
}
