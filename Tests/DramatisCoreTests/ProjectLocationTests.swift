import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// Where transcripts and datasets go: the project found by walking up, else the user data folder.
@Suite struct ProjectLocationTests {
    static func paths(_ directory: TemporaryDirectory) -> AppPaths {
        AppPaths.fromEnvironment(["HOME": directory.url.appendingPathComponent("home").path,
                                  "XDG_DATA_HOME": directory.url.appendingPathComponent("data").path])
    }

    @Test func aPersonasFolderMarksTheProjectFromAnySubfolder() throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("clippy-project")
        let deep = root.appendingPathComponent("notes/2026/november")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Personas"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let location = ProjectLocation.discover(from: deep, paths: Self.paths(directory))
        #expect(location.projectRoot?.path == root.standardizedFileURL.path)
        #expect(location.marker == "Personas/")
        #expect(location.transcripts.path == root.appendingPathComponent("Transcripts").standardizedFileURL.path)
        #expect(location.datasets.path == root.appendingPathComponent("Datasets").standardizedFileURL.path)
        #expect(location.baseDirectory.path == root.standardizedFileURL.path)
        #expect(location.explanation.contains(root.standardizedFileURL.path))
    }

    @Test func aConfigFileMarksTheProjectAndTheNearestWins() throws {
        let directory = try TemporaryDirectory()
        let outer = directory.url.appendingPathComponent("outer")
        let inner = outer.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: outer.appendingPathComponent("Personas"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try Data("default: local\n".utf8).write(to: inner.appendingPathComponent("dramatis.yaml"))
        let location = ProjectLocation.discover(from: inner, paths: Self.paths(directory))
        #expect(location.projectRoot?.path == inner.standardizedFileURL.path)
        #expect(location.marker == "dramatis.yaml")
    }

    @Test func outsideAProjectFilesGoToTheUserDataFolder() throws {
        let directory = try TemporaryDirectory()
        let elsewhere = directory.url.appendingPathComponent("downloads")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        // A file named Personas is not a project marker: only a folder is.
        try Data().write(to: elsewhere.appendingPathComponent("Personas"))
        let location = ProjectLocation.discover(from: elsewhere, paths: Self.paths(directory))
        #expect(location.projectRoot == nil)
        let data = directory.url.appendingPathComponent("data/dramatis").standardizedFileURL.path
        #expect(location.transcripts.path == data + "/Transcripts")
        #expect(location.datasets.path == data + "/Datasets")
        #expect(location.baseDirectory.path == elsewhere.standardizedFileURL.path)
        #expect(location.explanation.contains("user data folder \(data)"))
    }
}
