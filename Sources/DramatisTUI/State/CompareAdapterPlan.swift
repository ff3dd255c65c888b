import DramatisCore

/// A training run loaded into the local engine: the persona it belongs to and its id.
public struct AdapterRun: Sendable, Hashable {
    public var personaID: String
    public var runID: String

    public init(personaID: String, runID: String) {
        self.personaID = personaID
        self.runID = runID
    }
}

/// Which adapters the local engine must load for a compare setup, and each source's scales over them, so one engine
/// answers base on one side and a tuned run on the other.
public enum CompareAdapterPlan {
    /// The runs to load when any source names an adapter (nil: none does, the engine stays as it is): the chat
    /// persona's own run first, then each tuned source's run. Every source on the chat's engine then gets explicit
    /// scales over them (a source "as the chat" those of the chat's own run, or the base model's).
    public static func resolve(_ setup: inout CompareSetup, chatPersona: Persona) -> [AdapterRun]? {
        guard setup.sources.contains(where: { $0.adapter != nil }) else { return nil }
        var runs: [AdapterRun] = chatPersona.adapter.map { [AdapterRun(personaID: chatPersona.id, runID: $0)] } ?? []
        for source in setup.sources {
            guard let run = source.adapter?.runID else { continue }
            let wanted = AdapterRun(personaID: source.persona.id, runID: run)
            if !runs.contains(wanted) { runs.append(wanted) }
        }
        for index in setup.sources.indices {
            let source = setup.sources[index]
            if let run = source.adapter?.runID {
                let position = runs.firstIndex(of: AdapterRun(personaID: source.persona.id, runID: run)) ?? 0
                setup.sources[index].adapter = .only(position, of: runs.count, runID: run)
            } else if source.adapter != nil {
                setup.sources[index].adapter = .base(of: runs.count)
            } else if source.backend == nil {
                // A source on another configured backend keeps its own; on the chat's engine nothing is left implicit.
                setup.sources[index].adapter = chatPersona.adapter.map { .only(0, of: runs.count, runID: $0) } ?? .base(of: runs.count)
            }
        }
        return runs
    }

    /// The runs the chat's engine has loaded when it connected as its persona says: its own run, or none.
    public static func ownRuns(of persona: Persona) -> [AdapterRun] {
        persona.adapter.map { [AdapterRun(personaID: persona.id, runID: $0)] } ?? []
    }
}
