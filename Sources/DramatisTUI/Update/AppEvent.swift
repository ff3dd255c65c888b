import DramatisCore

/// Everything that can happen to the TUI: keys from the terminal and results of effects.
public enum AppEvent: Sendable, Hashable {
    case key(KeyEvent)
    /// The terminal changed size (render uses the new size; scrolling is re-clamped).
    case resize(width: Int, height: Int)
    /// The renderer measured how far the transcript can scroll.
    case transcriptMeasured(maxScroll: Int)
    case personasLoaded([PersonaListing])
    /// A chat is ready to show: a new conversation or a reopened transcript, and the backend it is connected
    /// to (nil: the conversation's own), which its replies are stamped with and whose model requests name.
    case chatReady(Conversation, connection: BackendDescriptor? = nil)
    /// A replay is ready: `original` is the transcript replayed, `conversation` the new one that replays it.
    case replayReady(original: Conversation, conversation: Conversation)
    /// Starting a chat or opening a transcript failed; the notice says why.
    case chatFailed(NoticeMessage)
    /// A piece of streamed reply text.
    case streamDelta(stream: Int, text: String)
    /// Anything else a stream reports before it ends: refusal or reasoning pieces, tool calls, retries.
    case streamEvent(stream: Int, event: ChatEvent)
    /// A stream ended normally.
    case streamFinished(stream: Int, reason: FinishReason, usage: TokenUsage?, timing: ReplyTiming?)
    /// A stream failed; text already received stays.
    case streamFailed(stream: Int, message: String)
    /// The recorder wrote the conversation durably; `location` is where the transcript is, `contentHash`
    /// the `hashValue` of the conversation it wrote.
    case recorded(location: String, reason: RecordReason, contentHash: Int)
    /// The recorder failed (nothing was lost in memory; the message says why).
    case recordFailed(String)
    /// `$EDITOR` returned this text (nil: unchanged or failed, with a message).
    case externalEditorFinished(text: String?, error: String?)
    case transcriptsLoaded([TranscriptRow])
    case transcriptsFailed(String)
    case trainingProgress(TrainingStatus)
    /// The trainer was stopped (`true`) while a reply streams, or continued (`false`).
    case trainingPaused(Bool)
    case trainingFinished(TrainedRun)
    case trainingFailed(String)
    /// The chat now talks to this backend, with this adapter (nil: the base model).
    case connectionChanged(BackendDescriptor, adapter: String?)
    case connectionFailed(String)
    /// "Save to persona" finished: written, already so, or no file to write into.
    case personaSamplingSaved(PersonaSamplingSaver.Outcome)
    /// "Save to persona" failed; the file was left as it was (the message says why).
    case personaSamplingFailed(String)
    case reviewQueueLoaded(ReviewQueueSnapshot)
    case reviewQueueFailed(String)
    /// Personas, backends and runs for the compare setup panel.
    case compareSetupOptionsLoaded(CompareSetupOptions)
    case datasetLoaded(DatasetOverview)
    case datasetFailed(personaID: String, message: String)
}
