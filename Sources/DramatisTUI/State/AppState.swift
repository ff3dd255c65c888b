/// Which screen is showing.
public enum Screen: Sendable, Hashable {
    case picker
    case chat
    case browser
    /// A persona's dataset: counts, progress, tokens, cost, findings.
    case dataset
    /// Unreviewed replies one at a time (F3 from the picker).
    case reviewQueue
    /// A wait with a message (starting a backend, opening a transcript).
    case loading(String)
}

/// The whole TUI state. `Reducer.reduce` changes it; `Renderer.render` draws it.
public struct AppState: Sendable, Hashable {
    public var screen: Screen
    public var picker = PickerState()
    public var browser = BrowserState()
    public var chat: ChatState?
    /// Compare mode for every chat opened (from `dramatis chat --compare…`; nil: chats start with one reply per turn).
    public var compareChoice: CompareChoice?
    /// The compare setup panel (F8 in the chat or the picker), while it is open.
    public var compareSetupPanel: CompareSetupPanelState?
    /// The compare setup chosen in the picker's panel, for the chat it opens (used once).
    public var compareSetupForNextChat: CompareSetup?
    /// The dataset screen's state, while it is open.
    public var dataset: DatasetScreenState?
    /// The review queue's state, while it is open.
    public var reviewQueue: ReviewQueueState?
    /// A training run going on in the background (F5 in the chat).
    public var training: TrainingState?
    /// The newest run trained here, offered until used (F6 chats with it).
    public var trainedRun: TrainedRun?
    /// A transcript opened from the dataset screen: where its message cursor goes when it arrives.
    public var pendingFocus: PendingTurnFocus?
    public var showHelp = false
    /// First help line shown (the overlay scrolls when it does not fit).
    public var helpScroll = 0
    /// The terminal's size as the last resize reported it (the help's scrolling stops at its last line).
    public var terminalSize = TerminalSize(width: 80, height: 24)
    public var history = InputHistory()
    /// The first key of a chord, waiting for its second (Ctrl-X, then Ctrl-E opens $EDITOR).
    public var pendingChord: KeyEvent?
    /// A message for the picker or browser (e.g. why a chat could not start).
    public var notice: Notice?
    /// Set once quitting was requested; the loop ends after the quit effect.
    public var isQuitting = false

    public init(screen: Screen = .picker) {
        self.screen = screen
    }
}

/// A terminal's size in cells.
public struct TerminalSize: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
