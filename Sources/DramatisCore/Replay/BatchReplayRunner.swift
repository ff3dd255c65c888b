import Foundation

/// Progress of a batch replay, for a progress bar or plain log lines.
public enum BatchReplayProgress: Sendable {
    /// A transcript started replaying (position in the input list).
    case transcriptStarted(index: Int, source: String)
    /// A turn of a transcript finished.
    case turnFinished(index: Int, turn: Int, of: Int)
    /// A rate limit pauses a transcript.
    case retrying(index: Int, delay: Double, message: String)
    /// A transcript is done (any status).
    case transcriptFinished(index: Int, entry: ReplayReport.Entry, completed: Int, total: Int)
}

/// What a batch replay needs to replay one transcript: today's persona and a backend for it.
public struct ReplaySetup: Sendable {
    public var persona: Persona
    public var backend: any ChatBackend
    public var model: String?
    /// Sampling to send; the persona's when nil.
    public var sampling: SamplingParameters?
    /// The local engine's adapter that answers (nil: the base model).
    public var adapter: AdapterChoice?

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil,
                adapter: AdapterChoice? = nil) {
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling
        self.adapter = adapter
    }
}

/// Replays many transcripts with bounded concurrency, saving each new transcript; one failure never stops the rest.
public struct BatchReplayRunner: Sendable {
    /// Where new transcripts are written.
    public var output: TranscriptStore
    public var concurrency: Int
    /// Chooses persona and backend for a loaded original (throws to fail just that transcript).
    public var setup: @Sendable (Conversation) async throws -> ReplaySetup
    /// Scores every old and new reply against today's persona (`replay --judge`); nil: no judging.
    public var judge: Judge?

    public init(output: TranscriptStore, concurrency: Int = 2, judge: Judge? = nil,
                setup: @escaping @Sendable (Conversation) async throws -> ReplaySetup) {
        self.judge = judge
        self.output = output
        self.concurrency = max(1, concurrency)
        self.setup = setup
    }

    /// Replays every file; on cancellation stops starting new ones, ends running ones cleanly, reports what exists.
    public func run(_ sources: [URL], progress: @escaping @Sendable (BatchReplayProgress) -> Void = { _ in }) async -> ReplayReport {
        let startedAt = Date()
        let loader = TranscriptStore(directory: output.directory)
        var entries = [ReplayReport.Entry?](repeating: nil, count: sources.count)
        var completed = 0
        await withTaskGroup(of: (Int, ReplayReport.Entry).self) { group in
            var next = 0
            func startNext() {
                guard next < sources.count, !Task.isCancelled else { return }
                let index = next
                next += 1
                group.addTask { (index, await replayOne(sources[index], index: index, loader: loader, progress: progress)) }
            }
            for _ in 0..<min(concurrency, sources.count) { startNext() }
            while let (index, entry) = await group.next() {
                entries[index] = entry
                completed += 1
                progress(.transcriptFinished(index: index, entry: entry, completed: completed, total: sources.count))
                startNext()
            }
        }
        let cancelled = Task.isCancelled
        let finalEntries = entries.enumerated().map { index, entry in
            entry ?? ReplayReport.Entry(source: sources[index].path, status: .skipped, error: "not started: the run was cancelled")
        }
        return ReplayReport(startedAt: startedAt, finishedAt: Date(), cancelled: cancelled || finalEntries.contains { $0.status == .cancelled },
                            entries: finalEntries)
    }

    private func replayOne(_ source: URL, index: Int, loader: TranscriptStore,
                           progress: @escaping @Sendable (BatchReplayProgress) -> Void) async -> ReplayReport.Entry {
        progress(.transcriptStarted(index: index, source: source.path))
        let original: Conversation
        do {
            original = try loader.load(source)
        } catch {
            return ReplayReport.Entry(source: source.path, status: .failed, error: "\(error)")
        }
        let chosen: ReplaySetup
        do {
            chosen = try await setup(original)
        } catch {
            return ReplayReport.Entry(source: source.path, originalID: original.id, status: .failed, error: "\(error)")
        }
        var engine = ReplayEngine(persona: chosen.persona, backend: chosen.backend, model: chosen.model,
                                  sampling: chosen.sampling)
        engine.adapter = chosen.adapter
        let store = output
        let outcome = await engine.run(original) { event in
            switch event {
            case .replyFinished(let result, let conversation):
                // Saved after every turn, so a crash or Ctrl-C keeps what was replayed.
                try? store.save(conversation)
                progress(.turnFinished(index: index, turn: result.index + 1, of: ReplayEngine.userTurns(of: original).count))
            case .retrying(_, _, let delay, let message):
                progress(.retrying(index: index, delay: delay, message: message))
            default:
                break
            }
        }
        var conversation = outcome.conversation
        var turns = outcome.turns
        if let judge, !outcome.cancelled {
            // The old reply is judged where it stood in the original, the new one in the new transcript, both
            // against today's persona; the new reply's verdict is stored on it.
            for position in turns.indices where !Task.isCancelled {
                let result = turns[position]
                if let old = result.originalReplyTurn {
                    turns[position].oldVerdict = await judge.verdict(on: old, in: original, subject: chosen.persona, at: Date())
                }
                if result.error == nil, conversation.turns.indices.contains(result.newReplyTurn) {
                    let verdict = await judge.verdict(on: result.newReplyTurn, in: conversation, subject: chosen.persona, at: Date())
                    turns[position].newVerdict = verdict
                    conversation.setVerdict(verdict, on: result.newReplyTurn)
                }
            }
        }
        var saveError: String?
        do {
            try store.save(conversation)
        } catch {
            saveError = "cannot save the new transcript: \(error)"
        }
        let status: ReplayReport.Status = outcome.cancelled ? .cancelled : (outcome.error != nil || saveError != nil ? .failed : .ok)
        var entry = ReplayReport.Entry(
            source: source.path, originalID: original.id, newID: conversation.id,
            newPath: store.url(for: conversation.id).path, persona: chosen.persona.id,
            backend: conversation.backend.name, model: conversation.backend.model, status: status,
            error: outcome.error ?? saveError ?? (outcome.cancelled ? "cancelled" : nil),
            userTurns: outcome.totalUserTurns, turns: turns)
        if judge != nil { entry.judged = JudgedWinRate(turns: turns) }
        return entry
    }
}
