import ArgumentParser
import DramatisCore
#if canImport(Glibc)
import Glibc
#endif

/// The `dramatis` command: a terminal persona chat playground.
@main
struct Dramatis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dramatis",
        abstract: "A terminal persona chat playground: test personas, build fine-tuning data by conversation, replay transcripts.",
        version: DramatisVersion.string,
        subcommands: [
            ChatCommand.self,
            AskCommand.self,
            PersonasCommand.self,
            TranscriptsCommand.self,
            ReplayCommand.self,
            AutopilotCommand.self,
            ExportCommand.self,
            ValidateCommand.self,
            StatsCommand.self,
            TrainCommand.self,
            DoctorCommand.self,
            EngineCommand.self,
            DebugCommand.self,
        ],
        // Bare `dramatis` on a terminal opens the persona picker (`chat`); piped or redirected, it prints help.
        defaultSubcommand: isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 ? ChatCommand.self : nil)
}
