import DramatisCore

/// Compare sources that are candidates of one source: the same persona, backend, model and adapter, and sampling that
/// differs only in the seeds (`CandidateSeeds`). One request with `n` answers them all, so the prompt is processed once.
enum CandidateChoices {
    /// `sources` in choice order (choice k is the source with seed base + k; letter order when unseeded), or nil when
    /// they are fewer than two or not candidates of one source.
    static func order(of sources: [CompareSource]) -> [CompareSource]? {
        guard let first = sources.first, sources.allSatisfy({ source in
            source.persona == first.persona && source.backend == first.backend && source.model == first.model
                && source.adapter == first.adapter
        }) else { return nil }
        let letterOrder = sources.sorted { $0.letter < $1.letter }
        return CandidateSeeds.choiceOrder(letterOrder.map(\.sampling)).map { $0.map { letterOrder[$0] } }
    }
}
