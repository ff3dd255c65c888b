/// Makes untrusted text (model output) safe to draw or print, statefully across chunks.
///
/// Drops CSI, OSC, DCS/SOS/PM/APC sequences with their payloads, any other ESC+char,
/// 8-bit C1 controls, C0 controls and DEL except `\n` and `\t`, lone `\r` and `\b`,
/// and the bidi overrides U+202A–U+202E and U+2066–U+2069. `\r\n` becomes `\n`.
/// Scalars the terminal cannot print (`wcwidth` < 0) become U+FFFD. A sequence split
/// across two `feed` calls is still removed whole.
public struct TerminalSanitizer: Sendable {
    private enum State: Sendable {
        case ground
        /// After ESC (or ESC plus intermediates 0x20–0x2F).
        case escape
        /// Inside a control sequence (ESC [ or CSI).
        case controlSequence
        /// Inside a string sequence (OSC, DCS, SOS, PM, APC) until BEL or ST.
        case controlString
        /// ESC seen inside a string sequence: `\` ends it.
        case controlStringEscape
        /// `\r` seen: kept only as part of `\r\n`.
        case carriageReturn
    }

    private var state: State = .ground

    public init() {}

    /// Sanitizes one chunk; state carries over to the next call.
    public mutating func feed<S: StringProtocol>(_ chunk: S) -> String {
        var output = String.UnicodeScalarView()
        for scalar in chunk.unicodeScalars {
            step(scalar, into: &output)
        }
        return String(output)
    }

    /// Ends the stream: drops whatever incomplete sequence is pending.
    public mutating func finish() -> String {
        state = .ground
        return ""
    }

    /// Whether `sanitize(text)` would return `text` unchanged: every scalar is one `ground` keeps as it is.
    public static func isClean<S: StringProtocol>(_ text: S) -> Bool {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (value >= 0x20 && value < 0x7F) || value == 0x0A || value == 0x09 { continue }
            if value < 0xA0 { return false }                                         // C0, DEL, C1, ESC, CR
            if (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) { return false }
            if DisplayWidth.wcwidth(scalar) < 0 { return false }                     // would become U+FFFD
        }
        return true
    }

    /// Sanitizes a complete text in one go.
    public static func sanitize<S: StringProtocol>(_ text: S) -> String {
        var sanitizer = TerminalSanitizer()
        return sanitizer.feed(text) + sanitizer.finish()
    }

    private mutating func step(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView) {
        let value = scalar.value
        switch state {
        case .ground:
            ground(scalar, into: &output)
        case .carriageReturn:
            state = .ground
            if value == 0x0A { output.append(scalar) } else { ground(scalar, into: &output) }
        case .escape:
            switch value {
            case 0x5B: state = .controlSequence                          // ESC [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .controlString    // ESC ] P X ^ _
            case 0x20...0x2F: state = .escape                            // intermediates, e.g. ESC ( B
            case 0x30...0x7E: state = .ground                            // final byte: sequence done
            case 0x1B: state = .escape
            default:
                state = .ground                                          // malformed: drop ESC, keep going
                ground(scalar, into: &output)
            }
        case .controlSequence:
            switch value {
            case 0x20...0x3F: break                                      // parameters, intermediates
            case 0x40...0x7E: state = .ground                            // final byte
            case 0x1B: state = .escape
            default:
                state = .ground                                          // aborted sequence
                ground(scalar, into: &output)
            }
        case .controlString:
            switch value {
            case 0x07, 0x9C: state = .ground                             // BEL or 8-bit ST
            case 0x1B: state = .controlStringEscape
            default: break                                               // payload: dropped
            }
        case .controlStringEscape:
            if value == 0x5C {                                           // ESC \ = ST
                state = .ground
            } else {
                state = .escape                                          // a new escape ends the string
                step(scalar, into: &output)
            }
        }
    }

    private mutating func ground(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView) {
        let value = scalar.value
        switch value {
        case 0x0A, 0x09:
            output.append(scalar)
        case 0x0D:
            state = .carriageReturn
        case 0x1B:
            state = .escape
        case 0x9B:
            state = .controlSequence
        case 0x9D, 0x90, 0x98, 0x9E, 0x9F:
            state = .controlString
        case 0x00...0x1F, 0x7F, 0x80...0x9F:
            break                                                        // other C0, DEL, C1: dropped
        case 0x202A...0x202E, 0x2066...0x2069:
            break                                                        // bidi overrides and isolates
        default:
            if value >= 0xA0 && DisplayWidth.wcwidth(scalar) < 0 {
                output.append("\u{FFFD}")
            } else {
                output.append(scalar)
            }
        }
    }
}
