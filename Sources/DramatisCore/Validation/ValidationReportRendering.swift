import Foundation

/// Renders validation reports as JSON (`--json`) or as text for a terminal.
public enum ValidationReportRendering {
    /// The machine-readable report: `{file, format, model, valid, errors:[{line,category,message}],
    /// warnings:[…], error_counts, warning_counts, stats:{examples, total_tokens, assistant_tokens, billed_tokens, epochs, …}}`.
    public static func json(_ report: ValidationReport) -> String {
        var out = JSONWriter()
        out.beginObject()
        out.key("file"); out.string(report.file)
        out.key("format"); out.string(report.format.rawValue)
        out.key("format_detected"); out.bool(report.formatDetected)
        out.key("model"); out.string(report.model)
        out.key("valid"); out.bool(report.isValid)
        out.key("errors"); issues(report.errors, &out)
        out.key("warnings"); issues(report.warnings, &out)
        out.key("error_counts"); counts(report.errorCounts, &out)
        out.key("warning_counts"); counts(report.warningCounts, &out)
        let s = report.statistics
        out.key("stats"); out.beginObject()
        out.key("examples"); out.int(s.examples)
        out.key("counted_examples"); out.int(s.countedExamples)
        out.key("examples_with_errors"); out.int(s.examplesWithErrors)
        out.key("total_tokens"); out.int(s.totalTokens)
        out.key("assistant_tokens"); out.int(s.assistantTokens)
        out.key("trained_assistant_tokens"); out.int(s.trainedAssistantTokens)
        out.key("billing_tokens_per_epoch"); out.int(s.billingTokensPerEpoch)
        out.key("billed_tokens"); out.int(s.billedTokens)
        out.key("epochs"); out.int(s.epochs)
        out.key("context_limit"); out.int(s.contextLimit)
        out.key("examples_over_limit"); out.int(s.examplesOverLimit)
        out.key("examples_missing_system"); out.int(s.examplesMissingSystem)
        out.key("examples_missing_user"); out.int(s.examplesMissingUser)
        out.key("tokenizer"); out.string(s.encoding.rawValue)
        out.key("token_count_is_estimate"); out.bool(s.tokenCountIsEstimate)
        out.key("bytes"); out.int(s.bytes)
        out.key("messages_per_example"); distribution(s.messagesPerExample, &out)
        out.key("total_tokens_per_example"); distribution(s.totalTokensPerExample, &out)
        out.key("assistant_tokens_per_example"); distribution(s.assistantTokensPerExample, &out)
        out.endObject()
        out.endObject()
        return out.text
    }

    /// Several reports as a JSON array.
    public static func json(_ reports: [ValidationReport]) -> String {
        "[" + reports.map { json($0) }.joined(separator: ",") + "]"
    }

    /// A human-readable report; every piece of file-derived text is sanitized for the terminal.
    public static func text(_ report: ValidationReport) -> String {
        let s = report.statistics
        var lines: [String] = []
        let file = TerminalSanitizer.sanitize(report.file)
        lines.append("\(file): \(report.format.rawValue)\(report.formatDetected ? " (detected)" : ""), model \(TerminalSanitizer.sanitize(report.model))")
        for issue in report.errors {
            lines.append("  error   \(location(issue, file)) [\(issue.category)] \(TerminalSanitizer.sanitize(issue.message))")
        }
        for (category, count) in report.errorCounts.sorted(by: { $0.key < $1.key }) {
            let shown = report.errors.filter { $0.category == category }.count
            if count > shown { lines.append("  error   … \(count - shown) more [\(category)]") }
        }
        for issue in report.warnings {
            lines.append("  warning \(location(issue, file)) [\(issue.category)] \(TerminalSanitizer.sanitize(issue.message))")
        }
        for (category, count) in report.warningCounts.sorted(by: { $0.key < $1.key }) {
            let shown = report.warnings.filter { $0.category == category }.count
            if count > shown { lines.append("  warning … \(count - shown) more [\(category)]") }
        }
        lines.append("  examples: \(s.examples) (\(s.examplesWithErrors) with errors)")
        let estimate = s.tokenCountIsEstimate ? " (ESTIMATE: not this model's tokenizer)" : ""
        lines.append("  tokens counted with \(s.encoding.rawValue)\(estimate)")
        if let d = s.messagesPerExample { lines.append("  messages per example:  \(describe(d))") }
        if let d = s.totalTokensPerExample { lines.append("  total tokens/example:  \(describe(d))") }
        if let d = s.assistantTokensPerExample { lines.append("  assistant tokens/ex.:  \(describe(d))") }
        lines.append("  total tokens: \(s.totalTokens), assistant tokens: \(s.assistantTokens) (\(s.trainedAssistantTokens) with weight 1)")
        lines.append("  \(s.examplesOverLimit) examples over the \(s.contextLimit)-token limit (truncated in training)")
        lines.append("  ~\(s.billingTokensPerEpoch) tokens charged per epoch; default \(s.epochs) epochs; ~\(s.billedTokens) billed tokens")
        lines.append(report.isValid ? "  OK: no errors (\(report.warningTotal) warnings)" : "  FAILED: \(report.errorTotal) errors, \(report.warningTotal) warnings")
        return lines.joined(separator: "\n")
    }

    private static func location(_ issue: ValidationIssue, _ file: String) -> String {
        if let line = issue.line { return "\(file):\(line):" }
        return "\(file):"
    }

    private static func describe(_ d: Distribution) -> String {
        "min \(d.min), median \(format(d.median)), mean \(format(d.mean)), p10 \(format(d.p10)), p90 \(format(d.p90)), max \(d.max)"
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        return String(format: "%.1f", value)
    }

    private static func issues(_ issues: [ValidationIssue], _ out: inout JSONWriter) {
        out.beginArray()
        for issue in issues {
            out.element()
            out.beginObject()
            out.key("line"); if let line = issue.line { out.int(line) } else { out.null() }
            out.key("category"); out.string(issue.category)
            out.key("message"); out.string(issue.message)
            out.endObject()
        }
        out.endArray()
    }

    private static func counts(_ counts: [String: Int], _ out: inout JSONWriter) {
        out.beginObject()
        for (category, count) in counts.sorted(by: { $0.key < $1.key }) {
            out.key(category); out.int(count)
        }
        out.endObject()
    }

    private static func distribution(_ d: Distribution?, _ out: inout JSONWriter) {
        guard let d else { out.null(); return }
        out.beginObject()
        out.key("min"); out.int(d.min)
        out.key("max"); out.int(d.max)
        out.key("mean"); out.double(d.mean)
        out.key("median"); out.double(d.median)
        out.key("p10"); out.double(d.p10)
        out.key("p90"); out.double(d.p90)
        out.endObject()
    }
}

/// A tiny ordered JSON writer (keys in the order written, strings escaped per RFC 8259).
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = []

    mutating func beginObject() { text += "{"; needsComma.append(false) }
    mutating func endObject() { text += "}"; needsComma.removeLast() }
    mutating func beginArray() { text += "["; needsComma.append(false) }
    mutating func endArray() { text += "]"; needsComma.removeLast() }

    /// Writes a separator before an array element.
    mutating func element() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    mutating func key(_ name: String) {
        element()
        string(name)
        text += ":"
    }

    mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0):
                text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    mutating func int(_ value: Int) { text += String(value) }
    mutating func bool(_ value: Bool) { text += value ? "true" : "false" }
    mutating func null() { text += "null" }
    mutating func double(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { text += String(Int(value)) + ".0" } else { text += String(value) }
    }
}
