import Foundation

/// Where the Python trainer (`Trainer/`: the worker, its pinned requirements and venv script) lives.
public enum TrainerLocation {
    /// The worker script's name inside the trainer folder.
    public static let workerScript = "dramatis_trainer.py"
    /// The venv set-up script's name inside the trainer folder.
    public static let setupScript = "setup-venv.sh"

    /// `DRAMATIS_TRAINER_DIR`, else `<exe>/../share/dramatis/trainer` (an install), else the first folder above
    /// the executable holding `Trainer/dramatis_trainer.py` (a development build in `.build/…`).
    public static func resolve(environment: [String: String], executable: URL = executableURL()) throws -> URL {
        let files = FileManager.default
        func holdsWorker(_ folder: URL) -> Bool {
            files.fileExists(atPath: folder.appendingPathComponent(workerScript).path)
        }
        if let value = environment["DRAMATIS_TRAINER_DIR"], !value.isEmpty {
            let folder = URL(fileURLWithPath: value, isDirectory: true)
            guard holdsWorker(folder) else {
                throw TrainingError.environment("DRAMATIS_TRAINER_DIR=\(value) has no \(workerScript)")
            }
            return folder
        }
        let binFolder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = binFolder.deletingLastPathComponent().appendingPathComponent("share/dramatis/trainer", isDirectory: true)
        if holdsWorker(installed) { return installed }
        var folder = binFolder
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Trainer", isDirectory: true)
            if holdsWorker(candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw TrainingError.environment("the trainer (\(workerScript)) was not found: set DRAMATIS_TRAINER_DIR to the Trainer folder "
            + "(looked in \(installed.path) and above \(binFolder.path))")
    }

    /// The running executable (from /proc/self/exe, falling back to argv[0]).
    public static func executableURL() -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}
