import Foundation

/// Renders `DatasetStatistics` as JSON (`stats --json`) or as text for a terminal (sanitized).
public enum DatasetStatisticsRendering {
    /// `[{persona, transcripts, sft_examples, preference_pairs, kto:{good,bad}, progress:[…], tokens:{…}, cost:{…},
    /// findings:{category:[{transcript,turn,file,line,message}]}, marks_by_source:{…}, marks_by_day:{…}}]`.
    public static func json(_ all: [DatasetStatistics]) -> String {
        var out = JSONWriter()
        out.beginArray()
        for statistics in all {
            out.element()
            object(statistics, &out)
        }
        out.endArray()
        return out.text
    }

    private static func object(_ s: DatasetStatistics, _ out: inout JSONWriter) {
        let v = s.sftReport.statistics
        out.beginObject()
        out.key("persona"); out.string(s.personaID)
        out.key("transcripts"); out.int(s.transcripts)
        out.key("sft_examples"); out.int(s.sftExamples)
        out.key("preference_pairs"); out.int(s.preferencePairs)
        out.key("kto"); out.beginObject()
        out.key("good"); out.int(s.ktoGood)
        out.key("bad"); out.int(s.ktoBad)
        out.endObject()
        out.key("progress"); out.beginArray()
        for milestone in DatasetMilestone.all {
            out.element(); out.beginObject()
            out.key("examples"); out.int(milestone.examples)
            out.key("reached"); out.bool(s.sftExamples >= milestone.examples)
            out.key("meaning"); out.string(milestone.meaning)
            out.endObject()
        }
        out.endArray()
        out.key("tokens"); out.beginObject()
        out.key("total"); out.int(v.totalTokens)
        out.key("trained"); out.int(v.trainedAssistantTokens)
        out.key("per_example")
        if let d = v.totalTokensPerExample {
            out.beginObject()
            out.key("min"); out.int(d.min)
            out.key("median"); out.double(d.median)
            out.key("p90"); out.double(d.p90)
            out.key("max"); out.int(d.max)
            out.endObject()
        } else {
            out.null()
        }
        out.key("tokenizer"); out.string(v.encoding.rawValue)
        out.key("estimate"); out.bool(v.tokenCountIsEstimate)
        out.endObject()
        out.key("cost"); out.beginObject()
        out.key("model"); out.string(s.sftReport.model)
        out.key("epochs"); out.int(v.epochs)
        out.key("billed_tokens"); out.int(v.billedTokens)
        out.key("usd_per_million_tokens"); if let price = s.pricePerMillionTokens { out.double(price) } else { out.null() }
        out.key("estimated_usd"); if let cost = s.estimatedCost { out.double((cost * 10_000).rounded() / 10_000) } else { out.null() }
        out.endObject()
        out.key("findings"); out.beginObject()
        for group in s.findings {
            out.key(group.category); out.beginArray()
            for finding in group.items {
                out.element(); out.beginObject()
                out.key("transcript"); if let t = finding.transcript { out.string(t) } else { out.null() }
                out.key("turn"); if let t = finding.turn { out.int(t) } else { out.null() }
                out.key("file"); if let f = finding.file { out.string(f) } else { out.null() }
                out.key("line"); if let l = finding.line { out.int(l) } else { out.null() }
                out.key("message"); out.string(finding.message)
                out.endObject()
            }
            out.endArray()
        }
        out.endObject()
        out.key("marks_by_source"); counts(s.marksBySource.map { ($0.source, $0.count) }, &out)
        out.key("marks_by_day"); counts(s.marksByDay.map { ($0.day, $0.count) }, &out)
        out.key("compare"); compare(s.compareTally, &out)
        out.endObject()
    }

    /// The compare tally as the text prints it: wins by source, ties, both bad, skipped, undecided, judged (a judge's
    /// unconfirmed decisions, outside the wins), and each source's
    /// win rate over the decisive rounds with its 95% Wilson interval (fractions to 4 places); null before any round.
    private static func compare(_ tally: CompareTally, _ out: inout JSONWriter) {
        guard !tally.isEmpty else { out.null(); return }
        /// A fraction rounded to 4 places.
        func fraction(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
        let letters = Set(tally.wins.keys).union(["A", "B"]).sorted()
        out.beginObject()
        out.key("wins"); counts(letters.map { ($0, tally.wins[$0] ?? 0) }, &out)
        out.key("ties"); out.int(tally.ties)
        out.key("both_bad"); out.int(tally.bothBad)
        out.key("skipped"); out.int(tally.skipped)
        out.key("undecided"); out.int(tally.undecided)
        out.key("judged"); out.int(tally.judged)
        out.key("decisive"); out.int(tally.decisive)
        out.key("win_rate"); out.beginObject()
        for letter in letters {
            guard let rate = tally.winRate(of: letter) else { continue }
            out.key(letter); out.beginObject()
            out.key("estimate"); out.double(fraction(rate.estimate))
            out.key("lower"); out.double(fraction(rate.lower))
            out.key("upper"); out.double(fraction(rate.upper))
            out.endObject()
        }
        out.endObject()
        out.endObject()
    }

    private static func counts(_ pairs: [(String, Int)], _ out: inout JSONWriter) {
        out.beginObject()
        for (key, value) in pairs { out.key(key); out.int(value) }
        out.endObject()
    }

    /// The terminal report: counts, a progress bar per milestone, tokens, cost, findings by category, marks.
    public static func text(_ s: DatasetStatistics) -> String {
        var lines = ["\(s.personaID): \(s.transcripts) transcript(s)"] + summaryLines(s).map { "  " + $0 }
        for group in s.findings {
            lines.append("  \(group.category) (\(group.items.count)):")
            for finding in group.items {
                lines.append("    \(place(of: finding)): \(TerminalSanitizer.sanitize(finding.message))")
            }
        }
        if s.findings.isEmpty { lines.append("  no problems found") }
        lines += markLines(s).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// Counts, a progress bar per milestone, tokens and the cost estimate, one line each (the TUI's dataset screen shows the same).
    public static func summaryLines(_ s: DatasetStatistics) -> [String] {
        let v = s.sftReport.statistics
        var lines: [String] = []
        lines.append("SFT examples: \(s.sftExamples)   preference pairs: \(s.preferencePairs)   KTO labels: \(s.ktoGood) good, \(s.ktoBad) bad")
        for milestone in DatasetMilestone.all {
            let filled = min(20, s.sftExamples * 20 / milestone.examples)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
            lines.append("[\(bar)] \(min(s.sftExamples, milestone.examples))/\(milestone.examples): \(milestone.meaning)")
        }
        let estimate = v.tokenCountIsEstimate ? " (ESTIMATE: not this model's tokenizer)" : ""
        lines.append("tokens: \(v.totalTokens) total, \(v.trainedAssistantTokens) trained, counted with \(v.encoding.rawValue)\(estimate)")
        if let d = v.totalTokensPerExample {
            lines.append("per example: min \(d.min), median \(format(d.median)), p90 \(format(d.p90)), max \(d.max)")
        }
        let model = TerminalSanitizer.sanitize(s.sftReport.model)
        if let cost = s.estimatedCost, let price = s.pricePerMillionTokens {
            lines.append("training cost on \(model): ~$\(String(format: "%.2f", cost)) (\(v.epochs) epochs × \(v.billingTokensPerEpoch) tokens"
                         + " at $\(String(format: "%.2f", price)) per 1M; list price, check current pricing)")
        } else {
            lines.append("training cost: no price known for \(model) (\(v.billedTokens) billed tokens over \(v.epochs) epochs)")
        }
        lines.append(contentsOf: s.compareTally.summaryLines)
        return lines
    }

    /// Where a finding came from: `transcript turn N (file:line)`, sanitized.
    public static func place(of finding: DatasetFinding) -> String {
        var place = finding.transcript ?? ""
        if let turn = finding.turn { place += " turn \(turn)" }
        if let file = finding.file, let line = finding.line { place += " (\(file):\(line))" }
        return TerminalSanitizer.sanitize(place)
    }

    /// Marks by source and by day, one line each.
    public static func markLines(_ s: DatasetStatistics) -> [String] {
        ["marks by source: " + s.marksBySource.map { "\($0.source) \($0.count)" }.joined(separator: ", "),
         "marks by day: " + s.marksByDay.map { "\($0.day) \($0.count)" }.joined(separator: ", ")]
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
