/// Counts tokens of many texts with one tokenizer, caching the BPE result of pieces that are
/// not whole vocabulary entries. One counter per thread (it is a mutable value).
public struct TokenCounter {
    /// The tokenizer counted with.
    public let tokenizer: BPETokenizer
    private var merger = BytePairMerger()
    private var cache = TokenRankTable(capacity: 4096)
    /// The cache is emptied when its keys exceed this many bytes, so memory stays bounded.
    private let cacheByteLimit = 8 << 20
    /// Longer pieces (long runs) are rare and not worth caching.
    private let cachedPieceLimit = 256

    /// A counter using `tokenizer`.
    public init(tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
    }

    /// The number of tokens in valid UTF-8 `buffer`.
    public mutating func count(utf8 buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        tokenizer.table.withView { table in
        tokenizer.preTokenizer.forEachPiece(in: buffer) { start, end in
            let length = end - start
            if table.value(base + start, length) != nil {
                total += 1
            } else if let cached = cache.value(base + start, length) {
                total += Int(cached)
            } else {
                var pieceCount: Int32 = 0
                merger.merge(base + start, length, table: table) { _ in pieceCount += 1 }
                if length <= cachedPieceLimit {
                    if cache.arenaSize > cacheByteLimit { cache.removeAll() }
                    cache.insert(base + start, length, value: pieceCount)
                }
                total += Int(pieceCount)
            }
        }
        }
        return total
    }

    /// The number of tokens in `text`.
    public mutating func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count(utf8: $0) }
    }
}
