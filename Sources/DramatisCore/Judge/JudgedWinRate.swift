/// How often a judge scored the new reply above the old one (replay `--judge`): a win counts 1, a tie ½.
public struct JudgedWinRate: Codable, Sendable, Hashable {
    /// Turns where both the old and the new reply were scored.
    public var pairs: Int
    /// The new reply scored higher.
    public var wins: Int
    /// The new reply scored lower.
    public var losses: Int
    public var ties: Int
    /// Turns where a verdict is missing, malformed or failed (left out of the rate).
    public var unscored: Int
    /// (wins + ties / 2) / pairs, rounded to 3 places; nil without pairs.
    public var winRate: Double?

    enum CodingKeys: String, CodingKey {
        case pairs, wins, losses, ties, unscored
        case winRate = "win_rate"
    }

    /// The tally over replayed turns (turns without an old reply have nothing to compare and are not counted).
    public init(turns: [ReplayTurnResult]) {
        var pairs = 0, wins = 0, losses = 0, ties = 0, unscored = 0
        for turn in turns where turn.originalReplyTurn != nil {
            guard let old = turn.oldVerdict?.score, turn.oldVerdict?.status == .scored,
                  let new = turn.newVerdict?.score, turn.newVerdict?.status == .scored else {
                unscored += 1
                continue
            }
            pairs += 1
            if new > old { wins += 1 } else if new < old { losses += 1 } else { ties += 1 }
        }
        self.pairs = pairs
        self.wins = wins
        self.losses = losses
        self.ties = ties
        self.unscored = unscored
        winRate = pairs == 0 ? nil : ((Double(wins) + Double(ties) / 2) / Double(pairs) * 1000).rounded() / 1000
    }

    /// One line for the text report.
    public var text: String {
        let rate = winRate.map { String(format: "%.3f", $0) } ?? "-"
        return "judged win rate new vs old: \(rate) (\(wins) won, \(losses) lost, \(ties) tied of \(pairs); \(unscored) unscored)"
    }
}
