import DramatisCore

/// The per-turn comparison `replay --compare-adapter` prints: the old reply's text, then each replay's reply and its
/// similarity to the old one.
enum AdapterComparison {
    static func text(first: ReplayReport, firstLabel: String, second: ReplayReport, secondLabel: String) -> String {
        var lines = ["", "comparison per turn: old reply, \(firstLabel), \(secondLabel) (similarity to the old reply)"]
        for (a, b) in zip(first.entries, second.entries) {
            lines.append("\(a.source):")
            for (turnA, turnB) in zip(a.turns, b.turns) {
                lines.append("  turn \(turnA.index + 1): \(PersonasOutput.fit(turnA.userText, 70))")
                lines.append("    old:  \(PersonasOutput.fit(turnA.oldText ?? "(none)", 100))")
                lines.append("    \(firstLabel): \(score(turnA.similarity))  \(PersonasOutput.fit(turnA.newText, 90))")
                lines.append("    \(secondLabel): \(score(turnB.similarity))  \(PersonasOutput.fit(turnB.newText, 90))")
            }
        }
        func mean(_ report: ReplayReport) -> String { score(report.totals.meanSimilarity) }
        lines.append("mean similarity to the old replies: \(firstLabel) \(mean(first)), \(secondLabel) \(mean(second))")
        return TerminalSanitizer.sanitize(lines.joined(separator: "\n")) + "\n"
    }

    private static func score(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "-"
    }
}
