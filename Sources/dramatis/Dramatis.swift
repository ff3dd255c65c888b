import ArgumentParser
import DramatisCore

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
            ExportCommand.self,
            ValidateCommand.self,
            TrainCommand.self,
            DoctorCommand.self,
            EngineCommand.self,
            DebugCommand.self,
        ])
}
