import DramatisCore
import Foundation

/// Compare mode on the chat screen: a round of replies side by side for each user turn, one key per decision,
/// a side regenerated alone, and the key that turns compare mode on and off.
enum CompareReducer {
    /// A compare action; nil when it does not apply now (the key goes on).
    static func reduce(_ action: KeyAction, _ chat: inout ChatState, now: Date) -> ScreenResult? {
        switch action {
        case .compareABetter: return decide(&chat, .better, pane: 0, now: now)
        case .compareBBetter: return decide(&chat, .better, pane: 1, now: now)
        case .compareCBetter: return decide(&chat, .better, pane: 2, now: now)
        case .compareDBetter: return decide(&chat, .better, pane: 3, now: now)
        case .compareTie: return decide(&chat, .tie, now: now)
        case .compareBothBad: return decide(&chat, .bothBad, now: now)
        case .compareSkip: return decide(&chat, .skip, now: now)
        case .compareDecideFirst:
            guard chat.undecidedCompare != nil else { return nil }
            return .notice(.compareDecideFirst)
        case .toggleCompare:
            return toggle(&chat)
        default:
            return nil
        }
    }

    /// Starts one reply per source under the user turn `user`, in pane order (shuffled when blind); pane A's reply is
    /// selected until the decision. Candidates of one source (`CandidateChoices`) are asked for in one request, each
    /// choice streamed into its source's pane; other sources stream each on its own.
    static func startRound(_ chat: inout ChatState, after user: TurnID, now: Date) -> [Effect] {
        guard let setup = chat.compare else { return [] }
        var effects: [Effect] = []
        var sides: [CompareSide] = []
        chat.streams = []
        chat.compareFailure = nil
        let candidates = CandidateChoices.order(of: setup.sources)
        var begun: [String: (request: ChatRequest, stream: Int)] = [:]
        for source in setup.paneOrder(forTurn: user) {
            let (reply, request, stream) = beginSide(&chat, source, after: user, now: now)
            sides.append(CompareSide(reply: reply, source: source.letter, name: source.name,
                                     persona: source.persona.id == chat.conversation.persona.id ? nil : source.persona.id))
            begun[source.letter] = (request, stream)
            if candidates == nil { effects.append(streamEffect(source, stream, request)) }
        }
        if let candidates, let first = begun[candidates[0].letter] {
            // Choice k is the candidate with the base seed + k: its reply was started with that seed recorded.
            var request = first.request
            request.choices = candidates.count
            effects.append(.startChoices(ids: candidates.compactMap { begun[$0.letter]?.stream }, request: request,
                                         backend: candidates[0].backend))
        }
        chat.conversation.beginCompare(under: user, sides: sides, blind: setup.blind, teacher: setup.teacher,
                                       student: setup.studentSnapshot)
        chat.phase = .waiting
        chat.scrollOffset = 0
        if chat.focus == .messages { chat.selectedTurn = sides.first?.reply }
        return effects
    }

    /// Ctrl-R / `r` on a compare side: a new reply from the same source takes its pane (the old one stays an alternative).
    static func regenerateSide(_ chat: inout ChatState, _ reply: TurnID, now: Date) -> [Effect] {
        guard let setup = chat.compare, let user = chat.conversation.compareParent(of: reply),
              let side = chat.conversation[user].compare?.side(of: reply),
              let source = setup.sources.first(where: { $0.letter == side.source }) else {
            return ChatReducer.startReply(&chat, after: chat.conversation[reply].parent, now: now)
        }
        chat.compareFailure = nil
        let (new, effect) = startSide(&chat, source, after: user, now: now)
        chat.conversation.replaceCompareSide(reply, with: new)
        chat.phase = .waiting
        chat.scrollOffset = 0
        if chat.focus == .messages { chat.selectedTurn = new }
        return [effect]
    }

    /// Starts the reply of one source and its stream, on its own.
    private static func startSide(_ chat: inout ChatState, _ source: CompareSource, after user: TurnID, now: Date) -> (TurnID, Effect) {
        let (turn, request, stream) = beginSide(&chat, source, after: user, now: now)
        return (turn, streamEffect(source, stream, request))
    }

    /// The effect that streams one source's reply alone: on the chat's backend, or on the source's own.
    private static func streamEffect(_ source: CompareSource, _ id: Int, _ request: ChatRequest) -> Effect {
        if let backend = source.backend { return .startStreamOn(id: id, request: request, backend: backend) }
        return .startStream(id: id, request: request)
    }

    /// Starts the reply of one source (stamped with its sampling) and registers its stream; returns the reply, the
    /// request that answers it alone, and the stream id.
    private static func beginSide(_ chat: inout ChatState, _ source: CompareSource, after user: TurnID, now: Date) -> (TurnID, ChatRequest, Int) {
        let model = source.model ?? chat.connection.model
        let (turn, request) = TurnService.startReply(in: &chat.conversation, after: user, backend: source.backend ?? chat.connection.name,
                                                     model: model, answeringModel: model, sampling: source.sampling,
                                                     adapterRun: source.adapter.map(\.runID) ?? chat.conversation.persona.adapter,
                                                     adapterScales: source.adapter?.scales, speaker: source.persona, at: now)
        let id = chat.nextStreamID
        chat.nextStreamID += 1
        chat.streams.append(ActiveStream(id: id, turn: turn))
        return (turn, request, id)
    }

    /// One key decides the waiting round: marks and selection as `Conversation.decideCompare` says, recorded at
    /// once; "both bad" then opens the selected reply for rewriting into the ideal answer.
    private static func decide(_ chat: inout ChatState, _ verdict: CompareDecision.Verdict, pane: Int? = nil, now: Date) -> ScreenResult? {
        guard let user = chat.undecidedCompare, let round = chat.conversation[user].compare else { return nil }
        if let pane, !round.sides.indices.contains(pane) { return .notice(.compareNoSuchPane) }
        chat.conversation.decideCompare(under: user, verdict, winnerPane: pane, at: now)
        let effect = ChatReducer.record(&chat, .mark)
        for side in round.sides { chat.markRevisions[side.reply] = chat.revision }
        chat.selectedTurn = nil
        chat.focus = .input
        if verdict == .bothBad, let selected = chat.conversation[user].selectedChild {
            var result = ChatReducer.beginEdit(&chat, selected)
            result.effects.insert(effect, at: 0)
            result.notice = .show(.compareRewriteIdeal)
            return result
        }
        return ChatReducer.withheldNotice(chat.conversation, round.sides[0].reply, effects: [effect])
    }

    /// The chat key: off → compare (the chat's setup, or two candidates from its own source) → compare blind → off.
    private static func toggle(_ chat: inout ChatState) -> ScreenResult {
        guard !chat.isGenerating else { return .notice(.replyStillStreaming) }
        switch chat.compare {
        case nil:
            var setup = chat.compareChoice ?? CompareSetup.candidates(of: chat.conversation.persona, sampling: chat.conversation.sampling)
            setup.blind = false
            chat.compare = setup
            return .notice(.compareOn(sources: setup.sources.map { source in
                let role = setup.studentSource == nil ? "" : source.letter == setup.teacher ? " (teacher)" : " (student)"
                return "\(source.letter) = \(source.name)\(role)"
            }.joined(separator: ", ")))
        case let setup? where !setup.blind:
            chat.compare?.blind = true
            return .notice(.compareBlindOn)
        case let setup?:
            chat.compareChoice = setup
            chat.compare = nil
            return .notice(.compareOff)
        }
    }
}
