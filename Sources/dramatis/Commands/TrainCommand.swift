import ArgumentParser

/// `dramatis train`: fine-tune the local model on a persona's marked examples; list and remove runs.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune the local model (a LoRA adapter) on a persona's marked examples, offline.",
        discussion: """
        Trains on Datasets/<persona>/sft.jsonl, holds out a seeded share of the examples (never trained on), \
        then replays the held-out turns on the base and the tuned model. Each run is kept in \
        Datasets/<persona>/runs/<run-id>/ (adapter.gguf and run.json). Use a run with \
        `dramatis ask --adapter RUN`, `dramatis replay --adapter RUN` or `adapter: RUN|latest` in the persona.
        """,
        subcommands: [TrainRunCommand.self, TrainListCommand.self, TrainRemoveCommand.self],
        defaultSubcommand: TrainRunCommand.self)
}
