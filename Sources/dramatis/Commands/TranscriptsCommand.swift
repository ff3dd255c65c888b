import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis transcripts`: list, show and search saved conversations.
struct TranscriptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcripts",
        abstract: "List, show and search saved conversations.",
        subcommands: [TranscriptsListCommand.self, TranscriptsShowCommand.self, TranscriptsSearchCommand.self],
        defaultSubcommand: TranscriptsListCommand.self)
}

/// `dramatis transcripts list`: one line per transcript, newest first; unreadable files with their error.
struct TranscriptsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List transcripts: date, persona, model, turns, marks, title.")

    @OptionGroup var location: TranscriptsLocationOptions
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func run() throws {
        let listing = location.store.list(verifying: true)
        if listing.isEmpty {
            printError("No transcripts in \(location.url.path).")
            return
        }
        var failures = 0
        for entry in listing {
            switch entry {
            case .valid(let summary):
                if json {
                    var members: [(String, JSONValue)] = [
                        ("id", .string(summary.id)), ("path", .string(summary.url.path)),
                        ("created_at", .string(TranscriptDate.string(from: summary.createdAt))),
                        ("persona", .string(summary.personaID)), ("model", .string(summary.model)),
                        ("turns", .int(summary.turnCount)), ("marks", .int(summary.markCount)), ("title", .string(summary.title)),
                    ]
                    if let replayOf = summary.replayOf { members.append(("replay_of", .string(replayOf))) }
                    print(JSONValue.object(members).serialized())
                } else {
                    let date = TranscriptDate.string(from: summary.createdAt).prefix(16).replacingOccurrences(of: "T", with: " ")
                    let title = TerminalSanitizer.sanitize(summary.title)
                    print("\(summary.id)  \(date)  \(pad(TerminalSanitizer.sanitize(summary.personaName), 12))  \(pad(TerminalSanitizer.sanitize(summary.model), 16))  \(pad("\(summary.turnCount) turns", 9))  \(pad("\(summary.markCount) marks", 9))  \(title.count > 60 ? String(title.prefix(59)) + "…" : title)")
                }
            case .invalid(let url, let message):
                failures += 1
                if json {
                    print(JSONValue.object([("path", .string(url.path)), ("error", .string(message))]).serialized())
                } else {
                    print("INVALID  \(url.path): \(TerminalSanitizer.sanitize(message))")
                }
            }
        }
        if failures > 0 { printError("\(failures) transcript(s) could not be read (left untouched).") }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        let columns = DisplayWidth.columns(text)
        return columns >= width ? text : text + String(repeating: " ", count: width - columns)
    }
}

/// `dramatis transcripts show ID|PATH`: a readable, sanitized rendering (or the JSON).
struct TranscriptsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one transcript (by id or path).")

    @OptionGroup var location: TranscriptsLocationOptions
    @Argument(help: "Transcript id or path to a .json file.") var transcript: String
    @Flag(help: "Print the transcript's JSON.") var json = false
    @Flag(name: .customLong("all"), help: "Show every branch and alternative, not only the selected branch.") var allBranches = false

    func run() throws {
        let conversation: Conversation
        do {
            conversation = try location.store.load(idOrPath: transcript)
        } catch {
            printError("dramatis transcripts show: \(TerminalSanitizer.sanitize("\(error)"))")
            throw ExitCode(1)
        }
        if json {
            FileHandle.standardOutput.write(try TranscriptStore.fileData(for: conversation))
            return
        }
        print(TranscriptRenderer.render(conversation, allBranches: allBranches), terminator: "")
    }
}

/// `dramatis transcripts search TEXT`: every turn containing the text (case-insensitive).
struct TranscriptsSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Find transcripts containing a text.")

    @OptionGroup var location: TranscriptsLocationOptions
    @Argument(help: "Text to look for (case-insensitive).") var text: String

    func run() throws {
        var hits = 0
        for entry in location.store.list() {
            guard case .valid(let summary) = entry, let conversation = try? location.store.load(summary.url) else { continue }
            for turn in conversation.turns {
                guard let range = turn.text.range(of: text, options: [.caseInsensitive, .diacriticInsensitive]) else { continue }
                hits += 1
                let before = turn.text[..<range.lowerBound].suffix(30)
                let after = turn.text[range.upperBound...].prefix(40)
                let snippet = TerminalSanitizer.sanitize("…\(before)[\(turn.text[range])]\(after)…").replacingOccurrences(of: "\n", with: " ")
                print("\(conversation.id)  turn \(turn.id) (\(turn.role.rawValue))  \(snippet)")
            }
        }
        if hits == 0 {
            printError("No turn contains \"\(TerminalSanitizer.sanitize(text))\".")
            throw ExitCode(1)
        }
    }
}
