import DramatisCore

/// One side's settings in compare mode, held as a value so a panel can edit one side: the persona whose system
/// prompt is sent, the model asked for, the sampling, and the local engine's adapter.
public struct CompareSource: Sendable, Hashable {
    /// The source's letter: "A" is the chat's own source, "B" the compared one ("A"…"D" for n candidates).
    public var letter: String
    /// The persona whose preamble (system prompt, examples) the request sends.
    public var persona: Persona
    /// The model asked for (nil: the connection's).
    public var model: String?
    public var sampling: SamplingParameters
    /// The local engine's adapter that answers (nil: left to the backend, as for a single reply).
    public var adapter: AdapterChoice?
    /// The configured backend that answers, by name (nil: the chat's own connection).
    public var backend: String?

    public init(letter: String, persona: Persona, model: String? = nil, sampling: SamplingParameters, adapter: AdapterChoice? = nil,
                backend: String? = nil) {
        self.letter = letter
        self.persona = persona
        self.model = model
        self.sampling = sampling
        self.adapter = adapter
        self.backend = backend
    }

    /// What distinguishes the source, e.g. "clippy · t=0.7 · seed 42" (the transcript and the pane headers show it).
    public var name: String {
        var parts = [persona.id]
        if let backend { parts.append(backend) }
        if let model { parts.append(model) }
        if let run = adapter?.runID { parts.append("tuned \(run)") } else if adapter != nil { parts.append("base") }
        if let temperature = sampling.temperature { parts.append("t=\(temperature)") }
        if let seed = sampling.seed { parts.append("seed \(seed)") }
        return parts.joined(separator: " · ")
    }
}

/// Compare mode of a chat: every user turn is answered by each source at once, side by side, and one key decides.
public struct CompareSetup: Sendable, Hashable {
    /// The sources in letter order (two to four).
    public var sources: [CompareSource]
    /// Source names hidden and panes shuffled per turn until the decision.
    public var blind: Bool
    /// Seeds the per-turn shuffle of blind mode (random in the app, fixed in tests).
    public var shuffleSeed: UInt64
    /// Teacher/student mode: the teacher source's letter (two sources; the other one is the student, whose persona's
    /// dataset also receives the teacher's good replies). Nil: no teacher.
    public var teacher: String?

    public init(sources: [CompareSource], blind: Bool = false, shuffleSeed: UInt64 = 0, teacher: String? = nil) {
        self.sources = sources
        self.blind = blind
        self.shuffleSeed = shuffleSeed
        self.teacher = teacher
    }

    /// The sources as the notice line lists them, e.g. "A = clippy · t=0.7, B = bob (teacher)".
    public var summary: String {
        sources.map { source in
            let role = studentSource == nil ? "" : source.letter == teacher ? " (teacher)" : " (student)"
            return "\(source.letter) = \(source.name)\(role)"
        }.joined(separator: ", ")
    }

    /// The student source in teacher/student mode: the source that is not the teacher, of exactly two.
    public var studentSource: CompareSource? {
        guard let teacher, sources.count == 2, sources.contains(where: { $0.letter == teacher }) else { return nil }
        return sources.first { $0.letter != teacher }
    }

    /// What a round records about the student in teacher/student mode: its persona and system prompt now.
    public var studentSnapshot: CompareStudent? {
        studentSource.map { CompareStudent(persona: $0.persona.id, systemPrompt: $0.persona.systemPrompt) }
    }

    /// The default second source when compare is turned on in a chat without one: the chat's own source again,
    /// with the next seeds (`count` candidates from one source, two to four); without a seed every candidate samples
    /// unseeded. Either way they are candidates of one source, asked for in one request (`CandidateChoices`).
    public static func candidates(of persona: Persona, sampling: SamplingParameters, count: Int = 2, blind: Bool = false,
                                  shuffleSeed: UInt64 = 0) -> CompareSetup {
        let sources = (0..<max(2, min(4, count))).map { index in
            var varied = sampling
            varied.seed = sampling.seed.map { $0 + index }
            return CompareSource(letter: CompareRound.paneLetter(index), persona: persona, sampling: varied)
        }
        return CompareSetup(sources: sources, blind: blind, shuffleSeed: shuffleSeed)
    }

    /// The sources in pane order for the round under user turn `user`: letter order, or shuffled in blind mode
    /// (a Fisher–Yates shuffle driven by SplitMix64 of the seed and the turn, so each turn gets its own order).
    public func paneOrder(forTurn user: TurnID) -> [CompareSource] {
        guard blind else { return sources }
        var state = shuffleSeed &+ UInt64(truncatingIfNeeded: user) &* 0x9E37_79B9_7F4A_7C15
        /// SplitMix64's next value.
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var order = sources
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(index, Int(next() % UInt64(index + 1)))
        }
        return order
    }
}

/// How compare mode starts in every chat opened (from `dramatis chat --compare…`): source B answers as another
/// persona and/or with other sampling; without either it is a second candidate from the chat's own source.
public struct CompareChoice: Sendable, Hashable {
    /// The persona source B answers as (nil: the chat's).
    public var otherPersona: Persona?
    /// Sampling values source B uses instead of its persona's (unset fields keep them).
    public var samplingOverrides: SamplingParameters
    public var blind: Bool
    public var shuffleSeed: UInt64
    /// The configured backend source B streams from, and the model it asks for (nil: the chat's connection).
    public var backend: String?
    public var model: String?
    /// How many candidates from the chat's own source when no other source is chosen (two to four).
    public var candidates = 2
    /// Teacher/student mode: the teacher's letter, "A" (the chat's persona) or "B" (the compared one); nil: none.
    public var teacher: String?
    /// The local engine's adapter source B answers with (`dramatis chat --compare-adapter RUN|base`; nil: as the chat).
    public var adapter: CompareAdapterOption?

    public init(otherPersona: Persona? = nil, samplingOverrides: SamplingParameters = SamplingParameters(), blind: Bool = false,
                shuffleSeed: UInt64 = 0, backend: String? = nil, model: String? = nil) {
        self.backend = backend
        self.model = model
        self.otherPersona = otherPersona
        self.samplingOverrides = samplingOverrides
        self.blind = blind
        self.shuffleSeed = shuffleSeed
    }

    /// The setup for a chat on `conversation`: A is the chat's persona and sampling, B as chosen.
    public func setup(for conversation: Conversation) -> CompareSetup {
        setup(persona: conversation.persona, sampling: conversation.sampling)
    }

    /// The setup for conversations with `own` at `sampling` (e.g. every conversation of an autopilot run).
    public func setup(persona own: Persona, sampling: SamplingParameters) -> CompareSetup {
        let overridden = samplingOverrides != SamplingParameters()
        guard otherPersona != nil || overridden || backend != nil || adapter != nil else {
            return CompareSetup.candidates(of: own, sampling: sampling, count: candidates,
                                           blind: blind, shuffleSeed: shuffleSeed)
        }
        let persona = otherPersona ?? own
        let base = otherPersona?.sampling ?? sampling
        return CompareSetup(sources: [CompareSource(letter: "A", persona: own, sampling: sampling),
                                      CompareSource(letter: "B", persona: persona, model: model, sampling: base.overridden(by: samplingOverrides),
                                                    adapter: adapter?.unscaledChoice, backend: backend)],
                            blind: blind, shuffleSeed: shuffleSeed, teacher: teacher)
    }
}
