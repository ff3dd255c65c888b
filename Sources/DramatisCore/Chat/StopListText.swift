/// The one-line form of a list of stop sequences, as the sampling panel shows and reads it: double-quoted texts
/// separated by commas (`"\nUser:", "###"`), with `\n`, `\t`, `\"`, `\\` and `\uXXXX` escapes; a single text may be typed bare.
public enum StopListText {
    /// `"\nUser:", "###"`: each text quoted and escaped as `YAMLScalarWriter.quoted` writes it.
    public static func format(_ stops: [String]) -> String {
        stops.map(YAMLScalarWriter.quoted).joined(separator: ", ")
    }

    /// The list typed as `text` (already non-empty), or what is wrong with it.
    public static func parse(_ text: String) -> Result<[String], SamplingValueProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("\"") else { return .success([trimmed]) }
        var stops: [String] = []
        var scalars = Array(trimmed.unicodeScalars)[...]
        while true {
            guard scalars.first == "\"" else {
                return .failure(SamplingValueProblem(field: .stop, message: "expected a quoted text such as \"###\" after the comma (texts are separated by commas)"))
            }
            scalars = scalars.dropFirst()
            var current = String.UnicodeScalarView()
            var closed = false
            while let scalar = scalars.first {
                scalars = scalars.dropFirst()
                if scalar == "\"" {
                    closed = true
                    break
                }
                guard scalar == "\\" else {
                    current.append(scalar)
                    continue
                }
                guard let escaped = scalars.first else { break }
                scalars = scalars.dropFirst()
                switch escaped {
                case "n": current.append("\n")
                case "t": current.append("\t")
                case "r": current.append("\r")
                case "\"": current.append("\"")
                case "\\": current.append("\\")
                case "u":
                    let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                    guard hex.count == 4, let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                        return .failure(SamplingValueProblem(field: .stop, message: "\\u needs four hex digits, e.g. \\u001B"))
                    }
                    scalars = scalars.dropFirst(4)
                    current.append(decoded)
                default: return .failure(SamplingValueProblem(field: .stop, message: "unknown escape \\\(escaped) (use \\n, \\t, \\\", \\\\ or \\uXXXX)"))
                }
            }
            guard closed else { return .failure(SamplingValueProblem(field: .stop, message: "a quoted text is not closed: end it with \"")) }
            stops.append(String(current))
            scalars = scalars.drop(while: { $0 == " " })
            if scalars.isEmpty { return .success(stops) }
            guard scalars.first == "," else { return .failure(SamplingValueProblem(field: .stop, message: "separate the quoted texts with commas: \"a\", \"b\"")) }
            scalars = scalars.dropFirst().drop(while: { $0 == " " })
        }
    }
}
