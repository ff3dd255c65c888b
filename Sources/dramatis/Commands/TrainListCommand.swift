import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis train list`: the finished training runs, per persona.
struct TrainListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the training runs (all personas, or one).")

    @Option(name: .long, help: "Only this persona's runs (its id).")
    var persona: String?
    @OptionGroup var location: DatasetLocationOptions
    @Flag(name: .long, help: "Print the run cards as one JSON array.")
    var json = false

    func run() throws {
        let runs = Self.personaIDs(root: location.root, only: persona).flatMap { location.runs(personaID: $0).list() }
        if json {
            let cards = runs.compactMap { try? JSONSerialization.jsonObject(with: $0.card.encoded()) }
            let data = try JSONSerialization.data(withJSONObject: cards, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard !runs.isEmpty else {
            PersonasOutput.err("no training runs in \(location.root.path)\(persona.map { "/\($0)" } ?? ""); start one with `dramatis train --persona ID`")
            return
        }
        PersonasOutput.out("RUN                 PERSONA          METHOD   EXAMPLES  VAL LOSS         HELD-OUT SIMILARITY")
        for run in runs {
            let card = run.card
            let loss = card.validationLossBefore.flatMap { before in
                card.validationLossAfter.map { String(format: "%.3f -> %.3f", before, $0) }
            } ?? "-"
            let similarity = card.evaluation.map { String(format: "%.3f -> %.3f", $0.baseMeanSimilarity, $0.tunedMeanSimilarity) } ?? "-"
            PersonasOutput.out([pad(run.id, 19), pad(PersonasOutput.fit(card.persona, 16), 16), pad(card.parameters.method, 8),
                                pad("\(card.dataset.trainExamples)+\(card.dataset.heldOutExamples)", 9), pad(loss, 16), similarity]
                .joined(separator: " "))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// The persona folders under `root` that have a `runs` folder (or just `only`).
    static func personaIDs(root: URL, only: String?) -> [String] {
        if let only { return [only] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/runs").path) }
            .sorted()
    }
}

/// `dramatis train rm RUN`: deletes a run (its adapter and card).
struct TrainRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a training run.")

    @Argument(help: "The run id (see `dramatis train list`).")
    var runID: String
    @Option(name: .long, help: "The persona whose run it is (default: the one persona that has a run with this id).")
    var persona: String?
    @OptionGroup var location: DatasetLocationOptions

    func run() throws {
        let owners = TrainListCommand.personaIDs(root: location.root, only: persona).filter { id in
            location.runs(personaID: id).list().contains { $0.id == runID }
        }
        guard let owner = owners.first else {
            PersonasOutput.err("dramatis train rm: no run '\(runID)' in \(location.root.path)\(persona.map { "/\($0)" } ?? ""); see `dramatis train list`")
            throw ExitCode(2)
        }
        guard owners.count == 1 else {
            PersonasOutput.err("dramatis train rm: personas \(owners.joined(separator: ", ")) each have a run '\(runID)'; add --persona")
            throw ExitCode(2)
        }
        try location.runs(personaID: owner).remove(runID)
        PersonasOutput.out("removed run \(runID) of \(owner)")
    }
}
