import Foundation

/// What the fuzz executables (`fuzz-core`, `fuzz-sse`) run: one libFuzzer input, or (in a normal build) a replay of files.
public enum FuzzDriver {
    /// Runs one libFuzzer input through `target`; a violated invariant traps so libFuzzer records the input.
    public static func fuzzOne(_ target: FuzzTarget, _ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        do {
            try target.run(bytes)
        } catch {
            fatalError("fuzz target \(target.name): invariant violated: \(error)")
        }
        return 0
    }

    /// Replays files and folders of inputs (arguments starting with `-` are libFuzzer flags and ignored);
    /// returns the process exit status: 0 when every input passed, 1 otherwise.
    public static func replay(_ target: FuzzTarget, arguments: [String]) -> Int32 {
        let paths = arguments.filter { !$0.hasPrefix("-") }
        guard !paths.isEmpty else {
            let command = target.name == "sse" ? "fuzz-sse" : "fuzz-core \(target.name)"
            print("""
                usage: \(command) FILE|FOLDER...
                This build has no libFuzzer (it was built without -DDRAMATIS_FUZZING): it replays the given inputs
                through the \(target.name) target. `make fuzz` builds the fuzzing version (scripts/fuzz.sh).
                """)
            return 2
        }
        var passed = 0, failed = 0
        for file in inputFiles(paths) {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("cannot read \(file)")
                failed += 1
                continue
            }
            do {
                try target.run([UInt8](data))
                passed += 1
            } catch {
                print("FAIL \(file): \(error)")
                failed += 1
            }
        }
        print("\(target.name): \(passed) inputs passed, \(failed) failed")
        return failed == 0 ? 0 : 1
    }

    /// Regular files named by `paths`, folders expanded (not recursively, as libFuzzer does), sorted.
    public static func inputFiles(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                files.append(path)                   // reported as unreadable by the caller
                continue
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                for name in names.sorted() where !name.hasPrefix(".") {
                    let file = (path as NSString).appendingPathComponent(name)
                    var nested: ObjCBool = false
                    if FileManager.default.fileExists(atPath: file, isDirectory: &nested), !nested.boolValue { files.append(file) }
                }
            } else {
                files.append(path)
            }
        }
        return files
    }
}
