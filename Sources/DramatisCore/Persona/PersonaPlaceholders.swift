/// Expands the `{{char}}` and `{{user}}` placeholders of persona and character-card text.
public enum PersonaPlaceholders {
    /// Replaces `{{char}}` with `character` and `{{user}}` with `user` (case-insensitive, spaces inside braces allowed).
    public static func expand(_ text: String, character: String, user: String) -> String {
        guard text.contains("{{") else { return text }
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let inner = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            switch inner {
            case "char": output += character
            case "user": output += user
            default: output += rest[open.lowerBound..<close.upperBound]
            }
            rest = afterOpen[close.upperBound...]
        }
        output += rest
        return output
    }
}

import Foundation
