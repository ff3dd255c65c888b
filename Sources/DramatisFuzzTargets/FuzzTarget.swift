/// One fuzz target: a name (the corpus folder and executable suffix) and a pure entry that feeds bytes to real code.
///
/// `run` must not crash on any input and throws `FuzzInvariantViolation` when a property that must hold does
/// not; the libFuzzer driver turns that into a trap, the regression tests into a failed expectation.
public struct FuzzTarget: Sendable {
    /// Short name: `Fuzz/Corpus/<name>/`, `DRAMATIS_FUZZ_TARGET=<name> fuzz-core` (or `fuzz-sse`),
    /// `Tests/DramatisFuzzRegressionTests/FuzzRegressions/<name>/`.
    public let name: String
    /// Feeds one input to the code under test and checks its invariants.
    public let run: @Sendable ([UInt8]) throws -> Void
    /// One-time set-up before the first input (loading vocabularies), so it does not count against `-timeout`.
    public let prepare: @Sendable () -> Void

    /// A target with a name, an entry and an optional set-up.
    public init(name: String, prepare: @escaping @Sendable () -> Void = {}, run: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.prepare = prepare
        self.run = run
    }

    /// The fuzz targets of `DramatisCore`, in the order `make fuzz` runs them (the SSE target lives in
    /// `DramatisBackendsFuzzTargets`, so these fuzzers need not build SwiftNIO and BoringSSL with sanitizers).
    public static let core: [FuzzTarget] = [
        PersonaFileFuzzTarget.target,
        CharacterCardFuzzTarget.target,
        TranscriptFuzzTarget.target,
        JSONLValidatorFuzzTarget.target,
        TerminalSanitizerFuzzTarget.target,
        BPETokenizerFuzzTarget.target,
    ]

}

/// A property of the code under test that did not hold for one input.
public struct FuzzInvariantViolation: Error, CustomStringConvertible {
    /// What did not hold, with the values involved.
    public var description: String

    /// A violation described by `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// Throws `FuzzInvariantViolation(message())` unless `condition` holds.
@inline(__always)
package func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzInvariantViolation) {
    if !condition { throw FuzzInvariantViolation(message()) }
}
