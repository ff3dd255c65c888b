import DramatisCore
import DramatisTraining
import Foundation

/// Shows a training run: one updating line on a terminal, plain lines otherwise, JSON lines with `--json`.
final class TrainingProgressPrinter: @unchecked Sendable {
    // @unchecked: `lineOpen` is only touched under `lock` (updates arrive from the run's task).
    enum Mode { case terminal, plain, json }

    private let mode: Mode
    private let lock = NSLock()
    private var lineOpen = false

    init(mode: Mode) { self.mode = mode }

    /// Shows one update.
    func show(_ update: TrainingUpdate) {
        lock.lock()
        defer { lock.unlock() }
        switch mode {
        case .json: emitJSON(Self.json(update))
        case .terminal, .plain:
            guard let text = Self.text(update) else { return }
            if case .worker(.progress) = update, mode == .terminal {
                // Carriage return + erase-line redraw the progress line; only the text is sanitized (it would drop them).
                write(text, prefix: "\r\u{1B}[K")
                lineOpen = true
            } else {
                closeLine()
                write(text + "\n")
            }
        }
    }

    /// The summary of a kept run (or its card as one JSON line).
    func finished(_ run: TrainingRuns.Run, datasetRoot: URL) {
        lock.lock()
        defer { lock.unlock() }
        closeLine()
        if mode == .json {
            var object: [String: Any] = ["event": "finished", "run_id": run.id, "folder": run.folder.path]
            if let data = try? run.card.encoded(), let card = try? JSONSerialization.jsonObject(with: data) { object["card"] = card }
            emitJSON(object)
            return
        }
        write(RunSummary.text(run) + "\n")
    }

    /// A refusal or failure: on stderr (a JSON line on stdout with `--json`).
    func failure(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        closeLine()
        if mode == .json { emitJSON(["event": "failed", "message": message]) }
        FileHandle.standardError.write(Data("dramatis train: \(TerminalSanitizer.sanitize(message))\n".utf8))
    }

    private func closeLine() {
        if lineOpen { write("\n") }
        lineOpen = false
    }

    private func write(_ text: String, prefix: String = "") {
        FileHandle.standardOutput.write(Data((prefix + TerminalSanitizer.sanitize(text)).utf8))
    }

    private func emitJSON(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// A line of text for an update (nil: nothing to show).
    static func text(_ update: TrainingUpdate) -> String? {
        switch update {
        case .note(let message): return message
        case .evaluating(let done, let total):
            return done == 0 ? "replaying \(total) held-out turn\(total == 1 ? "" : "s") on base and tuned (temperature 0)" : nil
        case .worker(let event):
            switch event {
            case let .hello(_, device, threads, versions):
                let libraries = ["torch", "transformers", "peft"].compactMap { name in versions[name].map { "\(name) \($0)" } }
                return "trainer on \(device)\(threads.map { ", \($0) threads" } ?? ""): \(libraries.joined(separator: ", "))"
            case let .stage(name, message): return message.map { "\(name): \($0)" } ?? name
            case let .validation(when, loss, _): return "validation loss \(when): \(String(format: "%.3f", loss))"
            case .progress(let progress):
                var parts = ["\(progress.stage) step \(progress.step)/\(progress.totalSteps)"]
                if let loss = progress.loss { parts.append("loss \(String(format: "%.3f", loss))") }
                if let speed = progress.tokensPerSecond { parts.append("\(Int(speed.rounded())) tok/s") }
                if let eta = progress.etaSeconds { parts.append("ETA \(Int(eta.rounded())) s") }
                return parts.joined(separator: "  ")
            case .done: return nil
            case let .error(kind, message, _, _): return "trainer error (\(kind)): \(message)"
            }
        }
    }

    /// `value`, or JSON null (JSONSerialization cannot take a Swift nil).
    private static func nullable<Value>(_ value: Value?) -> Any { value.map { $0 as Any } ?? NSNull() }

    /// The JSON object of an update.
    static func json(_ update: TrainingUpdate) -> [String: Any] {
        switch update {
        case .note(let message): return ["event": "note", "message": message]
        case let .evaluating(done, total): return ["event": "evaluating", "done": done, "total": total]
        case .worker(let event):
            switch event {
            case let .hello(version, device, threads, versions):
                return ["event": "hello", "protocol": version, "device": device, "threads": nullable(threads), "versions": versions]
            case let .stage(name, message): return ["event": "stage", "stage": name, "message": nullable(message)]
            case let .validation(when, loss, tokens): return ["event": "validation", "when": when, "loss": loss, "tokens": nullable(tokens)]
            case .progress(let progress):
                var object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(progress))) as? [String: Any] ?? [:]
                object["event"] = "progress"
                return object
            case .done(let done):
                var object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(done))) as? [String: Any] ?? [:]
                object["event"] = "done"
                return object
            case let .error(kind, message, file, line):
                return ["event": "error", "kind": kind, "message": message, "file": nullable(file), "line": nullable(line)]
            }
        }
    }
}

/// The readable summary of a run (printed after training and by `train list --verbose`).
enum RunSummary {
    static func text(_ run: TrainingRuns.Run) -> String {
        let card = run.card
        var lines = ["run \(run.id) for \(card.persona): \(card.dataset.trainExamples) examples trained, \(card.dataset.heldOutExamples) held out, "
            + "\(card.steps) steps, \(String(format: "%.1f", card.wallSeconds)) s"
            + (card.peakRSSBytes.map { ", peak memory \(String(format: "%.1f", Double($0) / 1e9)) GB" } ?? "")]
        if let before = card.validationLossBefore, let after = card.validationLossAfter {
            lines.append("validation loss \(String(format: "%.3f", before)) -> \(String(format: "%.3f", after))")
        }
        if let evaluation = card.evaluation, !evaluation.turns.isEmpty {
            lines.append("held-out replay, similarity to the marked-good reply (temperature 0): base "
                + "\(String(format: "%.3f", evaluation.baseMeanSimilarity)) -> tuned \(String(format: "%.3f", evaluation.tunedMeanSimilarity))")
            for turn in evaluation.turns {
                lines.append("  line \(turn.line): \(PersonasOutput.fit(turn.prompt, 40))  base \(String(format: "%.3f", turn.baseSimilarity))"
                    + "  tuned \(String(format: "%.3f", turn.tunedSimilarity))")
                lines.append("    base:  \(PersonasOutput.fit(turn.baseReply, 100))")
                lines.append("    tuned: \(PersonasOutput.fit(turn.tunedReply, 100))")
            }
        }
        lines.append("adapter: \(run.adapter.path)")
        lines.append("use it: dramatis ask --persona \(card.persona) --adapter \(run.id) \"…\", or `adapter: latest` in the persona's front matter")
        return lines.joined(separator: "\n")
    }
}
