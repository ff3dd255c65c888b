import Foundation

/// One way to run a turn for every caller (TUI, `ask`, replay, `doctor`): build the request, consume the
/// stream into the conversation, finish the reply with one policy (`TurnOutcome.reason`).
///
/// Retries live in the backend (one layer); they reach callers as `.retrying` events.
public struct TurnService: Sendable {
    public let backend: any ChatBackend

    public init(backend: any ChatBackend) {
        self.backend = backend
    }

    /// Which model a turn asks for: the one chosen explicitly (`--model`, the connected backend's choice)
    /// wins over the persona's; nil lets the backend use its default.
    public static func model(chosen: String?, persona: Persona) -> String? {
        chosen ?? persona.model
    }

    /// Starts an (incomplete) reply after `parent`, stamped with this backend, the model it is asked for, the
    /// sampling it is requested with (and the local engine's adapter that answers, if any), and returns it with the
    /// request that answers it.
    public func startReply(in conversation: inout Conversation, after parent: TurnID?, model: String?,
                           sampling: SamplingParameters, adapter: AdapterChoice? = nil,
                           at date: Date) -> (reply: TurnID, request: ChatRequest) {
        Self.startReply(in: &conversation, after: parent, backend: backend.descriptor.name, model: model,
                        answeringModel: model ?? backend.descriptor.model, sampling: sampling, adapterRun: adapter?.runID,
                        adapterScales: adapter?.scales, at: date)
    }

    /// The same, for a caller that holds no backend (the TUI's reducer, whose effect runner streams the request):
    /// the reply is stamped with `backend`, `answeringModel` and the training run `adapterRun`; the request asks for
    /// `model` (nil: the backend's default) with `adapterScales` (nil leaves them to the backend, e.g. an `AdapterSelectingBackend`);
    /// `speaker` sends another persona's preamble (a compare source answering as that persona).
    public static func startReply(in conversation: inout Conversation, after parent: TurnID?, backend: String, model: String?,
                                  answeringModel: String, sampling: SamplingParameters, adapterRun: String? = nil, adapterScales: [Double]? = nil,
                                  speaker: Persona? = nil, at date: Date) -> (reply: TurnID, request: ChatRequest) {
        let request = ChatRequest(model: model, messages: conversation.requestMessages(after: parent, as: speaker ?? conversation.persona),
                                  sampling: sampling,
                                  adapterScales: adapterScales)
        let reply = conversation.startReply(after: parent, backend: backend, model: answeringModel, adapter: adapterRun,
                                            sampling: sampling, at: date)
        return (reply, request)
    }

    /// Streams `request`, handing each event to `onEvent` as it arrives; never throws: a failure, or the
    /// task being cancelled, ends up in the outcome.
    public func stream(_ request: ChatRequest, onEvent: (ChatEvent) -> Void) async -> TurnOutcome {
        var outcome = TurnOutcome()
        do {
            for try await event in backend.stream(request) {
                outcome.note(event)
                onEvent(event)
            }
            if Task.isCancelled { outcome.cancelled = true }
        } catch where Task.isCancelled || error is CancellationError {
            outcome.cancelled = true
        } catch {
            outcome.error = error as? BackendError ?? BackendError(kind: .disconnected, message: "\(error)")
        }
        return outcome
    }

    /// Streams the `request.choices` replies of `request` (`ChatBackend.streamChoices`), handing each choice's events
    /// to `onEvent` with the choice's index as they arrive; never throws. A failure of the whole request becomes the
    /// error of every choice that had not finished (and `sharedFailure`); a failure of one choice only its own.
    /// Events of a choice the request did not ask for are ignored. `onEnd` hears of a choice that ended (its last
    /// event, the timing, arrived; or it failed alone) while the request goes on, with its outcome; the others end
    /// with the returned outcome.
    public func streamChoices(_ request: ChatRequest, onEvent: (Int, ChatEvent) -> Void,
                              onEnd: (Int, TurnOutcome) -> Void = { _, _ in }) async -> ChoicesOutcome {
        var outcome = ChoicesOutcome(choices: Array(repeating: TurnOutcome(), count: max(1, request.choices)))
        do {
            for try await item in backend.streamChoices(request) {
                guard outcome.choices.indices.contains(item.choice) else { continue }
                switch item {
                case .event(let index, let event):
                    outcome.choices[index].note(event)
                    onEvent(index, event)
                    if case .timing = event { onEnd(index, outcome.choices[index]) }
                case .failed(let index, let error):
                    outcome.choices[index].error = error
                    onEnd(index, outcome.choices[index])
                }
            }
            if Task.isCancelled { outcome.markCancelled() }
        } catch where Task.isCancelled || error is CancellationError {
            outcome.markCancelled()
        } catch {
            let failure = error as? BackendError ?? BackendError(kind: .disconnected, message: "\(error)")
            outcome.sharedFailure = failure
            for index in outcome.choices.indices where outcome.choices[index].reported == nil && outcome.choices[index].error == nil {
                outcome.choices[index].error = failure
            }
        }
        return outcome
    }

    /// The whole turn: starts the reply after `parent`, streams into it (calling `onEvent` after each event is
    /// recorded) and finishes it.
    public func run(in conversation: inout Conversation, after parent: TurnID?, model: String?,
                    sampling: SamplingParameters, adapter: AdapterChoice? = nil, at date: Date,
                    onEvent: (ChatEvent) -> Void = { _ in }) async -> (reply: TurnID, outcome: TurnOutcome) {
        let (reply, request) = startReply(in: &conversation, after: parent, model: model, sampling: sampling,
                                          adapter: adapter, at: date)
        let outcome = await stream(request) { event in
            conversation.apply(event, toReply: reply)
            onEvent(event)
        }
        conversation.finishReply(reply, outcome: outcome)
        return (reply, outcome)
    }

    /// A simulated user's turn, on this service's backend (make the service with `simulator.backend`): streams
    /// `simulator`'s view of the conversation (roles flipped) and, when it
    /// produced text, appends it as the next user message (origin `simulated`). Nothing is added after a failure,
    /// a cancellation or an empty answer; the outcome says which (an empty answer is reported as an error).
    public func runSimulatedUserTurn(in conversation: inout Conversation, simulator: UserSimulator, at date: Date,
                                     onEvent: (ChatEvent) -> Void = { _ in }) async -> (turn: TurnID?, outcome: TurnOutcome) {
        var text = ""
        var outcome = await stream(simulator.request(for: conversation)) { event in
            if case .delta(let piece) = event { text += piece }
            onEvent(event)
        }
        guard outcome.error == nil, !outcome.cancelled else { return (nil, outcome) }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            outcome.error = BackendError(kind: .malformedResponse, message: "the simulated user (\(simulator.persona.id)) wrote nothing")
            return (nil, outcome)
        }
        return (conversation.appendUserMessage(trimmed, origin: .simulated, simulatedBy: simulator.persona.id, at: date), outcome)
    }
}
