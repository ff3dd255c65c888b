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
    /// Compare mode: each turn answered by every candidate as an undecided compare round (nil: one reply a turn).
    public var compare: AutopilotCompare?
    /// Saves a transcript (a `TranscriptStore`, or a `Recorder` when marks must reach the datasets).
    public var save: @Sendable (Conversation) throws -> Void
    /// Clock for turn timestamps.
    public var now: @Sendable () -> Date

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil,
                userSide: AutopilotUserSide, conversations: Int, concurrency: Int = 1, judge: Judge? = nil, autoMark: Bool = false,
                compare: AutopilotCompare? = nil, save: @escaping @Sendable (Conversation) throws -> Void, now: @escaping @Sendable () -> Date = { Date() }) {
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
        self.compare = compare
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

    /// Saves `conversation`; a failing save ends it (nothing more would be kept), recorded in `entry`.
    private func persist(_ conversation: Conversation, _ entry: inout AutopilotReport.Entry) -> Bool {
        do {
            try save(conversation)
            return true
        } catch {
            entry.status = .failed
            entry.error = "cannot save the transcript: \(error)"
            return false
        }
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
            guard persist(conversation, &entry) else { break }
            if let compare {
                // Every candidate answers; the round waits undecided for the review queue (or the judge's auto-mark).
                guard await answerCompared(compare, after: userTurn, in: &conversation, entry: &entry, retrying: retrying) else { break }
                progress(.turnFinished(index: index, turn: turn + 1, of: planned, reply: conversation[conversation[userTurn].selectedChild ?? userTurn]))
                continue
            }
            // The assistant's reply.
            let (reply, outcome) = await service.run(in: &conversation, after: userTurn, model: modelName, sampling: sampling,
                                                     at: now(), onEvent: retrying)
            guard persist(conversation, &entry) else { break }
            if outcome.cancelled { entry.status = .cancelled; entry.error = "cancelled"; break }
            if let error = outcome.error { entry.status = .failed; entry.error = "assistant: \(error.message)"; break }
            entry.turns += 1
            if let judge {
                let verdict = await judge.verdict(on: reply, in: conversation, subject: persona, at: now())
                conversation.setVerdict(verdict, on: reply)
                entry.count(verdict.status)
                if autoMark, verdict.suggestedMark != nil {
                    conversation.setJudgeMark(from: verdict, on: reply, at: now())
                    entry.marks += 1
                }
                guard persist(conversation, &entry) else { break }
            }
            progress(.turnFinished(index: index, turn: turn + 1, of: planned, reply: conversation[reply]))
        }
        return entry
    }

    /// The replies of every candidate to the user turn `user`, as compare sides in pane order (each saved as it ends):
    /// candidates of one source (same persona, backend and model, sampling apart from the seeds: `CandidateSeeds`) in
    /// one request with `n`, choice k into the candidate with seed base + k; others one after the other. Nil (the
    /// entry says why) when a reply failed or was cancelled.
    private func answerCandidates(_ compare: AutopilotCompare, after user: TurnID, in conversation: inout Conversation,
                                  entry: inout AutopilotReport.Entry, retrying: (ChatEvent) -> Void) async -> [CompareSide]? {
        let candidates = compare.candidates
        let first = candidates[0]
        let oneSource = candidates.allSatisfy {
            $0.persona == first.persona && $0.backend.descriptor == first.backend.descriptor && $0.model == first.model
        }
        let choiceOrder = oneSource ? CandidateSeeds.choiceOrder(candidates.map(\.sampling)) : nil
        var replies: [Int: TurnID] = [:]
        var outcomes: [Int: TurnOutcome] = [:]
        var requests: [Int: ChatRequest] = [:]
        for index in compare.paneOrder(user) {
            let candidate = candidates[index]
            let (reply, request) = TurnService.startReply(
                in: &conversation, after: user, backend: candidate.backend.descriptor.name, model: candidate.model,
                answeringModel: candidate.model ?? candidate.backend.descriptor.model, sampling: candidate.sampling,
                speaker: candidate.persona.id == persona.id ? nil : candidate.persona, at: now())
            replies[index] = reply
            requests[index] = request
            if choiceOrder != nil { continue }
            let outcome = await TurnService(backend: candidate.backend).stream(request) { event in
                conversation.apply(event, toReply: reply)
                retrying(event)
            }
            conversation.finishReply(reply, outcome: outcome)
            outcomes[index] = outcome
            guard persist(conversation, &entry), checked(outcome, candidate, &entry) else { return nil }
        }
        if let choiceOrder, var request = requests[choiceOrder[0]] {
            request.choices = choiceOrder.count
            let together = await TurnService(backend: first.backend).streamChoices(request) { choice, event in
                if let reply = replies[choiceOrder[choice]] { conversation.apply(event, toReply: reply) }
                retrying(event)
            }
            for (choice, index) in choiceOrder.enumerated() {
                if let reply = replies[index] { conversation.finishReply(reply, outcome: together.choices[choice]) }
                outcomes[index] = together.choices[choice]
            }
            guard persist(conversation, &entry) else { return nil }
            for index in compare.paneOrder(user) {
                guard let outcome = outcomes[index], checked(outcome, candidates[index], &entry) else { return nil }
            }
        }
        return compare.paneOrder(user).compactMap { index in
            let candidate = candidates[index]
            return replies[index].map {
                CompareSide(reply: $0, source: candidate.letter, name: candidate.name,
                            persona: candidate.persona.id == persona.id ? nil : candidate.persona.id)
            }
        }
    }

    /// Whether a candidate's reply ended well; otherwise the entry says it was cancelled or failed.
    private func checked(_ outcome: TurnOutcome, _ candidate: AutopilotCandidate, _ entry: inout AutopilotReport.Entry) -> Bool {
        if outcome.cancelled { entry.status = .cancelled; entry.error = "cancelled"; return false }
        if let error = outcome.error {
            entry.status = .failed
            entry.error = "assistant (candidate \(candidate.letter)): \(error.message)"
            return false
        }
        return true
    }

    /// Answers the user turn `user` with every candidate (see `answerCandidates`), records the undecided compare round
    /// (pane A selected, so the conversation continues from it), then asks the judge for a pairwise verdict and, with
    /// `autoMark`, decides the round as the judge prefers. False ends the conversation.
    private func answerCompared(_ compare: AutopilotCompare, after user: TurnID, in conversation: inout Conversation,
                                entry: inout AutopilotReport.Entry, retrying: (ChatEvent) -> Void) async -> Bool {
        guard let sides = await answerCandidates(compare, after: user, in: &conversation, entry: &entry, retrying: retrying) else {
            return false
        }
        conversation.beginCompare(under: user, sides: sides, blind: compare.blind)
        guard persist(conversation, &entry) else { return false }
        entry.turns += 1
        guard let judge else { return true }
        let verdict = await judge.preference(under: user, in: conversation, subject: persona, at: now())
        conversation.setCompareJudgement(verdict, under: user)
        entry.count(verdict.status)
        if autoMark, let preference = verdict.preference {
            switch preference {
            case .tie: conversation.decideCompare(under: user, .tie, at: now(), judge: judge.persona.id)
            case .better(let pane): conversation.decideCompare(under: user, .better, winnerPane: pane, at: now(), judge: judge.persona.id)
            }
            entry.marks += sides.count
        }
        return persist(conversation, &entry)
    }
}
