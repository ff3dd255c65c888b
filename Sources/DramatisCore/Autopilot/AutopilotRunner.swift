import Foundation

/// Runs conversations that drive themselves: a user simulator or a prompt list writes the user turns, the
/// assistant persona answers through the one `TurnService`, M conversations with at most K at a time.
///
/// Each transcript is saved (through `save`) after every user turn and every reply, so a kill loses at most the
/// turn in flight. Every user turn records its origin (`simulated`, `listed`). With a judge, each reply gets a
/// verdict; marks are set only with `autoMark` (4–5 good, 1–2 bad, recorded as the judge's).
public struct AutopilotRunner: Sendable {
    /// The persona being built (answers as the assistant).
    public var persona: Persona
    public var backend: any ChatBackend
    /// Model to request; nil uses the persona's model, then the backend's default.
    public var model: String?
    /// Sampling for the assistant's replies.
    public var sampling: SamplingParameters
    public var userSide: AutopilotUserSide
    /// Conversations to run (with a prompt list: at most one per script).
    public var conversations: Int
    public var concurrency: Int
    public var judge: Judge?
    /// Mark replies as the judge's verdicts suggest (needs `judge`).
    public var autoMark: Bool
    /// Saves a transcript (a `TranscriptStore`, or a `Recorder` when marks must reach the datasets).
    public var save: @Sendable (Conversation) throws -> Void
    /// Clock for turn timestamps.
    public var now: @Sendable () -> Date

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil,
                userSide: AutopilotUserSide, conversations: Int, concurrency: Int = 1, judge: Judge? = nil, autoMark: Bool = false,
                save: @escaping @Sendable (Conversation) throws -> Void, now: @escaping @Sendable () -> Date = { Date() }) {
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling ?? persona.sampling
        self.userSide = userSide
        if case .prompts(let scripts) = userSide {
            self.conversations = max(0, min(conversations, scripts.count))
        } else {
            self.conversations = max(0, conversations)
        }
        self.concurrency = max(1, concurrency)
        self.judge = judge
        self.autoMark = autoMark && judge != nil
        self.save = save
        self.now = now
    }

    /// User turns planned for conversation `index`.
    public func plannedTurns(_ index: Int) -> Int {
        switch userSide {
        case .simulator(_, let turns): turns
        case .prompts(let scripts): scripts[index].prompts.count
        }
    }

    /// Runs every conversation; on cancellation stops starting new ones and ends running ones after their current request.
    public func run(progress: @escaping @Sendable (AutopilotProgress) -> Void = { _ in }) async -> AutopilotReport {
        var entries = [AutopilotReport.Entry?](repeating: nil, count: conversations)
        var completed = 0
        let total = conversations
        await withTaskGroup(of: (Int, AutopilotReport.Entry).self) { group in
            var next = 0
            func startNext() {
                guard next < total, !Task.isCancelled else { return }
                let index = next
                next += 1
                group.addTask { (index, await runOne(index, progress: progress)) }
            }
            for _ in 0..<min(concurrency, total) { startNext() }
            while let (index, entry) = await group.next() {
                entries[index] = entry
                completed += 1
                progress(.conversationFinished(index: index, entry: entry, completed: completed, total: total))
                startNext()
            }
        }
        let final = entries.enumerated().map { index, entry in
            entry ?? AutopilotReport.Entry(status: .skipped, error: "not started: the run was cancelled", plannedTurns: plannedTurns(index))
        }
        return AutopilotReport(entries: final, cancelled: Task.isCancelled || final.contains { $0.status == .cancelled })
    }

    /// One conversation, saved as it goes.
    private func runOne(_ index: Int, progress: @escaping @Sendable (AutopilotProgress) -> Void) async -> AutopilotReport.Entry {
        let started = now()
        let modelName = TurnService.model(chosen: model, persona: persona)
        var conversation = Conversation(
            id: TranscriptStore.newConversationID(personaID: persona.id, date: started), createdAt: started, persona: persona,
            backend: BackendDescriptor(name: backend.descriptor.name, kind: backend.descriptor.kind, model: modelName ?? backend.descriptor.model),
            sampling: sampling)
        let planned = plannedTurns(index)
        var entry = AutopilotReport.Entry(id: conversation.id, status: .ok, plannedTurns: planned)
        progress(.conversationStarted(index: index, id: conversation.id))
        let service = TurnService(backend: backend)
        /// Saves; a failing save ends the conversation (nothing more would be kept).
        func persist() -> Bool {
            do {
                try save(conversation)
                return true
            } catch {
                entry.status = .failed
                entry.error = "cannot save the transcript: \(error)"
                return false
            }
        }
        func retrying(_ event: ChatEvent) {
            if case .retrying(let notice) = event { progress(.retrying(index: index, delay: notice.delay, message: notice.message)) }
        }
        for turn in 0..<planned {
            if Task.isCancelled { entry.status = .cancelled; entry.error = "cancelled"; break }
            // The user's side.
            let userTurn: TurnID?
            switch userSide {
            case .prompts(let scripts):
                userTurn = conversation.appendUserMessage(scripts[index].prompts[turn], origin: .listed, at: now())
            case .simulator(let simulator, _):
                let (written, outcome) = await TurnService(backend: simulator.backend)
                    .runSimulatedUserTurn(in: &conversation, simulator: simulator, at: now(), onEvent: retrying)
                userTurn = written
                if written == nil {
                    entry.status = outcome.cancelled ? .cancelled : .failed
                    entry.error = outcome.cancelled ? "cancelled" : "user simulator: \(outcome.error?.message ?? "no answer")"
                }
            }
            guard let userTurn else { break }
            guard persist() else { break }
            // The assistant's reply.
            let (reply, outcome) = await service.run(in: &conversation, after: userTurn, model: modelName, sampling: sampling,
                                                     at: now(), onEvent: retrying)
            guard persist() else { break }
            if outcome.cancelled { entry.status = .cancelled; entry.error = "cancelled"; break }
            if let error = outcome.error { entry.status = .failed; entry.error = "assistant: \(error.message)"; break }
            entry.turns += 1
            if let judge {
                let verdict = await judge.verdict(on: reply, in: conversation, subject: persona, at: now())
                conversation.setVerdict(verdict, on: reply)
                switch verdict.status {
                case .scored: entry.scored += 1
                case .malformed: entry.malformed += 1
                case .failed: entry.judgeFailures += 1
                }
                if autoMark, verdict.suggestedMark != nil {
                    conversation.setJudgeMark(from: verdict, on: reply, at: now())
                    entry.marks += 1
                }
                guard persist() else { break }
            }
            progress(.turnFinished(index: index, turn: turn + 1, of: planned, reply: conversation[reply]))
        }
        return entry
    }
}
