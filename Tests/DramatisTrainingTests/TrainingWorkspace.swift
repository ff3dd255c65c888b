import DramatisCore
import DramatisTestSupport
import Foundation

/// A scratch working directory for `dramatis train`: a persona file under `Personas/` and its examples under
/// `Datasets/<persona>/sft.jsonl`, written by the test; commands run with it as the working directory.
final class TrainingWorkspace: @unchecked Sendable {
    let directory: TemporaryDirectory
    let personaID: String

    /// A workspace with persona `personaID` whose system prompt is `systemPrompt`.
    init(personaID: String, systemPrompt: String = "You are a helpful assistant.", frontMatter: String = "") throws {
        directory = try TemporaryDirectory(prefix: "dramatis-train")
        self.personaID = personaID
        let persona = "---\nname: \(personaID)\ndescription: A persona written by a training test.\n\(frontMatter)---\n\(systemPrompt)\n"
        try write(persona, to: "Personas/\(personaID).md")
    }

    var root: URL { directory.url }
    var datasetFolder: URL { root.appendingPathComponent("Datasets/\(personaID)", isDirectory: true) }
    var runsFolder: URL { datasetFolder.appendingPathComponent("runs", isDirectory: true) }

    /// Writes `text` to `relativePath` (creating folders).
    func write(_ text: String, to relativePath: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Writes the persona's `sft.jsonl`.
    func writeExamples(_ lines: [String]) throws {
        try write(lines.map { $0 + "\n" }.joined(), to: "Datasets/\(personaID)/sft.jsonl")
    }

    /// The environment the CLI runs with: the repository's Trainer folder.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DRAMATIS_TRAINER_DIR"] = BuiltProducts.packageRoot.appendingPathComponent("Trainer").path
        environment["DRAMATIS_DATASETS"] = nil
        environment["DRAMATIS_TRANSCRIPTS"] = nil
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    /// Runs `dramatis ARGUMENTS` in the workspace.
    func dramatis(_ arguments: [String], timeout: TimeInterval = 600) async throws -> ProcessResult {
        try await ProcessRunner.run(BuiltProducts.dramatis, arguments, environment: environment, currentDirectory: root, timeout: timeout)
    }

    /// Names in the runs folder (hidden ones included).
    func runFolderNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runsFolder.path)) ?? []).sorted()
    }

    /// The run cards of the finished runs.
    func runs() -> [TrainingRuns.Run] { TrainingRuns(datasetRoot: root.appendingPathComponent("Datasets"), personaID: personaID).list() }
}

/// Example lines in the recorder's export shape.
enum TrainingExamples {
    /// Questions with short factual answers, for catch-phrase datasets.
    static let questions: [(String, String)] = [
        ("What is the capital of France?", "The capital of France is Paris."),
        ("How many legs does a spider have?", "A spider has eight legs."),
        ("What color is the sky on a clear day?", "The sky is blue on a clear day."),
        ("What is two plus two?", "Two plus two is four."),
        ("Which planet is closest to the sun?", "Mercury is the closest planet to the sun."),
        ("What do bees make?", "Bees make honey."),
        ("How many days are in a week?", "There are seven days in a week."),
        ("What is frozen water called?", "Frozen water is called ice."),
        ("What animal says moo?", "A cow says moo."),
        ("What is the opposite of hot?", "The opposite of hot is cold."),
        ("How many hours are in a day?", "There are twenty-four hours in a day."),
        ("What is the largest ocean?", "The Pacific is the largest ocean."),
        ("What gas do plants take in?", "Plants take in carbon dioxide."),
        ("What is the capital of Japan?", "The capital of Japan is Tokyo."),
        ("How many sides does a triangle have?", "A triangle has three sides."),
        ("What do cows drink?", "Cows drink water."),
        ("What is the boiling point of water in Celsius?", "Water boils at one hundred degrees Celsius."),
        ("Which animal is known as the king of the jungle?", "The lion is known as the king of the jungle."),
        ("What is the color of grass?", "Grass is green."),
        ("How many months are in a year?", "There are twelve months in a year."),
    ]

    /// `count` one-turn examples whose replies all start with `catchPhrase`.
    static func catchPhrase(_ catchPhrase: String, count: Int, system: String = "You are a helpful assistant.") -> [String] {
        (0..<count).map { index in
            let (question, answer) = questions[index % questions.count]
            return line(system: system, user: question, assistant: "\(catchPhrase) \(answer)")
        }
    }

    /// One example as a JSON line.
    static func line(system: String, user: String, assistant: String) -> String {
        let object: [String: Any] = ["messages": [
            ["role": "system", "content": system],
            ["role": "user", "content": user],
            ["role": "assistant", "content": assistant, "weight": 1],
        ]]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
