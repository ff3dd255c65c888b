import ArgumentParser
import DramatisBackends
import DramatisCore
import Foundation

/// The upload target of `export` and `validate`: `--target`, else `upload_target:` in the configuration file.
enum ConfiguredUploadTarget {
    /// `option`, else the configured default; a broken configuration file is reported as `command`'s error (exit 2).
    static func resolve(_ option: UploadTarget?, command: String) throws -> UploadTarget? {
        if let option { return option }
        do {
            return try BackendConfiguration.load(workingDirectory: ProjectLocation.current().baseDirectory,
                                                 paths: .fromEnvironment()).uploadTarget
        } catch {
            printError("dramatis \(command): \(TerminalSanitizer.sanitize(String(describing: error)))")
            throw ExitCode(2)
        }
    }
}
