import DramatisBackendsFuzzTargets
import DramatisFuzzTargets
import Foundation
import Testing

/// Every seed input under `Fuzz/Corpus/<target>/` and every input a fuzzer once crashed on, committed under
/// `FuzzRegressions/<target>/`, run through the same entry as the fuzzer (without sanitizers), so
/// `make test` keeps each fixed bug fixed and each seed valid.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// The repository root, from this file's location (Tests/DramatisFuzzRegressionTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every fuzz target, as `scripts/fuzz.sh` runs them.
    static let targets = [SSEParserFuzzTarget.target] + FuzzTarget.core

    static func files(_ folder: URL) -> [String] {
        FuzzDriver.inputFiles([folder.path]).filter { FileManager.default.fileExists(atPath: $0) }
    }

    @Test("seed corpus and crash inputs pass the fuzz target's invariants", arguments: targets.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(Self.targets.first { $0.name == name })
        let seeds = Self.files(Self.root.appendingPathComponent("Fuzz/Corpus/\(name)"))
        let regressions = Self.files(Self.root.appendingPathComponent("Tests/DramatisFuzzRegressionTests/FuzzRegressions/\(name)"))
        #expect(seeds.count >= 3, "Fuzz/Corpus/\(name) should hold a few seeds, has \(seeds.count)")
        for file in seeds + regressions {
            let data = try #require(FileManager.default.contents(atPath: file))
            do {
                try target.run([UInt8](data))
            } catch {
                Issue.record("\(file.replacingOccurrences(of: Self.root.path + "/", with: "")): \(error)")
            }
        }
    }

    @Test("every corpus and regression folder belongs to a fuzz target")
    func foldersMatchTargets() throws {
        let names = Set(Self.targets.map(\.name))
        for parent in ["Fuzz/Corpus", "Tests/DramatisFuzzRegressionTests/FuzzRegressions"] {
            let url = Self.root.appendingPathComponent(parent)
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            for folder in folders where !folder.hasPrefix(".") {
                #expect(names.contains(folder), "\(parent)/\(folder) matches no fuzz target (targets: \(names.sorted()))")
            }
        }
    }
}
