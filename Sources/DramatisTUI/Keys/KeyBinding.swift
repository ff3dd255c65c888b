/// One row of the key table: an action, the keys that trigger it, where, and how it is described.
///
/// Modelled on bubbles' `key.Binding` (keys and help in one value) and gitui's `key_list.rs`.
public struct KeyBinding: Sendable, Hashable {
    public var action: KeyAction
    public var keys: [KeyPattern]
    /// Where it applies; help lists it under each of these contexts' sections.
    public var contexts: [KeyContext]
    /// What it does, for the help overlay and the docs' key tables.
    public var help: String
    /// The bottom line's hint for it, if it has one.
    public var hint: Hint?

    public init(_ action: KeyAction, _ keys: [KeyPattern], in contexts: [KeyContext], help: String, hint: Hint? = nil) {
        self.action = action
        self.keys = keys
        self.contexts = contexts
        self.help = help
        self.hint = hint
    }

    /// The keys as help shows them: `Up k`, `Ctrl-X Ctrl-E`.
    public var keysLabel: String { keys.map(\.label).joined(separator: " ") }
}

/// A short hint on the bottom line: `Enter send`.
public struct Hint: Sendable, Hashable {
    /// The words after the keys.
    public var label: String
    /// 0 is kept longest when the line is too narrow (F1 help); higher numbers are dropped first.
    public var priority: Int
    /// The situations it shows in.
    public var modes: Set<HintMode>
    /// How the keys are spelt in the hint when not the first key's name (`↑↓`, `Alt-=/-`).
    public var keys: String?

    public init(_ label: String, priority: Int, in modes: Set<HintMode>, keys: String? = nil) {
        self.label = label
        self.priority = priority
        self.modes = modes
        self.keys = keys
    }
}

extension Set where Element == HintMode {
    /// Every mode.
    public static var all: Set<HintMode> { Set(HintMode.allCases) }
    /// The three replay modes.
    public static var replay: Set<HintMode> { [.replayPaused, .replayStreaming, .replayFinished] }
}
