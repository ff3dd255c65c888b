import DramatisFuzzTargets
import Foundation

// One executable for the six DramatisCore targets (the SSE target has its own, so these never build SwiftNIO
// and BoringSSL with sanitizers). Built twice (see scripts/fuzz.sh). With `--sanitize=fuzzer -DDRAMATIS_FUZZING`,
// SwiftPM compiles it with -parse-as-library and links libFuzzer's own `main`, which calls the C entry points
// below; the target is named by DRAMATIS_FUZZ_TARGET. In the normal build there is no libFuzzer to link, so
// `@main` replays files: `fuzz-core TARGET FILE|FOLDER...`.

/// The core target called `name`, if there is one.
func coreTarget(named name: String) -> FuzzTarget? {
    FuzzTarget.core.first { $0.name == name }
}

/// The names `coreTarget(named:)` knows, for messages.
let coreTargetNames = FuzzTarget.core.map(\.name).joined(separator: ", ")

#if DRAMATIS_FUZZING
/// The target named by DRAMATIS_FUZZ_TARGET (read once, before the first input).
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["DRAMATIS_FUZZ_TARGET"] ?? ""
    guard let target = coreTarget(named: name) else {
        fatalError("set DRAMATIS_FUZZ_TARGET to one of: \(coreTargetNames) (it is \"\(name)\")")
    }
    return target
}()

/// libFuzzer's optional one-time set-up hook (weak C symbol `LLVMFuzzerInitialize`), called before the first input.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    selectedTarget.prepare()
    return 0
}

/// libFuzzer's per-input callback: C symbol `LLVMFuzzerTestOneInput`, which libFuzzer's `main` calls.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.fuzzOne(selectedTarget, data, size)
}
#else
/// Replays inputs through one of the core fuzz targets without libFuzzer.
@main
enum CoreFuzzer {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = coreTarget(named: name) else {
            print("usage: fuzz-core TARGET FILE|FOLDER...   (TARGET: \(coreTargetNames))")
            exit(2)
        }
        exit(FuzzDriver.replay(target, arguments: Array(arguments.dropFirst())))
    }
}
#endif
