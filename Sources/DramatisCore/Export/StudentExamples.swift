/// Teacher/student compare mode's share of a conversation: the teacher's good replies as the student persona would
/// have been trained on them, and the teacher-vs-student preference pairs.
///
/// The student's view of a conversation is the conversation itself with the student as its persona (its system
/// prompt as snapshotted in the round; no few-shot examples, no greeting, which were the chat persona's) and only
/// the marks that make a teacher reply trainable: the good mark of the teacher's side of each teacher/student round
/// for that student (a win or a tie), and, in a round the teacher won ("teacher better"), the bad mark of the
/// student's side, so the round gives the preference pair chosen = teacher's reply, rejected = student's. Every other
/// mark is dropped, so no other pair and no other reply is trained on; the user turns and earlier replies on the
/// branch stay as context (weight 0 unless themselves a teacher's good reply). Its lines come from `DatasetExamples` /
/// `ExportFormat` like any conversation's (an identical teacher/student pair is withheld as any identical pair), so
/// the recorder and `dramatis export --persona STUDENT` write the same bytes.
public enum StudentExamples {
    /// The student personas that a teacher/student round of `conversation` names, other than its own persona
    /// (whose dataset already holds every decided reply), in id order.
    public static func studentPersonaIDs(in conversation: Conversation) -> [String] {
        let ids = conversation.turns.compactMap { $0.compare?.teacherSide == nil ? nil : $0.compare?.student?.persona }
        return Set(ids).subtracting([conversation.persona.id]).sorted()
    }

    /// `conversation` as seen by the student persona `studentID` (see the type's summary); nil when no
    /// teacher/student round of it names that student.
    public static func conversation(for studentID: String, from conversation: Conversation) -> Conversation? {
        guard studentID != conversation.persona.id else { return nil }
        let rounds = conversation.turns.compactMap(\.compare).filter { $0.student?.persona == studentID && $0.teacherSide != nil }
        guard let snapshot = rounds.last?.student else { return nil }
        let teacherReplies = Set(rounds.compactMap { $0.teacherSide?.reply })
        let beatenStudentReplies = Set(rounds.compactMap(studentSideBeaten))
        var view = conversation
        view.persona = Persona(id: studentID, name: studentID, systemPrompt: snapshot.systemPrompt,
                               training: ExampleSelection(fewShot: false, greeting: false, trainedReplies: .all,
                                                          includeReasoning: false))
        for turn in conversation.turns where turn.role == .assistant && turn.mark != nil {
            let keep = (teacherReplies.contains(turn.id) && turn.mark?.value == .good)
                || (beatenStudentReplies.contains(turn.id) && turn.mark?.value == .bad)
            if !keep { view.setMark(nil, on: turn.id, at: turn.mark?.at ?? conversation.createdAt) }
        }
        return view
    }

    /// The student's reply of a teacher/student round decided "teacher better" (the rejected side of its pair); nil
    /// for any other round or decision.
    static func studentSideBeaten(in round: CompareRound) -> TurnID? {
        guard let teacher = round.teacherSide, round.sides.count == 2, let decision = round.decision,
              decision.verdict == .better, decision.winner == teacher.source else { return nil }
        return round.sides.first { $0.source != teacher.source }?.reply
    }

    /// The conversation whose lines go into `personaID`'s dataset: `conversation` itself when it is that persona's,
    /// its student view when it names that persona as a student, else nil.
    public static func datasetView(of conversation: Conversation, for personaID: String) -> Conversation? {
        conversation.persona.id == personaID ? conversation : self.conversation(for: personaID, from: conversation)
    }
}
