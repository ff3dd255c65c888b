/// The key list for the help overlay (F1) and `docs/tui.md`; kept in step with `Reducer`.
public enum KeyHelp {
    /// One line of help: the keys and what they do.
    public struct Entry: Sendable, Hashable {
        public var keys: String
        public var action: String
    }

    /// A titled group of entries.
    public struct Section: Sendable, Hashable {
        public var title: String
        public var entries: [Entry]
    }

    private static func section(_ title: String, _ pairs: [(String, String)]) -> Section {
        Section(title: title, entries: pairs.map { Entry(keys: $0.0, action: $0.1) })
    }

    public static let everywhere = section("Everywhere", [
        ("F1", "this help (also ? in lists, message cursor, empty input)"),
        ("Ctrl-C Ctrl-Q", "quit (stops a reply, saves everything)"),
    ])

    public static let picker = section("Persona picker", [
        ("type", "filter the list"),
        ("Up Down Ctrl-P Ctrl-N", "move"),
        ("PgUp PgDn Home End", "move by a page / to the ends"),
        ("Enter", "chat with the persona"),
        ("Esc Ctrl-U", "clear the filter"),
        ("Ctrl-O", "browse saved transcripts"),
    ])

    public static let browser = section("Transcript browser", [
        ("type", "filter by persona or text"),
        ("Up Down Ctrl-P Ctrl-N", "move"),
        ("PgUp PgDn Home End", "move by a page / to the ends"),
        ("Ctrl-U", "clear the filter"),
        ("Enter", "continue the conversation"),
        ("Ctrl-R", "replay it against today's persona and backend"),
        ("Esc", "clear filter / back to the picker"),
    ])

    public static let chat = section("Chat", [
        ("Enter", "send (or save the edit)"),
        ("Alt-Enter Ctrl-J", "new line"),
        ("Esc", "stop the reply / cancel edit / message cursor"),
        ("Tab", "message cursor"),
        ("Ctrl-R", "regenerate the last reply"),
        ("Alt-= Alt--  Alt-0", "mark last reply good / bad / clear"),
        ("Alt-, Alt-.", "previous / next alternative"),
        ("Alt-E", "edit the last reply into the ideal answer"),
        ("PgUp PgDn Home End", "scroll (mouse wheel too)"),
        ("Ctrl-S", "save and show where"),
        ("Ctrl-T", "show / hide the model's reasoning"),
        ("Ctrl-P", "switch persona (new conversation)"),
        ("Ctrl-O", "browse transcripts"),
    ])

    public static let editor = section("Input editor", [
        ("Ctrl-A Ctrl-E", "line start / end"),
        ("Ctrl-B Ctrl-F ← →", "character back / forward"),
        ("Alt-B Alt-F", "word back / forward"),
        ("Ctrl-K Ctrl-U", "delete to line end / start"),
        ("Ctrl-W Alt-Bksp", "delete word before"),
        ("Ctrl-D Del", "delete character"),
        ("Up Down", "line, or history at first/last line"),
        ("Ctrl-X Ctrl-E", "edit in $EDITOR"),
    ])

    public static let messages = section("Message cursor", [
        ("Up Down k j", "previous / next message"),
        ("+ =  -  0", "mark good / bad / clear"),
        ("Left Right h l", "flip alternatives"),
        ("e", "edit: reply -> ideal answer; user message -> new branch"),
        ("r", "regenerate this reply"),
        ("Home End g G", "first / last message"),
        ("Tab Esc Enter i", "back to typing"),
    ])

    public static let replay = section("Replay (from the browser's Ctrl-R)", [
        ("n Enter", "send the next user turn of the old transcript"),
        ("N", "send every remaining turn without pausing"),
        ("Left Right h l", "cursor on the new reply / the original beside it"),
        ("+ -  0  e  r", "mark / clear / edit / regenerate the reply under the cursor"),
        ("a", "keep the replay and continue typing in it"),
        ("x", "stop the replay (what was replayed stays saved)"),
    ])

    /// The sections relevant to a screen.
    public static func sections(for screen: Screen) -> [Section] {
        switch screen {
        case .picker, .loading: [picker, everywhere]
        case .browser: [browser, everywhere]
        case .chat: [chat, messages, replay, editor, everywhere]
        }
    }

    /// How many lines the help for a screen takes (titles, entries, blank lines between sections).
    public static func lineCount(for screen: Screen) -> Int {
        let sections = sections(for: screen)
        return sections.reduce(0) { $0 + 1 + $1.entries.count } + max(0, sections.count - 1)
    }
}
