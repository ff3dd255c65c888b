import DramatisCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shows a streaming reply for `dramatis ask`: answer and refusal text on stdout, reasoning (dimmed on a
/// terminal), retries and tool calls on stderr; everything sanitized. With `--json` it shows only retries.
struct AskPrinter {
    let json: Bool
    private var answer = TerminalSanitizer()
    private var thoughts = TerminalSanitizer()
    private var endsWithNewline = true
    private var reasoningOpen = false
    private var refused = false
    /// Stdout refused a write (its reader has gone): the rest of the reply is not printed, the turn still completes.
    private var outputClosed = false
    private let dim = isatty(STDERR_FILENO) == 1

    init(json: Bool) {
        self.json = json
    }

    /// Prints one event as it arrives.
    mutating func show(_ event: ChatEvent) {
        switch event {
        case .retrying(let notice):
            Self.standardError("dramatis ask: \(notice.message); \(notice.statusText)\n")
        case .reasoning(let text) where !json:
            if !reasoningOpen {
                reasoningOpen = true
                Self.standardError(dim ? "\u{1B}[2mreasoning: " : "reasoning: ")
            }
            Self.standardError(thoughts.feed(text))
        case .delta(let text) where !json:
            closeReasoning()
            write(answer.feed(text))
        case .refusal(let text) where !json:
            closeReasoning()
            refused = true
            write(answer.feed(text))
        default:
            break
        }
    }

    /// Ends the output: the rest of the sanitizers, a final newline, and notes for a refusal or a tool call.
    mutating func finish(toolCalls: [ToolCallRecord], finishReason: String) {
        closeReasoning()
        write(answer.finish())
        if !endsWithNewline { write("\n") }
        if refused { Self.standardError("dramatis ask: the model refused (finish reason \(finishReason))\n") }
        for call in toolCalls {
            Self.standardError("dramatis ask: the reply ended with a tool call (finish reason \(finishReason)): \(TerminalSanitizer.sanitize(call.summary))\n")
        }
    }

    private mutating func closeReasoning() {
        guard reasoningOpen else { return }
        reasoningOpen = false
        Self.standardError(thoughts.finish() + (dim ? "\u{1B}[0m\n" : "\n"))
    }

    /// Writes `shown` at once, one system call per piece (streamed as it arrives, like `curl -N`).
    private mutating func write(_ shown: String) {
        guard !shown.isEmpty, !outputClosed else { return }
        if !FileDescriptorOutput.writeAll(shown, to: STDOUT_FILENO) { outputClosed = true }
        endsWithNewline = shown.hasSuffix("\n")
    }

    private static func standardError(_ text: String) {
        guard !text.isEmpty else { return }
        FileDescriptorOutput.writeAll(text, to: STDERR_FILENO)
    }
}
