/// When several replies can be one request's choices: their sampling is the same apart from the seeds, which run
/// base, base + 1, … in some order (choice k samples with seed base + k, as `n` does on llama-server, OpenAI and
/// Azure) or are all unset (each choice at random).
public enum CandidateSeeds {
    /// The indices of `samplings` in choice order (by seed; in the given order when unseeded), or nil when they are
    /// fewer than two or cannot be one request's choices.
    public static func choiceOrder(_ samplings: [SamplingParameters]) -> [Int]? {
        guard samplings.count >= 2, let first = samplings.first else { return nil }
        guard samplings.allSatisfy({ unseeded($0) == unseeded(first) }) else { return nil }
        if samplings.allSatisfy({ $0.seed == nil }) { return Array(samplings.indices) }
        let seeds = samplings.compactMap(\.seed)
        guard seeds.count == samplings.count else { return nil }
        let order = samplings.indices.sorted { seeds[$0] < seeds[$1] }
        guard let base = order.first.map({ seeds[$0] }),
              order.enumerated().allSatisfy({ seeds[$0.element] == base + $0.offset }) else { return nil }
        return order
    }

    /// `sampling` without its seed.
    private static func unseeded(_ sampling: SamplingParameters) -> SamplingParameters {
        var copy = sampling
        copy.seed = nil
        return copy
    }
}
