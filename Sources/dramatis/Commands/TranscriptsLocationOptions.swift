import ArgumentParser
import DramatisCore
import Foundation

/// `--transcripts DIR`: where transcripts live (default `$DRAMATIS_TRANSCRIPTS`, else `Transcripts/` of the project or the user data folder).
struct TranscriptsLocationOptions: ParsableArguments {
    @Option(name: .customLong("transcripts"), help: ArgumentHelp("Transcript folder (default: $DRAMATIS_TRANSCRIPTS, else Transcripts/ of the project or the user data folder).", valueName: "DIR"))
    var directory: String?

    /// The folder, resolved against the current directory.
    var url: URL { Self.resolve(directory) }

    /// `option`, else `$DRAMATIS_TRANSCRIPTS`, else `Transcripts/` of the project around the working directory or of the user data folder.
    static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = option ?? environment["DRAMATIS_TRANSCRIPTS"] {
            return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        }
        return ProjectLocation.current(environment: environment).transcripts
    }

    var store: TranscriptStore { TranscriptStore(directory: url) }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
