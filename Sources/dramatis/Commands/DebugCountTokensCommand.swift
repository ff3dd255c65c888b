import ArgumentParser
import DramatisCore
import Foundation

/// `dramatis debug count-tokens`: token-counting throughput on one thread, for `bench/tokenize.sh`.
///
/// Reads a UTF-8 file, splits it into documents that end after each `\n` (the split
/// `bench/tokenize_reference.py` uses for tiktoken), then times counting every document.
/// Prints one JSON line: tokens, bytes, documents, seconds (counting only; loading excluded).
struct DebugCountTokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "count-tokens", abstract: "Time token counting of a text file.")

    /// How the tokens are counted.
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        /// `BPETokenizer.encode`: token ids, every piece merged (what tiktoken's encode does).
        case encode
        /// `TokenCounter.count`: counts only, with its cache of merged pieces (what `dramatis validate` uses).
        case count
    }

    @Argument(help: "UTF-8 text file.") var file: String
    @Option(help: "Vocabulary: o200k_base or cl100k_base.") var encoding: String = "o200k_base"
    @Option(help: "encode (token ids, no cache) or count (TokenCounter with its piece cache).") var mode: Mode = .count
    @Option(help: "Folder holding the .tiktoken vocabularies (default: the Dramatis cache).") var tokenizerDirectory: String?

    func run() throws {
        guard let vocabulary = TokenizerEncoding(rawValue: encoding) else {
            throw ValidationError("unknown --encoding '\(encoding)'")
        }
        let directory = tokenizerDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? AppPaths.fromEnvironment().tokenizerDirectory
        let tokenizer = try BPETokenizer.load(encoding: vocabulary, directory: directory)
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        var documents: [Range<Int>] = []
        var start = 0
        for (index, byte) in data.enumerated() where byte == 0x0A {
            documents.append(start ..< index + 1)
            start = index + 1
        }
        if start < data.count { documents.append(start ..< data.count) }

        var counter = TokenCounter(tokenizer: tokenizer)
        var tokens = 0
        let begin = DispatchTime.now()
        data.withUnsafeBufferPointer { buffer in
            for range in documents {
                let document = UnsafeBufferPointer(rebasing: buffer[range])
                switch mode {
                case .encode: tokens += tokenizer.encode(utf8: document).count
                case .count: tokens += counter.count(utf8: document)
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin.uptimeNanoseconds) / 1e9
        print(JSONValue.object([
            ("tokens", .int(tokens)), ("bytes", .int(data.count)), ("documents", .int(documents.count)),
            ("seconds", .double(seconds)), ("mode", .string(mode.rawValue)),
        ]).serialized())
    }
}
