import Foundation

/// Counts of compare decisions by source: wins per source letter, ties, both bad, skipped and undecided rounds.
public struct CompareTally: Sendable, Hashable {
    /// Rounds each source won, by source letter ("A", "B", …).
    public var wins: [String: Int] = [:]
    public var ties = 0
    public var bothBad = 0
    public var skipped = 0
    /// Rounds without a decision yet.
    public var undecided = 0
    /// Rounds a judge decided (`autopilot --judge --auto-mark`) that no person has confirmed: kept out of the wins,
    /// ties and win rates, which are people's decisions, until the review queue confirms or overrides them.
    public var judged = 0

    /// An empty tally.
    public init() {}

    /// The tally of every compare round in `conversation`.
    public init(_ conversation: Conversation) {
        add(conversation)
    }

    /// Adds the compare rounds of `conversation`.
    public mutating func add(_ conversation: Conversation) {
        for turn in conversation.turns {
            guard let round = turn.compare else { continue }
            add(round.decision)
        }
    }

    /// Adds one round's decision (nil: undecided).
    public mutating func add(_ decision: CompareDecision?) {
        guard let decision else { undecided += 1; return }
        guard decision.judge == nil else { judged += 1; return }
        switch decision.verdict {
        case .better: wins[decision.winner ?? "?", default: 0] += 1
        case .tie: ties += 1
        case .bothBad: bothBad += 1
        case .skip: skipped += 1
        }
    }

    /// Whether any round was counted.
    public var isEmpty: Bool { wins.isEmpty && ties == 0 && bothBad == 0 && skipped == 0 && undecided == 0 && judged == 0 }

    /// Rounds decided with a winner.
    public var decisive: Int { wins.values.reduce(0, +) }

    /// The status line's tally, e.g. `A 12 · B 7 · tie 3` (sources A and B always shown, others when they won; rounds
    /// a judge decided as `judged N`).
    public var line: String {
        let letters = Set(wins.keys).union(["A", "B"]).sorted()
        var parts = letters.map { "\($0) \(wins[$0] ?? 0)" }
        parts.append("tie \(ties)")
        if bothBad > 0 { parts.append("both bad \(bothBad)") }
        if judged > 0 { parts.append("judged \(judged)") }
        return parts.joined(separator: " · ")
    }

    /// How often `source` won among the decisive rounds, with its 95% Wilson score interval; nil before any.
    public func winRate(of source: String) -> WilsonInterval? {
        WilsonInterval(successes: wins[source] ?? 0, trials: decisive)
    }

    /// Summary lines for `transcripts show` and the dataset statistics: counts, then each source's win rate.
    public var summaryLines: [String] {
        guard !isEmpty else { return [] }
        var counts = line
        if bothBad == 0 { counts += " · both bad 0" }
        counts += " · skipped \(skipped)"
        if undecided > 0 { counts += " · undecided \(undecided)" }
        var lines = ["Compare: \(counts)"]
        if judged > 0 {
            lines.append("  \(judged) decided by a judge and not yet confirmed by a person (not counted in the wins)")
        }
        for letter in Set(wins.keys).union(["A", "B"]).sorted() {
            guard let rate = winRate(of: letter) else { continue }
            lines.append("  \(letter) wins \(rate.percentText(rate.estimate)) of \(decisive) decisive rounds "
                         + "(95% CI \(rate.percentText(rate.lower))–\(rate.percentText(rate.upper)))")
        }
        return lines
    }
}

/// A proportion with its Wilson score confidence interval (sound for small counts and rates near 0 or 1).
public struct WilsonInterval: Sendable, Hashable {
    public var successes: Int
    public var trials: Int
    /// The observed rate, successes / trials.
    public var estimate: Double
    public var lower: Double
    public var upper: Double

    /// The interval for `successes` of `trials` at the normal quantile `z` (1.96: 95%); nil for no trials.
    public init?(successes: Int, trials: Int, z: Double = 1.959964) {
        guard trials > 0, (0...trials).contains(successes) else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / denominator
        self.successes = successes
        self.trials = trials
        estimate = p
        lower = max(0, center - half)
        upper = min(1, center + half)
    }

    /// A rate as a whole percentage, e.g. "37%".
    public func percentText(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
