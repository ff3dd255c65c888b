/// Writes text as YAML scalars that read back exactly (used when Dramatis writes persona files).
public enum YAMLScalarWriter {
    /// A double-quoted scalar with every special character escaped.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029 || value == 0xFEFF {
                    let hex = String(value, radix: 16, uppercase: true)
                    output += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// Text after `key:` at `indent` spaces: a literal block (`|-`) for safe multi-line text, else a quoted scalar.
    public static func value(_ text: String, indent: Int) -> String {
        guard text.contains("\n"), isLiteralSafe(text) else { return " " + quoted(text) }
        let pad = String(repeating: " ", count: indent + 2)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return " |-\n" + lines.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }

    /// True when a literal block reproduces `text` exactly: no leading blank or space, no trailing newline or
    /// whitespace on a line, no tab, no control or line-breaking characters other than `\n`.
    static func isLiteralSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != " ", first != "\n", !text.hasSuffix("\n") else { return false }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if scalar == "\n" { continue }
            if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029 || value == 0xFEFF {
                return false
            }
        }
        return !text.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.hasSuffix(" ") }
    }

    /// Text made safe for a `# ` YAML comment: every line break (including `\r`, NEL, U+2028/9) starts a new comment line.
    public static func comment(_ text: String) -> [String] {
        var normalised = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: normalised += "\n"
            case 0x00..<0x20 where scalar != "\t", 0x7F, 0x80...0x9F, 0xFEFF: continue
            default: normalised.unicodeScalars.append(scalar)
            }
        }
        return normalised.replacingOccurrences(of: "\n\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { "# " + $0 }
    }
}

import Foundation
