import DramatisCore

/// The real tiktoken vocabularies, loaded once per process from the cache `scripts/setup.sh` fills.
enum SharedTokenizers {
    /// `o200k_base`; traps with a hint when the vocabulary is missing (a fuzz run without it would test nothing).
    static let o200k: BPETokenizer = load(.o200kBase)
    /// `cl100k_base`, likewise.
    static let cl100k: BPETokenizer = load(.cl100kBase)

    private static func load(_ encoding: TokenizerEncoding) -> BPETokenizer {
        do {
            return try BPETokenizer.load(encoding: encoding, directory: AppPaths.fromEnvironment().tokenizerDirectory)
        } catch {
            fatalError("cannot load the \(encoding.rawValue) vocabulary (run scripts/setup.sh): \(error)")
        }
    }
}
