import ArgumentParser
import DramatisCore
import Foundation

/// `--transcripts DIR`: where transcripts live (default `$DRAMATIS_TRANSCRIPTS`, else `./Transcripts`).
struct TranscriptsLocationOptions: ParsableArguments {
    @Option(name: .customLong("transcripts"), help: ArgumentHelp("Transcript folder (default: $DRAMATIS_TRANSCRIPTS or ./Transcripts).", valueName: "DIR"))
    var directory: String?

    /// The folder, resolved against the current directory.
    var url: URL {
        let path = directory ?? ProcessInfo.processInfo.environment["DRAMATIS_TRANSCRIPTS"] ?? "Transcripts"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var store: TranscriptStore { TranscriptStore(directory: url) }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
