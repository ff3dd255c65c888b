import Foundation

/// Reads a judge's answer in the one format Dramatis asks for, strictly:
///
///     SCORE: 4
///     REASON: Stays in character and answers the question.
///
/// Exactly these two lines (surrounding blank space is ignored): `SCORE:` with a whole number from 1 to 5 and
/// nothing else, then `REASON:` with non-empty text on one line. Anything else is malformed, with the reason why.
public enum JudgeVerdictParser {
    /// The lowest and highest score a judge may give.
    public static let scores = 1...5

    /// A judge's answer that follows the format.
    public struct Scored: Sendable, Hashable {
        public var score: Int
        public var reason: String
    }

    /// The score and reason, or what is wrong with the answer.
    public static func parse(_ answer: String) -> Result<Scored, JudgeFormatProblem> {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .failure(JudgeFormatProblem("the judge answered nothing")) }
        let lines = trimmed.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard lines.count == 2 else {
            return .failure(JudgeFormatProblem("expected exactly two lines (SCORE: n, then REASON: text), got \(lines.count)"))
        }
        let scoreLine = lines[0].trimmingCharacters(in: .whitespaces)
        guard scoreLine.hasPrefix("SCORE:") else {
            return .failure(JudgeFormatProblem("line 1 must start with 'SCORE:', got \"\(String(scoreLine.prefix(40)))\""))
        }
        let number = scoreLine.dropFirst("SCORE:".count).trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let score = Int(number), scores.contains(score) else {
            return .failure(JudgeFormatProblem("SCORE must be a whole number from \(scores.lowerBound) to \(scores.upperBound), got \"\(String(number.prefix(20)))\""))
        }
        let reasonLine = lines[1].trimmingCharacters(in: .whitespaces)
        guard reasonLine.hasPrefix("REASON:") else {
            return .failure(JudgeFormatProblem("line 2 must start with 'REASON:', got \"\(String(reasonLine.prefix(40)))\""))
        }
        let reason = reasonLine.dropFirst("REASON:".count).trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { return .failure(JudgeFormatProblem("REASON is empty")) }
        return .success(Scored(score: score, reason: reason))
    }
}

/// Why a judge's answer does not follow the verdict format.
public struct JudgeFormatProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
