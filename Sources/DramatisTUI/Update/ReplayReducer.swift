import DramatisCore
import Foundation

/// The replay's keys on the chat screen (n, N, a, x, Left/Right) and its advance from turn to turn.
enum ReplayReducer {
    /// A replay action; nil lets the message cursor handle the key (Left/Right where there is no original).
    static func reduce(_ action: KeyAction, _ chat: inout ChatState, now: Date) -> ScreenResult? {
        guard let replay = chat.replay else { return nil }
        switch action {
        case .replayNext:
            if chat.isGenerating { return .notice(.replyStillStreaming) }
            if replay.isComplete { return .notice(.replayAlreadyComplete) }
            return .clearingNotice(advance(&chat, now: now))
        case .replayRunToEnd:
            chat.replay?.runsToEnd = true
            return .clearingNotice(chat.isGenerating ? [] : advance(&chat, now: now))
        case .replayKeep:
            if chat.isGenerating { return .notice(.replyStillStreaming) }
            chat.replay = nil
            chat.comparisonSide = .new
            chat.focus = .input
            chat.selectedTurn = nil
            return .notice(.replayKept(id: chat.conversation.id))
        case .replayStop:
            let done = replay.nextIndex - (chat.isGenerating ? 1 : 0)
            chat.replay = nil
            return ScreenResult(effects: ChatReducer.stopAndSave(&chat),
                                notice: .show(.replayStopped(done: done, total: replay.steps.count, id: chat.conversation.id)),
                                transition: .browser)
        case .replayToggleSide:
            guard let turn = chat.cursorTurn, chat.conversation.originalAlternative(of: turn) != nil else { return nil }
            chat.comparisonSide = chat.comparisonSide == .new ? .original : .new
            return ScreenResult.none
        case .replayTypingRefused:
            return .notice(.replayKeys)
        default:
            return nil
        }
    }

    /// Starts a replay in a new chat: the cursor on the messages, the first turn sent.
    static func start(original: Conversation, _ chat: inout ChatState, now: Date) -> ScreenResult {
        chat.replay = ReplayProgress(original: original)
        chat.focus = .messages
        let notice: NoticeUpdate = chat.replay?.steps.isEmpty == true ? .show(.replayHasNoUserMessages(id: original.id)) : .clear
        return ScreenResult(effects: advance(&chat, now: now), notice: notice)
    }

    /// Sends the replay's next user turn: the new reply streams in, the original reply sits beside it.
    static func advance(_ chat: inout ChatState, now: Date) -> [Effect] {
        guard var replay = chat.replay, !replay.isComplete, !chat.isGenerating else { return [] }
        let step = replay.steps[replay.nextIndex]
        replay.nextIndex += 1
        chat.replay = replay
        let user = chat.conversation.appendUserMessage(step.userText, origin: .replayed, at: now)
        let effects = ChatReducer.startReply(&chat, after: user, now: now)
        if let original = step.originalReply { chat.conversation.addOriginalReply(original, under: user, at: now) }
        chat.selectedTurn = chat.stream?.turn
        chat.comparisonSide = .new
        return effects
    }
}
