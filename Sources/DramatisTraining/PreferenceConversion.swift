import DramatisCore
import Foundation

/// Turns the persona's `preference.jsonl` (OpenAI DPO rows, as the recorder writes them) into the TRL rows the
/// worker trains DPO on (`{"prompt":[…],"chosen":[…],"rejected":[…]}`).
enum PreferenceConversion {
    private struct OpenAIRow: Decodable {
        struct Input: Decodable { var messages: [ChatMessage] }
        var input: Input
        var preferredOutput: [ChatMessage]
        var nonPreferredOutput: [ChatMessage]
        enum CodingKeys: String, CodingKey {
            case input
            case preferredOutput = "preferred_output", nonPreferredOutput = "non_preferred_output"
        }
    }

    private struct TRLRow: Encodable {
        var prompt: [ChatMessage]
        var chosen: [ChatMessage]
        var rejected: [ChatMessage]
    }

    /// The rows of `file`, leaving out pairs whose prompt is a held-out example's (those are never trained on).
    /// Throws `.refused` naming the file and line of a row that cannot be read, or when no pair is left.
    static func trlRows(from file: URL, excludingPrompts excluded: Set<[ChatMessage]>) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw TrainingError.refused("\(file.path): no such file; --method sft+dpo needs preference pairs "
                + "(mark one reply good and another bad for the same turn in `dramatis chat`)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rows: [String] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let row = try? JSONDecoder().decode(OpenAIRow.self, from: Data(line.utf8)) else {
                throw TrainingError.refused("\(file.path):\(index + 1): not an OpenAI DPO row "
                    + "({\"input\":{\"messages\":[…]},\"preferred_output\":[…],\"non_preferred_output\":[…]})")
            }
            if excluded.contains(row.input.messages) { continue }
            let trl = TRLRow(prompt: row.input.messages, chosen: row.preferredOutput, rejected: row.nonPreferredOutput)
            rows.append(String(decoding: try encoder.encode(trl), as: UTF8.self))
        }
        guard !rows.isEmpty else {
            throw TrainingError.refused("\(file.path) has no preference pairs outside the held-out examples; train with --method sft")
        }
        return rows
    }
}
