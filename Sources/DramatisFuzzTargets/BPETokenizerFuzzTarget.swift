import DramatisCore
import Foundation

/// Fuzzes the BPE tokenizer: the pre-tokenizer regex replacement, the byte-pair merger, and the
/// vocabulary parser.
///
/// The first input byte picks the mode: 0 mod 3 — encode the rest with the real `o200k_base`;
/// 1 — with the real `cl100k_base`; 2 — the rest is `extra vocabulary lines \0 text`: a vocabulary of the
/// 256 single bytes plus the fuzzed lines is parsed, and when it loads the text is encoded with it, so the
/// merger meets vocabularies with unusual merges.
///
/// Invariants: nothing crashes; every id is a token of the vocabulary; `count` equals the number of ids;
/// decoding the ids gives back exactly the UTF-8 bytes of the text.
public enum BPETokenizerFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "bpe-tokenizer", prepare: { _ = (SharedTokenizers.o200k, SharedTokenizers.cl100k) }, run: run)

    /// Encodes and decodes the text in `data` with the tokenizer `data[0]` picks.
    public static func run(_ data: [UInt8]) throws {
        guard let mode = data.first else { return }
        let rest = Array(data.dropFirst())
        switch mode % 3 {
        case 0: try roundTrip(String(decoding: rest, as: UTF8.self), SharedTokenizers.o200k)
        case 1: try roundTrip(String(decoding: rest, as: UTF8.self), SharedTokenizers.cl100k)
        default:
            let separator = rest.firstIndex(of: 0) ?? rest.endIndex
            var vocabulary = baseVocabulary
            vocabulary.append(contentsOf: rest[..<separator])
            let text = separator < rest.endIndex ? Array(rest[(separator + 1)...]) : []
            guard let tokenizer = try? BPETokenizer(encoding: .o200kBase, vocabulary: Data(vocabulary)) else { return }
            try roundTrip(String(decoding: text, as: UTF8.self), tokenizer)
        }
    }

    /// `base64(byte) rank` for the 256 single bytes, ranks 0–255, newline-terminated.
    static let baseVocabulary: [UInt8] = {
        var lines = ""
        for byte in 0 ... 255 { lines += Data([UInt8(byte)]).base64EncodedString() + " \(byte)\n" }
        return Array(lines.utf8)
    }()

    static func roundTrip(_ text: String, _ tokenizer: BPETokenizer) throws {
        let ids = tokenizer.encode(text)
        for id in ids {
            try require(!tokenizer.decode([id]).isEmpty, "id \(id) is not a token of the vocabulary")
        }
        try require(tokenizer.count(text) == ids.count, "count \(tokenizer.count(text)) but encode gave \(ids.count) ids")
        let decoded = tokenizer.decode(ids)
        try require(decoded == Array(text.utf8), "decode(encode(\(debug(text)))) gave \(debug(String(decoding: decoded, as: UTF8.self))) (ids \(ids))")
    }
}
