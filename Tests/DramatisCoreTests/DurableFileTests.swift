import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct DurableFileTests {
    @Test func writeLeavesOnlyThePrivateFile() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("out/data.jsonl")
        try DurableFile.write(Data("one\n".utf8), to: file)
        try DurableFile.write(Data("two\n".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out").path) == ["data.jsonl"])
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func abandonedTemporariesOfDeadProcessesAreRemovedAndNothingElse() async throws {
        let directory = try TemporaryDirectory()
        // A pid that surely belongs to no process any more: a child that has exited and been reaped.
        let child = try ChildProcess(URL(fileURLWithPath: "/bin/true"), [])
        try await child.wait()
        let dead = child.pid
        let names = [".data.jsonl.tmp-\(dead)",             // left by a killed writer: removed
                     ".x.json.tmp-\(dead)",                  // the same in another file's name: removed
                     ".data.jsonl.tmp-\(getpid())",          // this process is writing it: kept
                     ".data.jsonl.tmp-1",                    // pid 1 is alive: kept
                     ".data.jsonl.tmp-abc", ".lock", "data.jsonl", "notes.tmp-\(dead)"]  // not temporaries: kept
        for name in names { try Data("x".utf8).write(to: directory.path(name)) }
        let removed = DurableFile.removeAbandonedTemporaries(in: directory.url)
        #expect(Set(removed) == [".data.jsonl.tmp-\(dead)", ".x.json.tmp-\(dead)"])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.url.path))
        #expect(left == Set(names).subtracting(removed))
    }
}
