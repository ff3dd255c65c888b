import DramatisCore
import Foundation

/// Fuzzes `DatasetValidator` (line splitting, UTF-8 check, the JSON tape parser, format checks, token
/// counting, statistics) and both report renderings.
///
/// Each input is validated twice: with the format detected, and as one format picked from the input's
/// length, so every format's checks see every input shape. Issues are capped at 3 per category so the cap
/// logic runs too.
///
/// Invariants: nothing crashes; per category, stored issues are at most the cap and at most the count;
/// every counted category has stored issues; every issue's line exists in the input; `--json` output is
/// valid JSON; text output contains no control character but newlines.
public enum JSONLValidatorFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "jsonl-validator", prepare: { _ = SharedTokenizers.o200k }, run: run)

    static let cap = 3

    /// Validates `data` as a JSONL dataset, detected and as a chosen format.
    public static func run(_ data: [UInt8]) throws {
        let formats = DatasetFormat.allCases
        for format in [nil, formats[data.count % formats.count]] {
            let options = ValidationOptions(format: format, maxIssuesPerCategory: cap)
            let validator = DatasetValidator(tokenizer: SharedTokenizers.o200k, options: options, workers: 1)
            try check(validator.validate(bytes: data, name: "fuzz.jsonl"), data: data)
        }
    }

    static func check(_ report: ValidationReport, data: [UInt8]) throws {
        let lineCount = data.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        for (issues, counts, kind) in [(report.errors, report.errorCounts, "error"), (report.warnings, report.warningCounts, "warning")] {
            var stored: [String: Int] = [:]
            for issue in issues {
                stored[issue.category, default: 0] += 1
                if let line = issue.line {
                    try require(line >= 1 && line <= lineCount, "\(kind) at line \(line) of a \(lineCount)-line input: \(issue)")
                }
            }
            for (category, number) in stored {
                try require(number <= cap, "\(number) \(kind)s of \(category) stored, cap is \(cap)")
                try require(number <= counts[category] ?? 0, "\(number) \(kind)s of \(category) stored but \(counts[category] ?? 0) counted")
            }
            for (category, count) in counts {
                try require(count > 0, "\(kind) count of \(category) is \(count)")
                try require(stored[category, default: 0] == min(count, cap),
                            "\(count) \(kind)s of \(category) counted but \(stored[category, default: 0]) stored (cap \(cap))")
            }
        }
        try require(report.statistics.bytes == data.count, "statistics count \(report.statistics.bytes) bytes of \(data.count)")

        let json = ValidationReportRendering.json(report)
        do {
            _ = try JSONSerialization.jsonObject(with: Data(json.utf8))
        } catch {
            throw FuzzInvariantViolation("the --json report is not valid JSON (\(error)): \(debug(json))")
        }
        let text = ValidationReportRendering.text(report)
        for scalar in text.unicodeScalars where scalar != "\n" {
            let value = scalar.value
            try require(!(value < 0x20 || (0x7F ... 0x9F).contains(value)), "text report contains U+\(hex(value)): \(debug(text))")
        }
    }
}
