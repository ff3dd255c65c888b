import ArgumentParser

/// `dramatis personas`: list, show, check, create and import persona files.
struct PersonasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "personas",
        abstract: "List, show, check, create and import personas (Markdown files with YAML front matter).",
        subcommands: [PersonasListCommand.self, PersonasShowCommand.self, PersonasLintCommand.self,
                      PersonasNewCommand.self, PersonasImportCommand.self],
        defaultSubcommand: PersonasListCommand.self)
}
