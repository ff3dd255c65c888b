import DramatisFuzzTargets
import Foundation

// Built twice (see scripts/fuzz.sh). With `--sanitize=fuzzer -DDRAMATIS_FUZZING`, SwiftPM compiles this
// executable with -parse-as-library and links libFuzzer's own `main`, which calls the C entry point below.
// In the normal build (`swift build`, `make test`) there is no libFuzzer to link, so `@main` replays files.
#if DRAMATIS_FUZZING
/// libFuzzer's optional one-time set-up hook (weak C symbol `LLVMFuzzerInitialize`), called before the first input.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    PersonaFileFuzzTarget.target.prepare()
    return 0
}

/// libFuzzer's per-input callback: C symbol `LLVMFuzzerTestOneInput`, which libFuzzer's `main` calls.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.fuzzOne(PersonaFileFuzzTarget.target, data, size)
}
#else
/// Replays inputs through the persona fuzz target without libFuzzer.
@main
enum PersonaFileFuzzer {
    static func main() {
        exit(FuzzDriver.replay(PersonaFileFuzzTarget.target, arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
#endif
