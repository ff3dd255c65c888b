/// Where a key binding applies. The app reducer lists the active contexts, most specific first;
/// a key goes to the first binding that matches in that order (see `KeyBindings.actions`).
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case everywhere
    case help
    case picker
    case browser
    /// The dataset screen (F2 from the picker or the chat).
    case dataset
    /// The review queue (F3 from the picker).
    case reviewQueue
    /// The review queue showing a compare round (A/B/tie), in front of the queue's keys.
    case reviewCompare
    /// While a reply streams (in front of the chat's other contexts).
    case streaming
    /// Rewriting a reply into the ideal answer (`e` on a reply, Alt-E).
    case rewritingReply
    /// Rewriting an earlier user message into a new branch (`e` on a user message).
    case rewritingMessage
    case replay
    case messageCursor
    case chatInput
    /// The chat screen in either focus.
    case chat
    /// A good mark on a doubtful reply waits for y (any other key cancels); in front of every chat context.
    case confirmingMark
    /// The sampling panel (F3) is open over the chat; in front of every chat context.
    case samplingPanel
    /// A compare round's replies ended and wait for one decision key (in front of typing).
    case comparing
    /// The compare setup panel (F8) is open over the chat or the picker; in front of their contexts.
    case compareSetupPanel

    /// Section title in the help overlay and `docs/tui.md`.
    public var title: String {
        switch self {
        case .everywhere: "Everywhere"
        case .help: "Help overlay"
        case .picker: "Persona picker"
        case .browser: "Transcript browser"
        case .dataset: "Dataset screen (F2 from the picker or the chat)"
        case .reviewQueue: "Review queue (F3 from the picker)"
        case .reviewCompare: "Review queue, a compare item (A/B/tie)"
        case .streaming: "While a reply streams"
        case .rewritingReply: "Rewriting a reply (e on a reply, Alt-E)"
        case .rewritingMessage: "Rewriting a user message (e on it)"
        case .replay: "Replay (from the browser's Ctrl-R)"
        case .messageCursor: "Message cursor (Tab, or Esc when idle)"
        case .chatInput: "Chat, typing (input editor)"
        case .chat: "Chat"
        case .confirmingMark: "Confirming a good mark on a cut-off, empty or refusing reply"
        case .samplingPanel: "Sampling panel (F3 in the chat)"
        case .comparing: "Compare mode, a round waiting for its decision (F7 in the chat)"
        case .compareSetupPanel: "Compare setup panel (F8 in the chat or the picker)"
        }
    }
}

/// Which hints the bottom line shows: one mode per situation the user can be in.
public enum HintMode: Sendable, Hashable, CaseIterable {
    case picker, browser, dataset, reviewQueue, reviewCompare, loading
    case typing, streaming, rewritingReply, rewritingMessage, messageCursor, confirmingMark, samplingPanel, comparing
    /// The compare setup panel (F8), over the chat or the picker.
    case compareSetupPanel
    /// The sampling panel open in compare mode (its side key applies).
    case samplingPanelCompare
    case replayPaused, replayStreaming, replayFinished

    /// The mode for a state.
    public static func of(_ state: AppState) -> HintMode {
        if state.compareSetupPanel != nil, state.screen == .chat || state.screen == .picker { return .compareSetupPanel }
        switch state.screen {
        case .picker: return .picker
        case .browser: return .browser
        case .dataset: return .dataset
        case .reviewQueue: return state.reviewQueue?.currentIsCompare == true ? .reviewCompare : .reviewQueue
        case .loading: return .loading
        case .chat: break
        }
        guard let chat = state.chat else { return .loading }
        if chat.pendingGoodMark != nil { return .confirmingMark }
        if chat.samplingPanel != nil { return chat.compare == nil ? .samplingPanel : .samplingPanelCompare }
        switch chat.editTarget {
        case .reply?: return .rewritingReply
        case .userMessage?: return .rewritingMessage
        case nil: break
        }
        if let replay = chat.replay {
            if chat.isGenerating { return .replayStreaming }
            return replay.isComplete ? .replayFinished : .replayPaused
        }
        if chat.isGenerating { return .streaming }
        if chat.focus == .input, chat.undecidedCompare != nil { return .comparing }
        return chat.focus == .messages ? .messageCursor : .typing
    }
}
