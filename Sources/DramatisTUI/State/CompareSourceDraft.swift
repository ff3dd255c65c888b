import DramatisCore

/// One compare source as the setup panel edits it: choices by name and numbers as typed, turned into a
/// `CompareSource` only when the panel applies.
public struct CompareSourceDraft: Sendable, Hashable {
    public var personaID: String
    /// The configured backend (nil: the chat's own connection).
    public var backend: String?
    /// The model as typed (empty: the backend's).
    public var model: String
    public var temperature: String
    public var seed: String
    public var adapter: CompareAdapterOption
    /// The source's other sampling settings, kept as they were (the sampling panel, F3, edits them).
    public var otherSampling: SamplingParameters

    public init(personaID: String, backend: String? = nil, model: String = "", sampling: SamplingParameters,
                adapter: CompareAdapterOption = .asChat) {
        self.personaID = personaID
        self.backend = backend
        self.model = model
        temperature = SamplingField.temperature.text(in: sampling)
        seed = SamplingField.seed.text(in: sampling)
        self.adapter = adapter
        otherSampling = sampling
    }

    /// The draft of an existing source.
    public init(_ source: CompareSource) {
        self.init(personaID: source.persona.id, backend: source.backend, model: source.model ?? "", sampling: source.sampling,
                  adapter: CompareAdapterOption(source.adapter))
    }

    /// Takes `persona`'s sampling and forgets the adapter (runs belong to one persona).
    public mutating func choose(_ persona: Persona) {
        self = CompareSourceDraft(personaID: persona.id, backend: backend, model: model, sampling: persona.sampling)
    }

    /// The sampling it stands for, or the first invalid number's problem.
    public func sampling() -> Result<SamplingParameters, SamplingValueProblem> {
        var sampling = otherSampling
        if let problem = SamplingField.temperature.read(temperature, into: &sampling) { return .failure(problem) }
        if let problem = SamplingField.seed.read(seed, into: &sampling) { return .failure(problem) }
        return .success(sampling)
    }
}
