/// The one table of key bindings. The reducers dispatch on its actions; the help overlay (F1), the hint
/// line and the key tables in `docs/tui.md` are generated from it.
///
/// Adding a key is one entry here plus the action's case in `KeyAction` and its handling in the
/// reducer of its screen. Order matters twice: within a context, earlier entries win (exact keys before
/// wildcards), and hints and help list entries in table order.
public enum KeyBindings {
    private static func key(_ event: KeyEvent) -> KeyPattern { .key(event) }
    private static func chars(_ characters: String) -> [KeyPattern] { characters.map { .key(.character($0)) } }

    public static let table: [KeyBinding] = [
        // Help overlay (F1): scrolls; any other key closes it.
        KeyBinding(.helpScrollUp, [key(.up), key(.wheelUp)], in: [.help], help: "scroll the help up"),
        KeyBinding(.helpScrollDown, [key(.down), key(.wheelDown)], in: [.help], help: "scroll the help down"),
        KeyBinding(.helpPageUp, [key(.pageUp)], in: [.help], help: "scroll up a page"),
        KeyBinding(.helpPageDown, [key(.pageDown)], in: [.help], help: "scroll down a page"),
        KeyBinding(.closeHelp, [.anyKey], in: [.help], help: "close the help"),

        // Lists: the persona picker and the transcript browser.
        KeyBinding(.listUp, [key(.up), key(.control("p"))], in: [.picker, .browser], help: "move up",
                   hint: Hint("move", priority: 2, in: [.picker, .browser], keys: "↑↓")),
        KeyBinding(.listDown, [key(.down), key(.control("n"))], in: [.picker, .browser], help: "move down"),
        KeyBinding(.listPageUp, [key(.pageUp)], in: [.picker, .browser], help: "move up a page"),
        KeyBinding(.listPageDown, [key(.pageDown)], in: [.picker, .browser], help: "move down a page"),
        KeyBinding(.listFirst, [key(.home)], in: [.picker, .browser], help: "first row"),
        KeyBinding(.listLast, [key(.end)], in: [.picker, .browser], help: "last row"),

        // Dataset screen.
        KeyBinding(.listUp, [key(.up)] + chars("k"), in: [.dataset], help: "previous finding or example",
                   hint: Hint("move", priority: 2, in: [.dataset], keys: "↑↓")),
        KeyBinding(.listDown, [key(.down)] + chars("j"), in: [.dataset], help: "next finding or example"),
        KeyBinding(.listPageUp, [key(.pageUp)], in: [.dataset], help: "ten rows up"),
        KeyBinding(.listPageDown, [key(.pageDown)], in: [.dataset], help: "ten rows down"),
        KeyBinding(.listFirst, [key(.home)], in: [.dataset], help: "first row"),
        KeyBinding(.listLast, [key(.end)], in: [.dataset], help: "last row"),
        KeyBinding(.openFindingSource, [key(.enter)], in: [.dataset],
                   help: "open its conversation at its turn (to re-mark, edit or unmark it)",
                   hint: Hint("open source turn", priority: 1, in: [.dataset])),
        KeyBinding(.refreshDataset, [key(.control("r"))] + chars("r"), in: [.dataset], help: "compute the numbers again",
                   hint: Hint("refresh", priority: 4, in: [.dataset])),
        KeyBinding(.closeDataset, [key(.escape), key(.function(2))] + chars("q"), in: [.dataset],
                   help: "back to the chat or the picker", hint: Hint("back", priority: 3, in: [.dataset], keys: "Esc")),
        KeyBinding(.helpUnlessTyping, chars("?"), in: [.dataset], help: "this help"),
        // Review queue, a compare item: the compare keys, decided through the same path as in the chat.
        KeyBinding(.compareABetter, chars("aA1"), in: [.reviewCompare],
                   help: "A better: marked good, the others bad (a preference pair each), and go on",
                   hint: Hint("A/B better", priority: 1, in: [.reviewCompare], keys: "a/b")),
        KeyBinding(.compareBBetter, chars("bB2"), in: [.reviewCompare], help: "B better: marked good, the others bad, and go on"),
        KeyBinding(.compareCBetter, chars("cC3"), in: [.reviewCompare], help: "C better (three or four candidates)"),
        KeyBinding(.compareDBetter, chars("dD4"), in: [.reviewCompare], help: "D better (four candidates)"),
        KeyBinding(.compareTie, chars("tT="), in: [.reviewCompare], help: "tie: every candidate good (an SFT example each)",
                   hint: Hint("tie", priority: 2, in: [.reviewCompare], keys: "t")),
        KeyBinding(.compareBothBad, chars("xX"), in: [.reviewCompare],
                   help: "both bad: all marked bad, then rewrite candidate A into the ideal answer in $EDITOR (chosen against all)",
                   hint: Hint("both bad", priority: 2, in: [.reviewCompare], keys: "x")),
        KeyBinding(.reviewAcceptSuggestion, [key(.enter)], in: [.reviewCompare],
                   help: "take the judge's pairwise preference (A, B or tie) and go on",
                   hint: Hint("judge's pick", priority: 2, in: [.reviewCompare])),
        KeyBinding(.reviewBack, [key(.left), key(.backspace)], in: [.reviewCompare], help: "back to the previous item (b is B here)",
                   hint: Hint("back", priority: 4, in: [.reviewCompare], keys: "←")),
        KeyBinding(.reviewCompareOnly, chars("+-ge"), in: [.reviewCompare],
                   help: "(a compare item is decided with a/b/t/x: says so)"),
        // Review queue: one key per decision.
        KeyBinding(.reviewGood, chars("+=g"), in: [.reviewQueue], help: "mark the reply good (into the dataset at once) and go on",
                   hint: Hint("good/bad", priority: 1, in: [.reviewQueue], keys: "+/-")),
        KeyBinding(.reviewBad, chars("-"), in: [.reviewQueue], help: "mark the reply bad and go on"),
        KeyBinding(.reviewAcceptSuggestion, [key(.enter)], in: [.reviewQueue], help: "take the judge's suggestion (4–5 good, 1–2 bad) and go on",
                   hint: Hint("judge's mark", priority: 2, in: [.reviewQueue])),
        KeyBinding(.reviewEdit, chars("e"), in: [.reviewQueue],
                   help: "rewrite the reply into the ideal answer in $EDITOR (marked good; the reply marked bad)",
                   hint: Hint("edit", priority: 3, in: [.reviewQueue])),
        KeyBinding(.reviewSkip, [key(.right)] + chars("s"), in: [.reviewQueue], help: "skip: leave it unmarked and go on",
                   hint: Hint("skip", priority: 3, in: [.reviewQueue, .reviewCompare], keys: "s")),
        KeyBinding(.reviewBack, [key(.left), key(.backspace)] + chars("b"), in: [.reviewQueue], help: "back to the previous reply",
                   hint: Hint("back", priority: 4, in: [.reviewQueue], keys: "b")),
        KeyBinding(.closeReviewQueue, [key(.escape), key(.function(3))] + chars("q"), in: [.reviewQueue],
                   help: "leave (the queue remembers where you stopped)", hint: Hint("leave", priority: 4, in: [.reviewQueue, .reviewCompare], keys: "Esc")),
        KeyBinding(.helpUnlessTyping, chars("?"), in: [.reviewQueue], help: "this help"),
        KeyBinding(.startChat, [key(.enter)], in: [.picker], help: "chat with the persona",
                   hint: Hint("chat", priority: 1, in: [.picker])),
        KeyBinding(.openTranscript, [key(.enter)], in: [.browser], help: "continue the conversation",
                   hint: Hint("open", priority: 1, in: [.browser])),
        KeyBinding(.replayTranscript, [key(.control("r"))], in: [.browser],
                   help: "replay it against today's persona and backend", hint: Hint("replay", priority: 2, in: [.browser])),
        KeyBinding(.helpUnlessTyping, chars("?"), in: [.picker, .browser], help: "this help (when the filter is empty)"),
        KeyBinding(.filterInsert, [.anyCharacter, .anyPaste], in: [.picker, .browser], help: "filter the list",
                   hint: Hint("to filter", priority: 4, in: [.picker, .browser], keys: "type")),
        KeyBinding(.filterDeleteBackward, [key(.backspace)], in: [.picker, .browser], help: "delete the filter's last character"),
        KeyBinding(.filterClear, [key(.escape), key(.control("u"))], in: [.picker], help: "clear the filter"),
        KeyBinding(.filterClear, [key(.control("u"))], in: [.browser], help: "clear the filter"),
        KeyBinding(.clearFilterOrBack, [key(.escape)], in: [.browser], help: "clear the filter, then back to the picker",
                   hint: Hint("back", priority: 3, in: [.browser])),
        KeyBinding(.openBrowser, [key(.control("o"))], in: [.picker], help: "browse saved transcripts",
                   hint: Hint("transcripts", priority: 3, in: [.picker])),
        KeyBinding(.toggleCompare, [key(.function(7))], in: [.picker],
                   help: "compare mode for the chats started here: two candidates side by side (again: blind; again: off)"),
        KeyBinding(.openCompareSetup, [key(.function(8))], in: [.picker],
                   help: "compare setup: choose sources A and B (or n candidates), blind, teacher; Enter opens the chat with them"),
        KeyBinding(.openDataset, [key(.function(2))], in: [.picker], help: "the highlighted persona's dataset and its findings",
                   hint: Hint("dataset", priority: 4, in: [.picker], keys: "F2")),
        KeyBinding(.openReviewQueue, [key(.function(3))], in: [.picker],
                   help: "review queue: unmarked replies (autopilot, replays, chats) one at a time",
                   hint: Hint("review", priority: 4, in: [.picker], keys: "F3")),

        // While a reply streams.
        KeyBinding(.stopReply, [key(.escape)], in: [.streaming], help: "stop the reply (its text is kept, marked [stopped])",
                   hint: Hint("stop", priority: 1, in: [.streaming, .replayStreaming])),

        // Rewriting a message.
        KeyBinding(.saveEdit, [key(.enter)], in: [.rewritingReply],
                   help: "save as the ideal answer (marked good; the original is marked bad, both kept)",
                   hint: Hint("save as ideal", priority: 1, in: [.rewritingReply])),
        KeyBinding(.saveEdit, [key(.enter)], in: [.rewritingMessage],
                   help: "send as a new branch (the old one stays reachable with Left/Right)",
                   hint: Hint("send as a new branch", priority: 1, in: [.rewritingMessage])),
        KeyBinding(.cancelEdit, [key(.escape)], in: [.rewritingReply, .rewritingMessage], help: "cancel the rewrite",
                   hint: Hint("cancel", priority: 2, in: [.rewritingReply, .rewritingMessage])),

        // Replay: the message cursor's keys, some of which mean something else here.
        KeyBinding(.replayNext, [key(.character("n")), key(.enter)], in: [.replay],
                   help: "send the next user turn of the old transcript", hint: Hint("next turn", priority: 1, in: [.replayPaused])),
        KeyBinding(.replayRunToEnd, chars("N"), in: [.replay], help: "send every remaining turn without pausing",
                   hint: Hint("run to the end", priority: 3, in: [.replayPaused, .replayStreaming])),
        KeyBinding(.replayToggleSide, [key(.left), key(.right)] + chars("hl[]"), in: [.replay],
                   help: "cursor on the new reply / the original beside it",
                   hint: Hint("new/original", priority: 4, in: .replay, keys: "←/→")),
        KeyBinding(.replayKeep, chars("a"), in: [.replay], help: "keep the replay and continue typing in it",
                   hint: Hint("keep & type", priority: 3, in: [.replayPaused, .replayFinished])),
        KeyBinding(.replayStop, chars("x"), in: [.replay], help: "stop the replay (what was replayed stays saved)",
                   hint: Hint("stop replay", priority: 2, in: .replay)),
        KeyBinding(.replayTypingRefused, [key(.tab), key(.backTab), key(.escape), key(.character("i"))], in: [.replay],
                   help: "(no typing during a replay: says which keys continue)"),

        // Compare mode: one key per decision once a round's replies ended.
        KeyBinding(.compareABetter, chars("aA1"), in: [.comparing],
                   help: "A better: marked good and continued from; B marked bad (a preference pair)",
                   hint: Hint("A/B better", priority: 1, in: [.comparing], keys: "a/b")),
        KeyBinding(.compareBBetter, chars("bB2"), in: [.comparing],
                   help: "B better: marked good and continued from; A marked bad (a preference pair)"),
        KeyBinding(.compareCBetter, chars("cC3"), in: [.comparing], help: "C better (three or four candidates): the others marked bad"),
        KeyBinding(.compareDBetter, chars("dD4"), in: [.comparing], help: "D better (four candidates): the others marked bad"),
        KeyBinding(.compareTie, chars("tT="), in: [.comparing], help: "tie: both good (an SFT example each)",
                   hint: Hint("tie", priority: 2, in: [.comparing], keys: "t")),
        KeyBinding(.compareBothBad, chars("xX"), in: [.comparing],
                   help: "both bad: both marked bad, then rewrite one into the ideal answer (chosen against both)",
                   hint: Hint("both bad", priority: 2, in: [.comparing], keys: "x")),
        KeyBinding(.compareSkip, chars("sS"), in: [.comparing], help: "skip: no marks, continue from A",
                   hint: Hint("skip", priority: 3, in: [.comparing], keys: "s")),
        KeyBinding(.compareDecideFirst, [.anyCharacter, .anyPaste, key(.enter)], in: [.comparing],
                   help: "(typing waits for the decision: says which keys decide)"),

        // A good mark on a cut-off, empty or refusing reply asks first.
        KeyBinding(.confirmGoodMark, chars("yY"), in: [.confirmingMark], help: "mark it good all the same (confirmed)",
                   hint: Hint("mark good", priority: 1, in: [.confirmingMark])),
        KeyBinding(.declineGoodMark, [.anyKey], in: [.confirmingMark], help: "leave it unmarked",
                   hint: Hint("cancel", priority: 2, in: [.confirmingMark])),

        // The sampling panel (F3): edits the conversation's sampling field by field.
        KeyBinding(.samplingPreviousField, [key(.up), key(.backTab)], in: [.samplingPanel], help: "previous setting",
                   hint: Hint("setting", priority: 3, in: [.samplingPanel, .samplingPanelCompare], keys: "↑↓")),
        KeyBinding(.samplingNextField, [key(.down), key(.tab)], in: [.samplingPanel], help: "next setting"),
        KeyBinding(.applySampling, [key(.enter)], in: [.samplingPanel],
                   help: "apply: the next replies are requested with these values (and record them)",
                   hint: Hint("apply", priority: 1, in: [.samplingPanel, .samplingPanelCompare])),
        KeyBinding(.cancelSampling, [key(.escape)], in: [.samplingPanel], help: "close without changing anything",
                   hint: Hint("cancel", priority: 2, in: [.samplingPanel, .samplingPanelCompare])),
        KeyBinding(.saveSamplingToPersona, [key(.control("s"))], in: [.samplingPanel],
                   help: "apply and save to the persona file (only changed keys change; comments stay)",
                   hint: Hint("save to persona", priority: 2, in: [.samplingPanel, .samplingPanelCompare])),
        KeyBinding(.samplingNextSide, [key(.alt(".")), key(.alt(">"))], in: [.samplingPanel],
                   help: "compare mode: edit the next source's sampling (B, then A…)",
                   hint: Hint("other side", priority: 1, in: [.samplingPanelCompare], keys: "Alt-./,")),
        KeyBinding(.samplingPreviousSide, [key(.alt(",")), key(.alt("<"))], in: [.samplingPanel],
                   help: "compare mode: edit the previous source's sampling"),
        KeyBinding(.clearSamplingField, [key(.control("u"))], in: [.samplingPanel],
                   help: "clear the setting: unset, the backend's default applies",
                   hint: Hint("default", priority: 4, in: [.samplingPanel, .samplingPanelCompare])),
        KeyBinding(.insertText, [.anyCharacter, .anyPaste], in: [.samplingPanel],
                   help: "type the value (stop: \"text\", \"text\" with \\n for a line break)"),
        KeyBinding(.deleteBackward, [key(.backspace)], in: [.samplingPanel], help: "delete the character before the cursor"),
        KeyBinding(.deleteForward, [key(.delete), key(.control("d"))], in: [.samplingPanel], help: "delete the character under the cursor"),
        KeyBinding(.characterBack, [key(.left), key(.control("b"))], in: [.samplingPanel], help: "character back"),
        KeyBinding(.characterForward, [key(.right), key(.control("f"))], in: [.samplingPanel], help: "character forward"),
        KeyBinding(.lineStart, [key(.home), key(.control("a"))], in: [.samplingPanel], help: "start of the value"),
        KeyBinding(.lineEnd, [key(.end), key(.control("e"))], in: [.samplingPanel], help: "end of the value"),

        // The compare setup panel (F8 in the chat or the picker): chooses the compare sources row by row.
        KeyBinding(.compareSetupPreviousField, [key(.up), key(.backTab)], in: [.compareSetupPanel], help: "previous row",
                   hint: Hint("row", priority: 3, in: [.compareSetupPanel], keys: "↑↓")),
        KeyBinding(.compareSetupNextField, [key(.down), key(.tab)], in: [.compareSetupPanel], help: "next row"),
        KeyBinding(.compareSetupPreviousChoice, [key(.left)], in: [.compareSetupPanel],
                   help: "previous value of the row (mode, persona, backend, adapter, blind, teacher; in a text row: cursor left)",
                   hint: Hint("change", priority: 1, in: [.compareSetupPanel], keys: "←→")),
        KeyBinding(.compareSetupNextChoice, [key(.right)], in: [.compareSetupPanel], help: "next value of the row (in a text row: cursor right)"),
        KeyBinding(.applyCompareSetup, [key(.enter)], in: [.compareSetupPanel],
                   help: "apply: compare on with these sources (from the picker: in the chat it opens)",
                   hint: Hint("apply", priority: 1, in: [.compareSetupPanel])),
        KeyBinding(.cancelCompareSetup, [key(.escape), key(.function(8))], in: [.compareSetupPanel], help: "close without changing anything",
                   hint: Hint("cancel", priority: 2, in: [.compareSetupPanel])),
        KeyBinding(.clearCompareSetupField, [key(.control("u"))], in: [.compareSetupPanel],
                   help: "clear the text row: the backend's model, the default temperature or seed",
                   hint: Hint("default", priority: 4, in: [.compareSetupPanel])),
        KeyBinding(.insertText, [.anyCharacter, .anyPaste], in: [.compareSetupPanel], help: "type the model, temperature or seed"),
        KeyBinding(.deleteBackward, [key(.backspace)], in: [.compareSetupPanel], help: "delete the character before the cursor"),
        KeyBinding(.deleteForward, [key(.delete), key(.control("d"))], in: [.compareSetupPanel], help: "delete the character under the cursor"),
        KeyBinding(.lineStart, [key(.home), key(.control("a"))], in: [.compareSetupPanel], help: "start of the value"),
        KeyBinding(.lineEnd, [key(.end), key(.control("e"))], in: [.compareSetupPanel], help: "end of the value"),

        // Message cursor.
        KeyBinding(.markGood, chars("+="), in: [.messageCursor], help: "mark the selected reply good",
                   hint: Hint("mark", priority: 1, in: [.messageCursor, .replayPaused, .replayFinished], keys: "+/-")),
        KeyBinding(.markBad, chars("-"), in: [.messageCursor], help: "mark the selected reply bad"),
        KeyBinding(.clearMark, chars("0c"), in: [.messageCursor], help: "clear the selected reply's mark",
                   hint: Hint("clear", priority: 4, in: [.messageCursor])),
        KeyBinding(.previousAlternative, [key(.left)] + chars("h["), in: [.messageCursor],
                   help: "previous alternative of the selected message",
                   hint: Hint("alternatives", priority: 3, in: [.messageCursor], keys: "←/→")),
        KeyBinding(.nextAlternative, [key(.right)] + chars("l]"), in: [.messageCursor], help: "next alternative of the selected message"),
        KeyBinding(.edit, chars("e"), in: [.messageCursor],
                   help: "edit: a reply becomes the ideal answer; a user message a new branch",
                   hint: Hint("edit", priority: 3, in: [.messageCursor])),
        KeyBinding(.regenerate, chars("r"), in: [.messageCursor], help: "regenerate the selected reply",
                   hint: Hint("regen", priority: 4, in: [.messageCursor])),
        KeyBinding(.cursorPrevious, [key(.up)] + chars("k"), in: [.messageCursor], help: "previous message"),
        KeyBinding(.cursorNext, [key(.down)] + chars("j"), in: [.messageCursor], help: "next message"),
        KeyBinding(.cursorFirst, [key(.home)] + chars("g"), in: [.messageCursor], help: "first message"),
        KeyBinding(.cursorLast, [key(.end)] + chars("G"), in: [.messageCursor], help: "last message"),
        KeyBinding(.cursorPageUp, [key(.pageUp)], in: [.messageCursor], help: "five messages up"),
        KeyBinding(.cursorPageDown, [key(.pageDown)], in: [.messageCursor], help: "five messages down"),
        KeyBinding(.helpUnlessTyping, chars("?"), in: [.messageCursor], help: "this help"),
        KeyBinding(.backToTyping, [key(.tab), key(.backTab), key(.escape), key(.enter), key(.character("i"))], in: [.messageCursor],
                   help: "back to typing", hint: Hint("back", priority: 2, in: [.messageCursor], keys: "Tab")),

        // Chat, typing.
        KeyBinding(.send, [key(.enter)], in: [.chatInput], help: "send the message", hint: Hint("send", priority: 1, in: [.typing])),
        KeyBinding(.insertNewline, [key(.altEnter), key(.newline)], in: [.chatInput], help: "new line",
                   hint: Hint("newline", priority: 3, in: [.typing])),
        KeyBinding(.enterMessageCursor, [key(.tab), key(.escape)], in: [.chatInput],
                   help: "message cursor: mark, flip, edit, regenerate any message",
                   hint: Hint("marks", priority: 2, in: [.typing])),
        KeyBinding(.markLatestGood, [key(.alt("=")), key(.alt("+"))], in: [.chatInput], help: "mark the latest reply good",
                   hint: Hint("mark", priority: 5, in: [.typing], keys: "Alt-=/-")),
        KeyBinding(.markLatestBad, [key(.alt("-"))], in: [.chatInput], help: "mark the latest reply bad"),
        KeyBinding(.clearLatestMark, [key(.alt("0"))], in: [.chatInput], help: "clear the latest reply's mark"),
        KeyBinding(.previousAlternativeOfLatest, [key(.alt(",")), key(.alt("<"))], in: [.chatInput],
                   help: "previous alternative of the latest reply"),
        KeyBinding(.nextAlternativeOfLatest, [key(.alt(".")), key(.alt(">"))], in: [.chatInput],
                   help: "next alternative of the latest reply"),
        KeyBinding(.editLatestReply, [key(.alt("e"))], in: [.chatInput], help: "edit the latest reply into the ideal answer"),
        KeyBinding(.helpUnlessTyping, chars("?"), in: [.chatInput], help: "this help (when the input is empty)"),
        KeyBinding(.insertText, [.anyCharacter, .anyPaste], in: [.chatInput],
                   help: "typed and pasted text (a paste is inserted whole, never sent line by line)"),
        KeyBinding(.lineStart, [key(.control("a"))], in: [.chatInput], help: "start of line"),
        KeyBinding(.lineEnd, [key(.control("e"))], in: [.chatInput], help: "end of line"),
        KeyBinding(.characterBack, [key(.left), key(.control("b"))], in: [.chatInput], help: "character back"),
        KeyBinding(.characterForward, [key(.right), key(.control("f"))], in: [.chatInput], help: "character forward"),
        KeyBinding(.wordBack, [key(.alt("b"))], in: [.chatInput], help: "word back"),
        KeyBinding(.wordForward, [key(.alt("f"))], in: [.chatInput], help: "word forward"),
        KeyBinding(.killToLineEnd, [key(.control("k"))], in: [.chatInput], help: "delete to the end of the line"),
        KeyBinding(.killToLineStart, [key(.control("u"))], in: [.chatInput], help: "delete to the start of the line"),
        KeyBinding(.deleteWordBackward, [key(.control("w")), key(.altBackspace)], in: [.chatInput],
                   help: "delete the word before the cursor"),
        KeyBinding(.deleteForward, [key(.delete), key(.control("d"))], in: [.chatInput], help: "delete the character under the cursor"),
        KeyBinding(.deleteBackward, [key(.backspace)], in: [.chatInput], help: "delete the character before the cursor"),
        KeyBinding(.lineUpOrHistory, [key(.up)], in: [.chatInput], help: "line up; on the first line: older input"),
        KeyBinding(.lineDownOrHistory, [key(.down)], in: [.chatInput], help: "line down; on the last line: newer input"),
        KeyBinding(.externalEditor, [.chord(.control("x"), .control("e"))], in: [.chatInput],
                   help: "edit the input in $VISUAL / $EDITOR (default vi)"),
        KeyBinding(.scrollToTop, [key(.home)], in: [.chatInput], help: "top of the transcript"),
        KeyBinding(.followBottom, [key(.end)], in: [.chatInput], help: "follow the bottom again"),

        // Chat, either focus.
        KeyBinding(.regenerateLatest, [key(.control("r"))], in: [.chat], help: "regenerate the last reply (the old one stays)",
                   hint: Hint("regen", priority: 4, in: [.typing])),
        KeyBinding(.scrollPageUp, [key(.pageUp)], in: [.chat], help: "scroll the transcript up",
                   hint: Hint("scroll", priority: 2, in: [.streaming], keys: "PgUp/PgDn")),
        KeyBinding(.scrollPageDown, [key(.pageDown)], in: [.chat], help: "scroll the transcript down"),
        KeyBinding(.wheelUp, [key(.wheelUp)], in: [.chat], help: "scroll up (mouse wheel)"),
        KeyBinding(.wheelDown, [key(.wheelDown)], in: [.chat], help: "scroll down (mouse wheel)"),
        KeyBinding(.save, [key(.control("s"))], in: [.chat], help: "save now and show where the transcript is"),
        KeyBinding(.toggleReasoning, [key(.control("t"))], in: [.chat], help: "show / hide the model's reasoning"),
        KeyBinding(.openSamplingPanel, [key(.function(3))], in: [.chat],
                   help: "sampling panel (temperature, max_tokens, stop…)",
                   hint: Hint("sampling", priority: 5, in: [.typing], keys: "F3")),
        KeyBinding(.toggleReplySampling, [key(.function(4))], in: [.chat],
                   help: "show / hide each reply's recorded sampling"),
        KeyBinding(.switchPersona, [key(.control("p"))], in: [.chat], help: "switch persona (saved; a new conversation starts)"),
        KeyBinding(.browseTranscripts, [key(.control("o"))], in: [.chat], help: "save and open the transcript browser"),
        KeyBinding(.toggleTraining, [key(.function(5))], in: [.chat],
                   help: "train this persona's tuned model on its marks, in the background (again: cancel)"),
        KeyBinding(.useTunedModel, [key(.function(6))], in: [.chat], help: "chat with the model trained last (the conversation stays)"),
        KeyBinding(.toggleCompare, [key(.function(7))], in: [.chat],
                   help: "compare mode: each turn answered by two sources side by side (again: blind; again: off)",
                   hint: Hint("compare", priority: 6, in: [.typing], keys: "F7")),
        KeyBinding(.openCompareSetup, [key(.function(8))], in: [.chat],
                   help: "compare setup: choose sources A and B (persona, backend, model, temperature, seed, base or tuned adapter) or n candidates"),
        KeyBinding(.openDataset, [key(.function(2))], in: [.chat],
                   help: "this persona's dataset and its findings (the chat stays open)"),

        // Everywhere.
        KeyBinding(.quit, [key(.control("c")), key(.control("q"))], in: [.everywhere],
                   help: "quit (stops a reply, keeps its text, saves)",
                   hint: Hint("quit", priority: 3, in: [.picker, .browser, .dataset, .reviewQueue, .reviewCompare, .loading, .streaming], keys: "Ctrl-Q")),
        KeyBinding(.showHelp, [key(.function(1))], in: [.everywhere], help: "this help (also ? in lists, message cursor, empty input)",
                   hint: Hint("help", priority: 0, in: .all)),
    ]

    /// The actions `event` may trigger in these contexts (most specific first), in the order to try them:
    /// context by context, exact keys before wildcards. A reducer that declines an action (`nil`) passes
    /// the key on to the next.
    public static func actions(for event: KeyEvent, in contexts: [KeyContext]) -> [KeyAction] {
        var result: [KeyAction] = []
        for context in contexts {
            let bindings = table.filter { $0.contexts.contains(context) }
            for wildcard in [false, true] {
                for binding in bindings where binding.keys.contains(where: { $0.isWildcard == wildcard && $0.matches(event) }) {
                    result.append(binding.action)
                }
            }
        }
        return result
    }

    /// Whether `event` starts a chord in these contexts (then the next key completes it).
    public static func startsChord(_ event: KeyEvent, in contexts: [KeyContext]) -> Bool {
        table.contains { binding in
            binding.contexts.contains(where: contexts.contains)
                && binding.keys.contains { if case .chord(event, _) = $0 { true } else { false } }
        }
    }

    /// The action of the chord `first` `second` in these contexts, if any.
    public static func chordAction(_ first: KeyEvent, _ second: KeyEvent, in contexts: [KeyContext]) -> KeyAction? {
        for context in contexts {
            for binding in table where binding.contexts.contains(context) && binding.keys.contains(.chord(first, second)) {
                return binding.action
            }
        }
        return nil
    }

    /// The bindings listed under a context, in table order.
    public static func bindings(in context: KeyContext) -> [KeyBinding] {
        table.filter { $0.contexts.contains(context) }
    }
}
