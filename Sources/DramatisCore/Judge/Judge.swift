import Foundation

/// A judge persona (`role: judge`) on a backend: asks it to score one reply against its rubric and parses the answer strictly.
///
/// The request goes through the one `TurnService`. The judge's system prompt holds the rubric; Dramatis sends the
/// persona under test, the conversation before the reply, the reply, and the required answer format
/// (see `JudgeVerdictParser`). A malformed answer becomes a `.malformed` verdict holding the raw text.
public struct Judge: Sendable {
    public var persona: Persona
    public var backend: any ChatBackend
    /// Model to request; nil uses the judge persona's model, then the backend's default.
    public var model: String?
    /// Sampling sent; the judge persona's when nil.
    public var sampling: SamplingParameters?
    /// How many messages before the reply the judge sees (the newest ones).
    public var contextMessages: Int

    public init(persona: Persona, backend: any ChatBackend, model: String? = nil, sampling: SamplingParameters? = nil,
                contextMessages: Int = 6) {
        self.persona = persona
        self.backend = backend
        self.model = model
        self.sampling = sampling
        self.contextMessages = max(0, contextMessages)
    }

    /// The instruction closing every judge request; the parser accepts exactly this shape.
    public static let answerFormat = """
        Answer in exactly two lines and nothing else:
        SCORE: <a whole number from 1 (worst) to 5 (best)>
        REASON: <one short sentence>
        """

    /// The request asking the judge about `reply` in `conversation`, as the persona `subject` should have written it.
    public func request(reply: TurnID, in conversation: Conversation, subject: Persona) -> ChatRequest {
        let context = conversation.path(to: reply).dropLast()
        return request(Self.subjectText(subject, context: context.suffix(contextMessages).map { conversation[$0] })
                       + "\nREPLY TO JUDGE:\n\(conversation[reply].historyText)\n\n\(Self.answerFormat)")
    }

    /// The opening every judge request shares: the persona under test (name, system prompt, one example of its
    /// voice) and the conversation so far (`context`, oldest first).
    static func subjectText(_ subject: Persona, context: [Turn]) -> String {
        var text = "PERSONA UNDER TEST: \(subject.name)\n"
        text += "ITS SYSTEM PROMPT:\n\(subject.systemPrompt)\n"
        if let example = subject.examples.first {
            text += "AN EXAMPLE OF ITS VOICE:\nUser: \(example.user)\n\(subject.name): \(example.assistant)\n"
        }
        text += "\nCONVERSATION SO FAR:\n"
        text += context.isEmpty ? "(none)\n" : context.map { "\($0.role == .user ? "User" : subject.name): \($0.historyText)" }.joined(separator: "\n") + "\n"
        return text
    }

    /// The judge's request for one user message `text`: its persona's preamble (the rubric), its model and sampling.
    func request(_ text: String) -> ChatRequest {
        var messages = persona.preambleMessages
        messages.append(.user(text))
        return ChatRequest(model: TurnService.model(chosen: model, persona: persona), messages: messages,
                           sampling: sampling ?? persona.sampling)
    }

    /// What the judge answered to `request`: the text, the model that was asked, and why the answer cannot be used
    /// (the backend failed, or the stream was cancelled), if so.
    func answer(to request: ChatRequest) async -> (text: String, model: String, failure: String?) {
        var answer = ""
        let outcome = await TurnService(backend: backend).stream(request) { event in
            if case .delta(let text) = event { answer += text }
        }
        let failure = outcome.error?.message ?? (outcome.cancelled ? "cancelled" : nil)
        return (answer, request.model ?? backend.descriptor.model, failure)
    }

    /// Asks the judge about `reply`; never throws: a failure or a malformed answer becomes such a verdict.
    public func verdict(on reply: TurnID, in conversation: Conversation, subject: Persona, at date: Date) async -> JudgeVerdict {
        let (answer, modelName, failure) = await self.answer(to: request(reply: reply, in: conversation, subject: subject))
        if let failure {
            return JudgeVerdict(judge: persona.id, model: modelName, status: .failed, raw: answer, problem: failure, at: date)
        }
        switch JudgeVerdictParser.parse(answer) {
        case .success(let scored):
            return JudgeVerdict(judge: persona.id, model: modelName, status: .scored, score: scored.score, reason: scored.reason,
                                raw: answer, at: date)
        case .failure(let problem):
            return JudgeVerdict(judge: persona.id, model: modelName, status: .malformed, raw: answer, problem: problem.description, at: date)
        }
    }
}
