import DramatisCore

/// What the chat is doing right now (shown in the status line).
public enum ChatPhase: Sendable, Hashable {
    case idle
    /// Request sent, no text yet.
    case waiting
    /// Text is arriving.
    case streaming
    /// The last reply failed with this message.
    case error(String)
    /// The backend waits to send the request again (before any reply text); Esc stops the wait.
    case retrying(RetryNotice)

    /// Name shown in the status line.
    public var label: String {
        switch self {
        case .idle: "idle"
        case .waiting: "waiting"
        case .streaming: "streaming"
        case .error: "error"
        case .retrying(let notice): notice.statusText
        }
    }
}

/// Where keys go on the chat screen.
public enum ChatFocus: Sendable, Hashable {
    /// Typing into the input editor.
    case input
    /// Moving a cursor between messages to mark, edit, flip or regenerate them.
    case messages
}

/// What the input editor is currently editing, when it is not a new message.
public enum EditTarget: Sendable, Hashable {
    /// Rewriting a reply into the ideal answer.
    case reply(TurnID)
    /// Rewriting an earlier user message (starts a new branch).
    case userMessage(TurnID)
}

/// A reply being streamed: which request and which turn its text goes to.
public struct ActiveStream: Sendable, Hashable {
    public var id: Int
    public var turn: TurnID
}

/// Tokens and speed of the last finished reply.
public struct ReplyStats: Sendable, Hashable {
    public var completionTokens: Int?
    public var tokensPerSecond: Double?
}

/// The chat screen's state: the conversation and everything about how it is shown and edited.
public struct ChatState: Sendable, Hashable {
    public var conversation: Conversation
    /// The backend the chat talks to and the model it asks for: a reopened transcript continued with
    /// `--backend`/`--model` talks to those, not to the ones its file names.
    public var connection: BackendDescriptor
    public var phase: ChatPhase = .idle
    /// The replies streaming now: one, or one per side in compare mode.
    public var streams: [ActiveStream] = []
    /// The first streaming reply (the only one outside compare mode); setting it replaces every stream.
    public var stream: ActiveStream? {
        get { streams.first }
        set { streams = newValue.map { [$0] } ?? [] }
    }
    /// Compare mode: each user turn answered by every source side by side (nil: one reply per turn).
    public var compare: CompareSetup?
    /// The compare setup the chat key turns on (from `dramatis chat --compare…`, or the last one turned off).
    public var compareChoice: CompareSetup?
    /// The failure of a side in the compare round streaming now (shown once every side ended).
    public var compareFailure: String?
    /// The training runs the local engine was restarted with for compare sources (nil: as the persona connected,
    /// its own run or none).
    public var loadedAdapters: [AdapterRun]?
    public var focus: ChatFocus = .input
    /// The message cursor's turn (on the active branch); nil means the latest message.
    public var selectedTurn: TurnID?
    public var editor = InputEditor()
    public var editTarget: EditTarget?
    /// What was typed before an edit started (restored on cancel).
    public var draftBeforeEdit: String?
    /// Lines scrolled up from the bottom of the transcript.
    public var scrollOffset = 0
    /// Largest useful `scrollOffset`, as last measured by the renderer.
    public var maxScroll = Int.max
    public var lastReply: ReplyStats?
    /// Marks the recorder has confirmed durable.
    public var recordedMarks = 0
    /// The conversation's revision: bumped each time it is handed to the recorder (`ChatReducer.record`).
    public var revision = 0
    /// The latest revision the recorder reported durable.
    public var durableRevision = 0
    /// Writes asked for and not yet reported, by the content hash of the conversation written.
    public var pendingRecords: [Int: PendingRecord] = [:]
    /// The revision at which a turn's mark last changed, while it is not yet durable.
    public var markRevisions: [TurnID: Int] = [:]
    /// Where the recorder last said the transcript is.
    public var savedLocation: String?
    /// `hashValue` of the conversation as it is on disk (last recorded, or as opened); leaving a chat whose
    /// conversation still hashes to it does not write the transcript again.
    public var savedContentHash: Int?
    public var nextStreamID = 1
    /// Set while an interactive replay drives this chat (cleared when it is accepted).
    public var replay: ReplayProgress?
    /// During replay, whether the cursor is on the new reply or on the original beside it.
    public var comparisonSide = ComparisonSide.new
    /// A good mark waiting for y/n: the reply was cut off, is empty or refuses (`ReplyConcern`).
    public var pendingGoodMark: TurnID?
    /// Whether replies show their reasoning expanded (Ctrl-T); folded to one line by default.
    public var showsReasoning = false
    /// Whether each reply shows, under its header, the sampling it was requested with (F4).
    public var showsReplySampling = false
    /// The sampling panel (F3), while it is open.
    public var samplingPanel: SamplingPanelState?

    public init(conversation: Conversation) {
        self.conversation = conversation
        self.connection = conversation.backend
        self.recordedMarks = conversation.markCount
    }

    /// The turn the message cursor is on (falls back to the latest message of the branch).
    public var cursorTurn: TurnID? {
        let path = conversation.activePath
        if let selectedTurn, path.contains(selectedTurn) { return selectedTurn }
        return path.last
    }

    /// The reply that marks, edits and regenerations act on: the cursor's turn, or the original reply
    /// beside it when the cursor is on the original side of a comparison.
    public var cursorTarget: TurnID? {
        guard let turn = cursorTurn else { return nil }
        if comparisonSide == .original, let original = conversation.originalAlternative(of: turn) { return original }
        return turn
    }

    /// The latest assistant reply on the active branch: the default target of mark chords.
    public var latestReply: TurnID? {
        conversation.activePath.last { conversation[$0].role == .assistant }
    }

    /// Whether `turn`'s mark was changed in a revision the recorder has not reported durable yet.
    public func isMarkPending(_ turn: TurnID) -> Bool {
        (markRevisions[turn] ?? 0) > durableRevision
    }

    /// Whether every revision handed to the recorder is durable.
    public var isDurable: Bool { durableRevision == revision }

    /// Whether a reply is in flight.
    public var isGenerating: Bool { !streams.isEmpty }

    /// The user turn whose compare round waits for a decision: the latest one on the branch, once its replies
    /// ended, while compare mode is on and nothing is being rewritten. One key then decides (see `CompareReducer`);
    /// with compare mode off (F7), typing goes on and the round's replies are marked like any others.
    public var undecidedCompare: TurnID? {
        guard compare != nil, !isGenerating, editTarget == nil, let reply = conversation.activePath.last,
              let user = conversation.compareParent(of: reply), conversation[user].compare?.decision == nil else { return nil }
        return user
    }
}

/// A write of the conversation the recorder has not reported yet.
public struct PendingRecord: Sendable, Hashable {
    public var revision: Int
    /// Marks in the conversation written (what the status line counts once it is durable).
    public var markCount: Int
}
