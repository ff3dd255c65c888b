import DramatisCore
import Foundation

/// Fuzzes `PersonaFile.parse`: the front-matter splitter, Yams, and the field checks behind it.
///
/// Invariants: parsing never crashes; a failure always carries at least one problem, and every problem
/// points inside the file (line 1 up to one past the last line, counting LF, CRLF and lone CR as line breaks
/// as YAML does; column at least 1) and names this file;
/// a success has a name and a non-empty system prompt, as the format requires.
public enum PersonaFileFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "persona", run: run)

    /// The path problems are reported against.
    static let source = URL(fileURLWithPath: "/fuzz/persona.md")

    /// Parses `data` as the persona file `/fuzz/persona.md`.
    public static func run(_ data: [UInt8]) throws {
        switch PersonaFile.parse(data: Data(data), source: source, displayPath: "persona.md") {
        case .success(let persona):
            try require(persona.id == "persona", "persona id \(debug(persona.id)) is not the file stem")
            try require(!persona.name.isEmpty, "a persona parsed without a name")
            try require(!persona.systemPrompt.isEmpty, "a persona parsed without a system prompt")
        case .failure(let problems):
            try require(!problems.problems.isEmpty, "parsing failed without naming a problem")
            let lineCount = lineBreaks(data) + 1
            for problem in problems.problems {
                try require(problem.file == "persona.md", "problem names file \(debug(problem.file))")
                try require(problem.line >= 1 && problem.line <= lineCount + 1,
                            "problem at line \(problem.line) of a \(lineCount)-line file: \(problem)")
                try require(problem.column >= 1, "problem at column \(problem.column): \(problem)")
            }
        }
    }

    /// Line breaks in `bytes`: LF, CRLF (one break) and lone CR.
    static func lineBreaks(_ bytes: [UInt8]) -> Int {
        var count = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A || byte == 0x0D {
            if byte == 0x0A, index > 0, bytes[index - 1] == 0x0D { continue }
            count += 1
        }
        return count
    }
}
