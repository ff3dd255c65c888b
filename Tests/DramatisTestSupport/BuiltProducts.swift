import Foundation

/// Locates binaries built by SwiftPM for end-to-end tests.
public enum BuiltProducts {
    /// The build products folder, i.e. `.build/<triple>/debug` (`DRAMATIS_BUILD_DIR` overrides).
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["DRAMATIS_BUILD_DIR"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // On Linux the test runner is `<products>/DramatisPackageTests.xctest`, an executable
        // whose bundle URL is the products folder itself; elsewhere it is inside the bundle.
        let bundle = Bundle.main.bundleURL.standardizedFileURL.resolvingSymlinksInPath()
        return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    }

    /// The `dramatis` executable built alongside the tests.
    public static var dramatis: URL {
        directory.appendingPathComponent("dramatis")
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
