import Foundation

/// Where a command's files go: the Dramatis project around the working directory, else the user's data folder.
///
/// A project is a folder holding `Personas/` or `dramatis.yaml`, found by walking up from the working
/// directory the way git finds its repository. Inside one, `Transcripts/` and `Datasets/` sit at its top;
/// elsewhere they go to `$XDG_DATA_HOME/dramatis`, so running `dramatis ask` in any folder does not litter it.
public struct ProjectLocation: Sendable, Hashable {
    /// The project folder, nil when the working directory is in no project.
    public var projectRoot: URL?
    /// What marked the project folder (`Personas/` or `dramatis.yaml`), nil outside a project.
    public var marker: String?
    /// The folder the command was started in.
    public var workingDirectory: URL
    /// The user's data folder, used outside a project.
    public var dataRoot: URL

    /// The names that make a folder a Dramatis project, in the order they are looked for.
    public static let markers = ["Personas/", "dramatis.yaml"]

    /// Finds the project around `workingDirectory` (that folder or a parent of it).
    public static func discover(from workingDirectory: URL, paths: AppPaths) -> ProjectLocation {
        let start = workingDirectory.standardizedFileURL
        var folder = start
        while true {
            if let marker = marker(in: folder) {
                return ProjectLocation(projectRoot: folder, marker: marker, workingDirectory: start, dataRoot: paths.dataRoot)
            }
            let parent = folder.deletingLastPathComponent().standardizedFileURL
            if parent.path == folder.path || folder.path == "/" { break }
            folder = parent
        }
        return ProjectLocation(projectRoot: nil, marker: nil, workingDirectory: start, dataRoot: paths.dataRoot)
    }

    /// The location for this process: its current directory and the XDG folders of its environment.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProjectLocation {
        discover(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
                 paths: .fromEnvironment(environment))
    }

    /// The marker `folder` holds, if any.
    private static func marker(in folder: URL) -> String? {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: folder.appendingPathComponent("Personas").path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "Personas/"
        }
        if fileManager.fileExists(atPath: folder.appendingPathComponent("dramatis.yaml").path) { return "dramatis.yaml" }
        return nil
    }

    /// Where `Personas/` and `dramatis.yaml` are looked up: the project folder, else the working directory.
    public var baseDirectory: URL { projectRoot ?? workingDirectory }

    /// The default transcript folder.
    public var transcripts: URL {
        (projectRoot ?? dataRoot).appendingPathComponent("Transcripts", isDirectory: true)
    }

    /// The default root of the persona dataset folders.
    public var datasets: URL {
        (projectRoot ?? dataRoot).appendingPathComponent("Datasets", isDirectory: true)
    }

    /// One line saying which folders are in use and why, for `doctor`.
    public var explanation: String {
        if let projectRoot, let marker {
            return "project \(projectRoot.path) (it holds \(marker))"
        }
        return "no Dramatis project around \(workingDirectory.path) (no Personas/ or dramatis.yaml in it or a parent): user data folder \(dataRoot.path)"
    }
}
