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
        let context = conversation.path(to: user).suffix(contextMessages).map { conversation[$0] }
        var text = Self.subjectText(subject, context: context)
        text += "\nWHICH REPLY TO THE LAST USER MESSAGE IS BETTER?\n"
        for (pane, side) in sides.enumerated() {
            text += "REPLY \(CompareRound.paneLetter(pane)):\n\(conversation[side.reply].historyText)\n\n"
        }
        text += Self.pairwiseAnswerFormat(candidates: sides.count)
        return request(text)
    }

    /// Asks the judge to compare the candidates of the round under `user`; never throws: a failure or a malformed
    /// answer becomes such a verdict (the raw answer kept, nothing guessed).
    public func preference(under user: TurnID, in conversation: Conversation, subject: Persona, at date: Date) async -> PairwiseVerdict {
        let candidates = conversation[user].compare?.sides.count ?? 0
        let (answer, modelName, failure) = await self.answer(to: pairwiseRequest(under: user, in: conversation, subject: subject))
        if let failure {
            return PairwiseVerdict(judge: persona.id, model: modelName, status: .failed, raw: answer, problem: failure, at: date)
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
