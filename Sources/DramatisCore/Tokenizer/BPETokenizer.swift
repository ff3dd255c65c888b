import Foundation

/// A tiktoken-compatible byte-pair-encoding tokenizer (`o200k_base`, `cl100k_base`).
///
/// `encode` equals tiktoken's `encode_ordinary`: special-token text such as `<|endoftext|>`
/// is encoded as ordinary text.
public final class BPETokenizer: Sendable {
    /// The vocabulary this tokenizer was loaded with.
    public let encoding: TokenizerEncoding
    /// The pre-tokenization split in use.
    public let preTokenizer: PreTokenizer
    let table: TokenRankTable
    /// Rank -> entry index in `table`, for decoding (-1 where no token has that rank).
    private let entryForRank: [Int32]

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { table.count }

    /// Loads `<directory>/<encoding>.tiktoken` (lines `base64(token) rank`).
    public static func load(encoding: TokenizerEncoding, directory: URL) throws -> BPETokenizer {
        let file = directory.appendingPathComponent(encoding.fileName)
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw TokenizerError(file: file.path, reason: "cannot read the vocabulary (\(error.localizedDescription)); run scripts/setup.sh to install it")
        }
        return try BPETokenizer(encoding: encoding, vocabulary: data, fileName: file.path)
    }

    /// Parses a vocabulary already in memory; `fileName` is only used in error messages.
    public init(encoding: TokenizerEncoding, vocabulary: Data, fileName: String = "<memory>") throws {
        self.encoding = encoding
        self.preTokenizer = PreTokenizer(pattern: encoding.splitPattern)
        var table = TokenRankTable(capacity: 210_000)
        var maxRank = -1
        try vocabulary.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var decoded = [UInt8]()
            decoded.reserveCapacity(256)
            var position = 0, line = 0
            while position < bytes.count {
                line += 1
                var lineEnd = position
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                defer { position = lineEnd + 1 }
                if lineEnd == position { continue }
                var space = position
                while space < lineEnd, bytes[space] != 0x20 { space += 1 }
                guard space < lineEnd else {
                    throw TokenizerError(file: fileName, line: line, reason: "expected `base64 rank`")
                }
                guard Base64Decoder.decode(bytes, position ..< space, into: &decoded), !decoded.isEmpty else {
                    throw TokenizerError(file: fileName, line: line, reason: "invalid base64 token")
                }
                var rank = 0, digits = 0
                var p = space + 1
                while p < lineEnd, bytes[p] >= 0x30, bytes[p] <= 0x39, digits < 10 {
                    rank = rank * 10 + Int(bytes[p] - 0x30)
                    p += 1; digits += 1
                }
                if p < lineEnd, bytes[p] == 0x0D { p += 1 }
                guard digits > 0, p == lineEnd, rank < Int(Int32.max) else {
                    throw TokenizerError(file: fileName, line: line, reason: "invalid rank")
                }
                let inserted = decoded.withUnsafeBufferPointer { table.insert($0.baseAddress!, $0.count, value: Int32(rank)) }
                guard inserted else {
                    throw TokenizerError(file: fileName, line: line, reason: "duplicate token")
                }
                maxRank = max(maxRank, rank)
            }
        }
        guard table.count >= 256 else {
            throw TokenizerError(file: fileName, reason: "vocabulary has \(table.count) tokens; expected a tiktoken file")
        }
        var entryForRank = [Int32](repeating: -1, count: maxRank + 1)
        for index in 0 ..< table.count {
            // Two tokens with one rank would make `decode` return the wrong bytes for it; tiktoken refuses such a
            // file too ("duplicate token indices"). Found by fuzzing (issue #8).
            let rank = Int(table.value(at: index))
            guard entryForRank[rank] < 0 else {
                throw TokenizerError(file: fileName, reason: "rank \(rank) is given to two tokens")
            }
            entryForRank[rank] = Int32(index)
        }
        // Every single byte must be a token, or BPE could not represent arbitrary text.
        for byte in 0 ... 255 {
            var b = UInt8(byte)
            guard table.value(&b, 1) != nil else {
                throw TokenizerError(file: fileName, reason: "vocabulary lacks the single byte \(byte)")
            }
        }
        self.table = table
        self.entryForRank = entryForRank
    }

    /// The token ids of `text` (tiktoken `encode_ordinary`).
    public func encode(_ text: String) -> [Int] {
        var text = text
        var tokens: [Int] = []
        var merger = BytePairMerger()
        text.withUTF8 { buffer in
            encode(utf8: buffer, merger: &merger) { tokens.append(Int($0)) }
        }
        return tokens
    }

    /// The token ids of valid UTF-8 `buffer` (tiktoken `encode_ordinary`).
    public func encode(utf8 buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        var tokens: [Int] = []
        tokens.reserveCapacity(buffer.count / 3)
        var merger = BytePairMerger()
        encode(utf8: buffer, merger: &merger) { tokens.append(Int($0)) }
        return tokens
    }

    /// The number of tokens in `text`.
    public func count(_ text: String) -> Int {
        var text = text
        var total = 0
        var merger = BytePairMerger()
        text.withUTF8 { buffer in
            encode(utf8: buffer, merger: &merger) { _ in total += 1 }
        }
        return total
    }

    /// The bytes of `tokens` concatenated (invalid ids are skipped).
    public func decode(_ tokens: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for token in tokens where token >= 0 && token < entryForRank.count {
            let entry = entryForRank[token]
            if entry >= 0 { bytes.append(contentsOf: table.key(at: Int(entry))) }
        }
        return bytes
    }

    /// Encodes valid UTF-8 `buffer`, calling `emit` with each token id.
    @inline(__always)
    func encode(utf8 buffer: UnsafeBufferPointer<UInt8>, merger: inout BytePairMerger, emit: (Int32) -> Void) {
        guard let base = buffer.baseAddress else { return }
        table.withView { table in
            preTokenizer.forEachPiece(in: buffer) { start, end in
                let length = end - start
                if let rank = table.value(base + start, length) {
                    emit(rank)
                } else {
                    merger.merge(base + start, length, table: table, emit: emit)
                }
            }
        }
    }
}

/// Standard base64 (with padding) decoding of one vocabulary field.
enum Base64Decoder {
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// Decodes `bytes[range]` into `output` (cleared first); false when it is not valid base64.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        var accumulator: UInt32 = 0, bits = 0, padding = 0
        for i in range {
            let c = bytes[i]
            if c == 0x3D { padding += 1; continue }
            if padding > 0 { return false }
            let value = table[Int(c)]
            if value == 0xFF { return false }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        return range.count % 4 == 0 && padding <= 2
    }
}
