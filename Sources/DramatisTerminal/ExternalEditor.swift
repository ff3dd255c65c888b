import Foundation

/// Edits text in the user's `$VISUAL` / `$EDITOR` (falling back to `vi`) through a temporary file.
enum ExternalEditor {
    /// Runs the editor on a file holding `text` and returns the saved text, or an error message.
    static func edit(_ text: String, environment: [String: String]) -> Result<String, EditorFailure> {
        let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(text.utf8).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // The editor value may carry arguments ("code --wait"): let the shell split it; the file is "$1".
            process.arguments = ["-c", "\(editor) \"$1\"", "dramatis-editor", file.path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                return .failure(EditorFailure(message: "\(editor) exited with status \(process.terminationStatus); input unchanged"))
            }
            return .success(String(decoding: try Data(contentsOf: file), as: UTF8.self))
        } catch {
            return .failure(EditorFailure(message: "could not run \(editor): \(error.localizedDescription)"))
        }
    }
}

/// Why the external editor did not return text.
struct EditorFailure: Error {
    var message: String
}
