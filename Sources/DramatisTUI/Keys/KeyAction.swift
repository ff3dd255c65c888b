/// Everything a key can do in the TUI. The reducers switch on these, never on literal keys;
/// `KeyBindings.table` says which keys trigger each action, where, and how help and hints describe it.
public enum KeyAction: String, Sendable, Hashable, CaseIterable {
    // Everywhere
    case showHelp
    case quit
    /// `?` opens the help unless it would be typed (a filter or the input holds text).
    case helpUnlessTyping

    // Help overlay
    case helpScrollUp, helpScrollDown, helpPageUp, helpPageDown, closeHelp

    // Lists (persona picker, transcript browser)
    case listUp, listDown, listPageUp, listPageDown, listFirst, listLast
    case filterInsert, filterDeleteBackward, filterClear
    case startChat, openBrowser
    case openTranscript, replayTranscript, clearFilterOrBack

    // Training from the chat
    case toggleTraining, useTunedModel

    // Dataset screen (F2 from the picker or the chat)
    case openDataset, openFindingSource, refreshDataset, closeDataset

    // Review queue (F3 from the picker)
    case openReviewQueue, reviewGood, reviewBad, reviewAcceptSuggestion, reviewEdit, reviewSkip, reviewBack, closeReviewQueue
    /// `+ - g e` on a compare item in the queue: says which keys decide it.
    case reviewCompareOnly

    // Chat, both focuses
    case stopReply
    case regenerateLatest, save, switchPersona, browseTranscripts
    /// Unfold or fold every reply's reasoning block.
    case toggleReasoning
    case scrollPageUp, scrollPageDown, wheelUp, wheelDown

    // Chat, typing
    case send, insertNewline, insertText
    case deleteBackward, deleteForward, characterBack, characterForward, lineStart, lineEnd
    case wordBack, wordForward, killToLineEnd, killToLineStart, deleteWordBackward
    case lineUpOrHistory, lineDownOrHistory, externalEditor
    case scrollToTop, followBottom, enterMessageCursor
    case markLatestGood, markLatestBad, clearLatestMark
    case previousAlternativeOfLatest, nextAlternativeOfLatest, editLatestReply

    // Rewriting a message (after `e` or Alt-E)
    case saveEdit, cancelEdit

    // Chat, message cursor
    case cursorPrevious, cursorNext, cursorFirst, cursorLast, cursorPageUp, cursorPageDown
    case markGood, markBad, clearMark, previousAlternative, nextAlternative
    /// Answers to the question a good mark on a doubtful reply asks.
    case confirmGoodMark, declineGoodMark
    case edit, regenerate, backToTyping

    // Sampling panel (F3 in the chat)
    /// Open the panel; show or hide the parameters each reply was requested with.
    case openSamplingPanel, toggleReplySampling
    case samplingPreviousField, samplingNextField, clearSamplingField
    /// Enter: the next replies use the values; Esc: closed unchanged; Ctrl-S: apply and write them into the persona file.
    case applySampling, cancelSampling, saveSamplingToPersona
    /// Compare mode: the panel edits the next / previous source's sampling.
    case samplingNextSide, samplingPreviousSide

    // Replay
    case replayNext, replayRunToEnd, replayToggleSide, replayKeep, replayStop, replayTypingRefused

    // Compare mode
    /// One key per decision on a waiting compare round.
    case compareABetter, compareBBetter, compareCBetter, compareDBetter, compareTie, compareBothBad, compareSkip
    /// Any other typed key while a round waits: says which keys decide.
    case compareDecideFirst
    /// The chat key: compare on, blind, off.
    case toggleCompare

    // Compare setup panel (F8 in the chat or the picker)
    /// Open the panel.
    case openCompareSetup
    case compareSetupPreviousField, compareSetupNextField
    /// Left/Right: the previous / next value of a choice row (in a text row: the cursor).
    case compareSetupPreviousChoice, compareSetupNextChoice
    case clearCompareSetupField
    /// Enter: compare on with the sources; Esc: closed unchanged.
    case applyCompareSetup, cancelCompareSetup
}
