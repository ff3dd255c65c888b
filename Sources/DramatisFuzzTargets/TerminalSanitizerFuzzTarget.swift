import DramatisCore

/// Fuzzes `TerminalSanitizer`: whatever the model sends, nothing that could drive the terminal gets through.
///
/// Invariants: the output has no ESC, no C0 control but `\n` and `\t`, no DEL, no C1 control, no bidi
/// override or isolate, and only scalars `wcwidth` can print; feeding the text in arbitrary chunks gives the
/// same output as feeding it whole; sanitizing twice changes nothing.
public enum TerminalSanitizerFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "terminal-sanitizer", run: run)

    /// Sanitizes `data` decoded as UTF-8 (invalid bytes become U+FFFD), whole and in chunks.
    public static func run(_ data: [UInt8]) throws {
        let text = String(decoding: data, as: UTF8.self)
        let whole = TerminalSanitizer.sanitize(text)
        for scalar in whole.unicodeScalars {
            let value = scalar.value
            try require(value == 0x0A || value == 0x09 || !(value < 0x20 || (0x7F ... 0x9F).contains(value)),
                        "control character U+\(hex(value)) survived sanitizing")
            try require(!(0x202A ... 0x202E).contains(value) && !(0x2066 ... 0x2069).contains(value),
                        "bidi control U+\(hex(value)) survived sanitizing")
            try require(value < 0x20 || DisplayWidth.wcwidth(scalar) >= 0,
                        "unprintable scalar U+\(hex(value)) (wcwidth < 0) survived sanitizing")
        }

        var splitter = ChunkSplitter(seedBytes: data)
        var sanitizer = TerminalSanitizer()
        var chunked = String.UnicodeScalarView()
        for chunk in splitter.split(Array(text.unicodeScalars)) {
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: chunk)
            chunked.append(contentsOf: sanitizer.feed(String(piece)).unicodeScalars)
        }
        chunked.append(contentsOf: sanitizer.finish().unicodeScalars)
        try require(Array(chunked) == Array(whole.unicodeScalars),
                    "chunked feeding gave \(debug(String(chunked))), whole text gave \(debug(whole))")

        let twice = TerminalSanitizer.sanitize(whole)
        try require(Array(twice.unicodeScalars) == Array(whole.unicodeScalars),
                    "sanitizing is not idempotent: \(debug(whole)) became \(debug(twice))")
    }
}

/// Four or more uppercase hex digits of a scalar value.
package func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// A string with every scalar outside printable ASCII escaped, for violation messages.
package func debug(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { (0x20 ..< 0x7F).contains($0.value) ? String($0) : "\\u{\(hex($0.value))}" }.joined() + "\""
}
