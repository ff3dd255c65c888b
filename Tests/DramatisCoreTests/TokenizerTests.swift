import Foundation
import Testing
@testable import DramatisCore

/// The tokenizers shared by the tokenizer and validator tests (loading takes a moment).
enum SharedTokenizers {
    static let directory = AppPaths.fromEnvironment().tokenizerDirectory
    static let o200k: BPETokenizer? = try? BPETokenizer.load(encoding: .o200kBase, directory: directory)
    static let cl100k: BPETokenizer? = try? BPETokenizer.load(encoding: .cl100kBase, directory: directory)

    static func require(_ encoding: TokenizerEncoding) throws -> BPETokenizer {
        let tokenizer = encoding == .o200kBase ? o200k : cl100k
        guard let tokenizer else {
            throw TokenizerError(file: directory.appendingPathComponent(encoding.fileName).path,
                                 reason: "vocabulary missing: run scripts/setup.sh")
        }
        return tokenizer
    }
}

/// One text of the committed corpus with tiktoken's ids.
struct TokenizerCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var o200k_base: [Int]
    var cl100k_base: [Int]
    var testDescription: String { name }

    static let all: [TokenizerCase] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/tokenizer/corpus", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let corpus = try? JSONDecoder().decode(Corpus.self, from: data) else { return [] }
        return corpus.cases
    }()

    private struct Corpus: Decodable { var cases: [TokenizerCase] }
}

@Suite("Tokenizer")
struct TokenizerTests {
    @Test("the committed corpus is present and varied")
    func corpusLoaded() {
        #expect(TokenizerCase.all.count > 400)
        for required in ["english", "code", "cjk", "emoji", "whitespace_runs", "numbers", "contractions", "mixed_case", "very_long_word"] {
            #expect(TokenizerCase.all.contains { $0.name == required }, "missing case \(required)")
        }
    }

    @Test("o200k_base ids equal tiktoken's for every corpus text")
    func o200kMatchesTiktoken() throws {
        let tokenizer = try SharedTokenizers.require(.o200kBase)
        var mismatches: [String] = []
        for item in TokenizerCase.all where tokenizer.encode(item.text) != item.o200k_base {
            mismatches.append(item.name)
        }
        #expect(mismatches.isEmpty, "o200k mismatches: \(mismatches)")
    }

    @Test("cl100k_base ids equal tiktoken's for every corpus text")
    func cl100kMatchesTiktoken() throws {
        let tokenizer = try SharedTokenizers.require(.cl100kBase)
        var mismatches: [String] = []
        for item in TokenizerCase.all where tokenizer.encode(item.text) != item.cl100k_base {
            mismatches.append(item.name)
        }
        #expect(mismatches.isEmpty, "cl100k mismatches: \(mismatches)")
    }

    @Test("count and the caching TokenCounter agree with encode", arguments: TokenizerEncoding.allCases)
    func countsAgree(encoding: TokenizerEncoding) throws {
        let tokenizer = try SharedTokenizers.require(encoding)
        var counter = TokenCounter(tokenizer: tokenizer)
        for item in TokenizerCase.all {
            let expected = encoding == .o200kBase ? item.o200k_base.count : item.cl100k_base.count
            #expect(tokenizer.count(item.text) == expected, "\(item.name)")
            // Twice: the second pass is served from the piece cache.
            #expect(counter.count(item.text) == expected, "\(item.name)")
            #expect(counter.count(item.text) == expected, "\(item.name) (cached)")
        }
    }

    @Test("decode(encode(text)) gives the text's bytes back", arguments: TokenizerEncoding.allCases)
    func roundTrip(encoding: TokenizerEncoding) throws {
        let tokenizer = try SharedTokenizers.require(encoding)
        for item in TokenizerCase.all {
            #expect(tokenizer.decode(tokenizer.encode(item.text)) == Array(item.text.utf8), "\(item.name)")
        }
    }

    @Test("pieces that never exist as one token are merged by the heap path like the vector path")
    func longPiecesMerge() throws {
        let tokenizer = try SharedTokenizers.require(.o200kBase)
        let word = String(repeating: "qzxjv", count: 60) // one 300-byte piece, heap merge
        let tokens = tokenizer.encode(word)
        #expect(tokens.count > 10)
        #expect(tokenizer.decode(tokens) == Array(word.utf8))
        // Splitting the same word at a piece boundary keeps each half's merge local.
        #expect(tokenizer.count(word) == tokens.count)
    }

    @Test("o200k pre-tokenization splits")
    func o200kSplits() {
        let split = PreTokenizer(pattern: .o200k)
        #expect(split.pieces(of: "Hello world") == ["Hello", " world"])
        #expect(split.pieces(of: "don't DON'T") == ["don't", " DON'T"])
        #expect(split.pieces(of: "HTTPServer") == ["HTTPServer"])
        #expect(split.pieces(of: "a   b") == ["a", "  ", " b"])
        #expect(split.pieces(of: "12345") == ["123", "45"])
        #expect(split.pieces(of: "x  ") == ["x", "  "])
        #expect(split.pieces(of: "a\n\n b") == ["a", "\n\n", " b"])
        #expect(split.pieces(of: "path/to/\nx") == ["path", "/to", "/\n", "x"])
        #expect(split.pieces(of: " !!?\n") == [" !!?\n"])
        #expect(split.pieces(of: "") == [])
    }

    @Test("cl100k pre-tokenization splits")
    func cl100kSplits() {
        let split = PreTokenizer(pattern: .cl100k)
        #expect(split.pieces(of: "Hello world") == ["Hello", " world"])
        #expect(split.pieces(of: "don't DON'T") == ["don", "'t", " DON", "'T"])
        #expect(split.pieces(of: "a   b") == ["a", "  ", " b"])
        #expect(split.pieces(of: "x \n  ") == ["x", " \n  "])
        #expect(split.pieces(of: "x \n  y") == ["x", " \n", " ", " y"])
        #expect(split.pieces(of: "12345") == ["123", "45"])
    }

    @Test("model names map to tiktoken's encodings")
    func modelMapping() {
        #expect(TokenizerEncoding.forModel("gpt-4o-mini") == .o200kBase)
        #expect(TokenizerEncoding.forModel("gpt-4o-2024-08-06") == .o200kBase)
        #expect(TokenizerEncoding.forModel("ft:gpt-4o-mini-2024-07-18:acme::abc123") == .o200kBase)
        #expect(TokenizerEncoding.forModel("gpt-4.1-nano") == .o200kBase)
        #expect(TokenizerEncoding.forModel("gpt-4") == .cl100kBase)
        #expect(TokenizerEncoding.forModel("gpt-35-turbo") == .cl100kBase)
        #expect(TokenizerEncoding.forModel("gpt-3.5-turbo-0125") == .cl100kBase)
        #expect(TokenizerEncoding.forModel("SmolLM2-135M-Instruct") == nil)
    }

    @Test("a malformed vocabulary is rejected with its line number")
    func malformedVocabulary() {
        var text = ""
        for byte in 0 ..< 256 { text += Data([UInt8(byte)]).base64EncodedString() + " \(byte)\n" }
        text += "!!notbase64 256\n"
        #expect(throws: TokenizerError(file: "v.tiktoken", line: 257, reason: "invalid base64 token")) {
            _ = try BPETokenizer(encoding: .cl100kBase, vocabulary: Data(text.utf8), fileName: "v.tiktoken")
        }
        #expect(throws: TokenizerError.self) {
            _ = try BPETokenizer(encoding: .cl100kBase, vocabulary: Data("YQ== 0\n".utf8), fileName: "v.tiktoken")
        }
    }

    @Test("a missing vocabulary file names the file")
    func missingVocabulary() throws {
        let directory = URL(fileURLWithPath: "/nonexistent-dramatis-dir")
        do {
            _ = try BPETokenizer.load(encoding: .o200kBase, directory: directory)
            Issue.record("expected an error")
        } catch let error as TokenizerError {
            #expect(error.file.hasSuffix("o200k_base.tiktoken"))
        }
    }
}
