import Foundation

/// Locates binaries built by SwiftPM for end-to-end tests.
public enum BuiltProducts {
    /// The folder holding the test bundle, i.e. `.build/<triple>/debug`.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["DRAMATIS_BUILD_DIR"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath()
    }

    /// The `dramatis` executable built alongside the tests.
    public static var dramatis: URL {
        let candidates = [directory.appendingPathComponent("dramatis"),
                          directory.deletingLastPathComponent().appendingPathComponent("dramatis")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// The repository root (where Package.swift is).
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
