import Foundation

/// Reads a judge's pairwise answer in the one format Dramatis asks for, strictly:
///
///     PREFERENCE: A
///     REASON: B drops the persona's dry tone.
///
/// Exactly these two lines (surrounding blank space is ignored): `PREFERENCE:` with one candidate letter
/// (`A`, `B`, … up to the number of candidates) or `tie`, exactly as written and nothing else, then `REASON:` with
/// non-empty text on one line. Anything else is malformed, with the reason why.
public enum PairwiseVerdictParser {
    /// A pairwise answer that follows the format.
    public struct Parsed: Sendable, Hashable {
        public var preference: PairwisePreference
        public var reason: String
    }

    /// The preference and reason among `candidates` candidates, or what is wrong with the answer.
    public static func parse(_ answer: String, candidates: Int) -> Result<Parsed, JudgeFormatProblem> {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .failure(JudgeFormatProblem("the judge answered nothing")) }
        let lines = trimmed.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard lines.count == 2 else {
            return .failure(JudgeFormatProblem("expected exactly two lines (PREFERENCE: \(choices(candidates)), then REASON: text), got \(lines.count)"))
        }
        let preferenceLine = lines[0].trimmingCharacters(in: .whitespaces)
        guard preferenceLine.hasPrefix("PREFERENCE:") else {
            return .failure(JudgeFormatProblem("line 1 must start with 'PREFERENCE:', got \"\(String(preferenceLine.prefix(40)))\""))
        }
        let value = preferenceLine.dropFirst("PREFERENCE:".count).trimmingCharacters(in: .whitespaces)
        guard let preference = PairwisePreference(letter: value), valid(preference, candidates: candidates) else {
            return .failure(JudgeFormatProblem("PREFERENCE must be one of \(choices(candidates)), got \"\(String(value.prefix(20)))\""))
        }
        let reasonLine = lines[1].trimmingCharacters(in: .whitespaces)
        guard reasonLine.hasPrefix("REASON:") else {
            return .failure(JudgeFormatProblem("line 2 must start with 'REASON:', got \"\(String(reasonLine.prefix(40)))\""))
        }
        let reason = reasonLine.dropFirst("REASON:".count).trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { return .failure(JudgeFormatProblem("REASON is empty")) }
        return .success(Parsed(preference: preference, reason: reason))
    }

    /// The accepted values for `candidates` candidates, as the request and errors write them: "A|B|tie".
    public static func choices(_ candidates: Int) -> String {
        ((0..<max(2, candidates)).map(CompareRound.paneLetter) + ["tie"]).joined(separator: "|")
    }

    private static func valid(_ preference: PairwisePreference, candidates: Int) -> Bool {
        if case .better(let pane) = preference { return pane < max(2, candidates) }
        return true
    }
}
