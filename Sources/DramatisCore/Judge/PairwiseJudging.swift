import Foundation

extension Judge {
    /// The closing instruction of a pairwise request among `candidates` candidates; `PairwiseVerdictParser` accepts exactly this shape.
    public static func pairwiseAnswerFormat(candidates: Int) -> String {
        """
        Answer in exactly two lines and nothing else:
        PREFERENCE: <\(PairwiseVerdictParser.choices(candidates))>
        REASON: <one short sentence>
        """
    }

    /// The request asking the judge which candidate of the compare round under `user` better fits the persona `subject`.
    public func pairwiseRequest(under user: TurnID, in conversation: Conversation, subject: Persona) -> ChatRequest {
        let sides = conversation[user].compare?.sides ?? []
        var context = conversation.path(to: user).map { conversation[$0] }
        context = Array(context.suffix(contextMessages))
        var text = "PERSONA UNDER TEST: \(subject.name)\n"
        text += "ITS SYSTEM PROMPT:\n\(subject.systemPrompt)\n"
        if let example = subject.examples.first {
            text += "AN EXAMPLE OF ITS VOICE:\nUser: \(example.user)\n\(subject.name): \(example.assistant)\n"
        }
        text += "\nCONVERSATION SO FAR:\n"
        text += context.isEmpty ? "(none)\n" : context.map { "\($0.role == .user ? "User" : subject.name): \($0.historyText)" }.joined(separator: "\n") + "\n"
        text += "\nWHICH REPLY TO THE LAST USER MESSAGE IS BETTER?\n"
        for (pane, side) in sides.enumerated() {
            text += "REPLY \(CompareRound.paneLetter(pane)):\n\(conversation[side.reply].historyText)\n\n"
        }
        text += Self.pairwiseAnswerFormat(candidates: sides.count)
        var messages = persona.preambleMessages
        messages.append(.user(text))
        return ChatRequest(model: TurnService.model(chosen: model, persona: persona), messages: messages,
                           sampling: sampling ?? persona.sampling)
    }

    /// Asks the judge to compare the candidates of the round under `user`; never throws: a failure or a malformed
    /// answer becomes such a verdict (the raw answer kept, nothing guessed).
    public func preference(under user: TurnID, in conversation: Conversation, subject: Persona, at date: Date) async -> PairwiseVerdict {
        let request = pairwiseRequest(under: user, in: conversation, subject: subject)
        let candidates = conversation[user].compare?.sides.count ?? 0
        var answer = ""
        let outcome = await TurnService(backend: backend).stream(request) { event in
            if case .delta(let text) = event { answer += text }
        }
        let modelName = request.model ?? backend.descriptor.model
        if let error = outcome.error {
            return PairwiseVerdict(judge: persona.id, model: modelName, status: .failed, raw: answer, problem: error.message, at: date)
        }
        if outcome.cancelled {
            return PairwiseVerdict(judge: persona.id, model: modelName, status: .failed, raw: answer, problem: "cancelled", at: date)
        }
        switch PairwiseVerdictParser.parse(answer, candidates: candidates) {
        case .success(let parsed):
            return PairwiseVerdict(judge: persona.id, model: modelName, status: .scored, preferred: parsed.preference.letter,
                                   reason: parsed.reason, raw: answer, at: date)
        case .failure(let problem):
            return PairwiseVerdict(judge: persona.id, model: modelName, status: .malformed, raw: answer, problem: problem.description, at: date)
        }
    }
}
