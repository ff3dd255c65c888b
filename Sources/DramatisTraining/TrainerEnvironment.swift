import DramatisBackends
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The trainer's private Python venv, as `Trainer/setup-venv.sh` reports it.
public struct TrainerEnvironment: Sendable, Hashable, Decodable {
    /// The venv's python.
    public var python: URL
    /// The folder holding `convert_lora_to_gguf.py` (from the engine's source archive).
    public var converterDirectory: URL

    enum CodingKeys: String, CodingKey {
        case python
        case converterDirectory = "converter_dir"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        python = URL(fileURLWithPath: try container.decode(String.self, forKey: .python))
        converterDirectory = URL(fileURLWithPath: try container.decode(String.self, forKey: .converterDirectory), isDirectory: true)
    }

    /// Runs `setup-venv.sh` in `trainerDirectory` (idempotent: seconds once installed; the first time it downloads
    /// several GB, its progress going to `progress`, a file descriptor such as stderr) and parses its last stdout line.
    public static func prepare(trainerDirectory: URL, progress: Int32 = STDERR_FILENO) async throws -> TrainerEnvironment {
        let script = trainerDirectory.appendingPathComponent(TrainerLocation.setupScript)
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw TrainingError.environment("\(script.path) is missing: the trainer folder is incomplete")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-venv-\(getpid())-\(UUID().uuidString).out")
        let outputFD = open(output.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard outputFD >= 0 else { throw TrainingError.environment("cannot create \(output.path) (errno \(errno))") }
        defer {
            close(outputFD)
            unlink(output.path)
        }
        let process: SupervisedProcess
        do {
            process = try SupervisedProcess(executable: URL(fileURLWithPath: "/bin/bash"), arguments: [script.path],
                                            standardOutput: outputFD, standardError: progress)
        } catch {
            throw TrainingError.environment("cannot run \(script.path): \(error)")
        }
        let status = await process.exitStatus()
        if Task.isCancelled { throw TrainingError.cancelled }
        let text = String(decoding: FileManager.default.contents(atPath: output.path) ?? Data(), as: UTF8.self)
        guard status == 0 else {
            throw TrainingError.environment("setting up the trainer's Python environment failed (\(script.path), exit status "
                + "\((status >> 8) & 0xff)); see the messages above, fix the cause and run the command again")
        }
        let lastLine = text.split(separator: "\n").last.map(String.init) ?? ""
        guard let environment = try? JSONDecoder().decode(TrainerEnvironment.self, from: Data(lastLine.utf8)) else {
            throw TrainingError.environment("\(script.path) did not end with its JSON line (got \(lastLine.prefix(200).debugDescription))")
        }
        guard FileManager.default.isExecutableFile(atPath: environment.python.path) else {
            throw TrainingError.environment("the trainer's python \(environment.python.path) is missing: delete its venv and run again")
        }
        return environment
    }
}
