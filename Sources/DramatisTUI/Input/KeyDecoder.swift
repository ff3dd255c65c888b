import Foundation

/// Turns raw terminal input into `KeyEvent`s: Alt chords (ESC prefix), control characters,
/// and bracketed paste (`ESC [200~ … ESC [201~`), keeping state across reads.
///
/// Pure: feed it inputs, then `flush()` at the end of each batch read without waiting; a lone
/// ESC at the end of a batch is the Escape key (ncurses already waited `ESCDELAY` for more).
public struct KeyDecoder: Sendable {
    private enum State: Sendable, Hashable {
        case ground
        /// ESC seen.
        case escape
        /// `ESC [` seen, collecting parameter bytes (only the paste markers are ours to decode).
        case csi(String)
        /// Inside a bracketed paste, collecting its text in `pasted`.
        case paste
        /// Inside a paste, `ESC` (and maybe part of `[201~`) seen: the marker so far.
        case pasteEnd(String)
    }

    private var state: State = .ground
    /// The text of the paste in progress. Kept outside `State`: appending to a String held in an enum
    /// payload copied the whole text for every scalar (quadratic: a 10 MB paste never finished).
    private var pasted = ""

    public init() {}

    /// True while a paste or escape sequence is incomplete.
    public var isPending: Bool { state != .ground }

    /// Decodes a whole batch and flushes: what the loop does after draining `wget_wch`.
    public mutating func decode(_ inputs: [RawInput]) -> [KeyEvent] {
        var events: [KeyEvent] = []
        for input in inputs { events += feed(input) }
        events += flush()
        return events
    }

    /// Feeds one input; returns the events it completes. `.special(.resize)` is not a key and is dropped here.
    public mutating func feed(_ input: RawInput) -> [KeyEvent] {
        switch input {
        case .special(let key):
            return feedSpecial(key)
        case .scalar(let value):
            guard let scalar = Unicode.Scalar(value) else { return [] }
            return feedScalar(scalar)
        }
    }

    /// Ends a batch: a pending lone ESC becomes Escape; an unfinished `ESC [` becomes Escape plus its text
    /// as typed characters. An unfinished paste stays pending (the rest arrives with the next read).
    public mutating func flush() -> [KeyEvent] {
        switch state {
        case .escape:
            state = .ground
            return [.escape]
        case .csi(let parameters):
            state = .ground
            return [.alt("[")] + parameters.map { .character($0) }
        case .ground, .paste, .pasteEnd:
            return []
        }
    }

    private mutating func feedSpecial(_ key: SpecialKey) -> [KeyEvent] {
        switch state {
        case .paste, .pasteEnd:
            // Inside a paste, keys ncurses decoded still belong to the text where they have one.
            if key == .enter { pasted.append("\n") }
            state = .paste
            return []
        case .escape:
            state = .ground
            switch key {
            case .enter: return [.altEnter]
            case .backspace: return [.altBackspace]
            default: return [.escape] + Self.event(for: key)
            }
        case .csi(let parameters):
            state = .ground
            return [.alt("[")] + parameters.map { .character($0) } + Self.event(for: key)
        case .ground:
            return Self.event(for: key)
        }
    }

    private static func event(for key: SpecialKey) -> [KeyEvent] {
        switch key {
        case .up: [.up]
        case .down: [.down]
        case .left: [.left]
        case .right: [.right]
        case .home: [.home]
        case .end: [.end]
        case .pageUp: [.pageUp]
        case .pageDown: [.pageDown]
        case .backspace: [.backspace]
        case .delete: [.delete]
        case .insert: [.insert]
        case .enter: [.enter]
        case .backTab: [.backTab]
        case .function(let n): [.function(n)]
        case .wheelUp: [.wheelUp]
        case .wheelDown: [.wheelDown]
        case .resize: []
        }
    }

    private mutating func feedScalar(_ scalar: Unicode.Scalar) -> [KeyEvent] {
        switch state {
        case .ground:
            if scalar.value == 0x1B {
                state = .escape
                return []
            }
            return [Self.plain(scalar)]
        case .escape:
            switch scalar.value {
            case 0x5B:                                   // ESC [ : maybe a paste marker
                state = .csi("")
                return []
            case 0x0D, 0x0A:
                state = .ground
                return [.altEnter]
            case 0x7F, 0x08:
                state = .ground
                return [.altBackspace]
            case 0x1B:
                // ESC ESC: the first is a plain Escape; the second may start a chord.
                return [.escape]
            case 0x20..<0x7F, 0xA0...:
                state = .ground
                return [.alt(Character(scalar))]
            default:
                state = .ground
                return [.escape, Self.plain(scalar)]
            }
        case .csi(var parameters):
            if (0x30...0x3F).contains(scalar.value) && parameters.count < 8 {
                parameters.unicodeScalars.append(scalar)
                state = .csi(parameters)
                return []
            }
            state = .ground
            if scalar == "~" && parameters == "200" {
                state = .paste
                pasted = ""
                return []
            }
            if scalar == "~" && parameters == "201" { return [] }    // stray end marker
            // Some other CSI sequence ncurses did not know: drop it rather than type garbage.
            return []
        case .paste:
            if scalar.value == 0x1B {
                state = .pasteEnd("")
                return []
            }
            pasted.unicodeScalars.append(scalar)
            return []
        case .pasteEnd(var marker):
            marker.unicodeScalars.append(scalar)
            if marker == "[201~" {
                state = .ground
                let text = Self.normalizedPaste(pasted)
                pasted = ""
                return [.paste(text)]
            }
            if "[201~".hasPrefix(marker) {
                state = .pasteEnd(marker)
                return []
            }
            // Not the end marker: the ESC and what followed were pasted text (the sanitizer handles them on display).
            pasted.append("\u{1B}")
            pasted += marker
            state = .paste
            return []
        }
    }

    /// Pasted line endings become `\n`.
    private static func normalizedPaste(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    private static func plain(_ scalar: Unicode.Scalar) -> KeyEvent {
        switch scalar.value {
        case 0x0D: return .enter
        case 0x0A: return .newline
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x00: return .control(" ")
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        case 0x1C...0x1F: return .control(Character(Unicode.Scalar(scalar.value + 0x40)!))
        default: return .character(Character(scalar))
        }
    }
}
