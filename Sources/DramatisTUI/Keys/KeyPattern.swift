/// What a binding matches: one key, a two-key chord, or a whole class of keys.
public enum KeyPattern: Sendable, Hashable {
    case key(KeyEvent)
    /// A prefix key then a second key (Ctrl-X Ctrl-E).
    case chord(KeyEvent, KeyEvent)
    /// Any printable character typed.
    case anyCharacter
    /// Any bracketed paste.
    case anyPaste
    /// Any key at all (closes the help).
    case anyKey

    /// Whether the pattern matches a single key (chords match through `KeyBindings.actions(forChord:…)`).
    func matches(_ event: KeyEvent) -> Bool {
        switch self {
        case .key(let key): key == event
        case .chord: false
        case .anyCharacter: if case .character = event { true } else { false }
        case .anyPaste: if case .paste = event { true } else { false }
        case .anyKey: true
        }
    }

    /// Whether it matches a class of keys rather than one key (tried after the exact keys of its context).
    var isWildcard: Bool {
        switch self {
        case .key, .chord: false
        case .anyCharacter, .anyPaste, .anyKey: true
        }
    }

    /// How help and docs spell it: `Ctrl-X Ctrl-E`, `type`, `Alt-=`.
    public var label: String {
        switch self {
        case .key(let key): key.label
        case .chord(let first, let second): first.label + " " + second.label
        case .anyCharacter: "type"
        case .anyPaste: "paste"
        case .anyKey: "any key"
        }
    }
}

extension KeyEvent {
    /// The key's name as help and docs show it.
    public var label: String {
        switch self {
        case .character(let character): String(character)
        case .control(let character): "Ctrl-" + character.uppercased()
        case .alt(let character): "Alt-" + character.uppercased()
        case .altEnter: "Alt-Enter"
        case .enter: "Enter"
        case .newline: "Ctrl-J"
        case .tab: "Tab"
        case .backTab: "BackTab"
        case .backspace: "Backspace"
        case .altBackspace: "Alt-Backspace"
        case .delete: "Delete"
        case .escape: "Esc"
        case .insert: "Insert"
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let number): "F\(number)"
        case .paste: "paste"
        case .wheelUp: "wheel up"
        case .wheelDown: "wheel down"
        }
    }
}
