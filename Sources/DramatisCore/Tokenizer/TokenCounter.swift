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

    /// Direct-mapped memo for pieces of up to 16 bytes (most words, numbers and punctuation runs), so a
    /// repeated piece costs one cache-resident probe instead of a vocabulary lookup. Slot i holds, at 4i,
    /// the first 8 bytes packed in a word, at 4i+1 the next 8, and at 4i+2 length << 32 | count
    /// (length 0 = empty slot). 8,192 slots of 32 bytes: 256 KB.
    private var shortPieces = [UInt64](repeating: 0, count: 4 << 13)

    /// A counter using `tokenizer`.
    public init(tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
    }

    /// The number of tokens in valid UTF-8 `buffer`.
    public mutating func count(utf8 buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        let slotMask = shortPieces.count / 4 - 1
        tokenizer.table.withView { table in
        shortPieces.withUnsafeMutableBufferPointer { memo in
        tokenizer.preTokenizer.forEachPiece(in: buffer) { start, end in
            let length = end - start
            var slot = -1
            if length <= 16 {
                let (low, high) = start + 16 <= buffer.count
                    ? TokenCounter.packLoading(base + start, length) : TokenCounter.pack(base + start, length)
                let mixed = (low ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15
                slot = Int(truncatingIfNeeded: mixed >> 40) & slotMask
                let info = memo[4 * slot + 2]
                if memo[4 * slot] == low, memo[4 * slot + 1] == high, info >> 32 == UInt64(length) {
                    total += Int(info & 0xFFFF_FFFF)
                    return
                }
                memo[4 * slot] = low
                memo[4 * slot + 1] = high
            }
            let before = total
            defer { if slot >= 0 { memo[4 * slot + 2] = UInt64(length) << 32 | UInt64(total - before) } }
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
        }
        return total
    }

    /// `pack` with two unaligned 8-byte loads; needs 16 readable bytes at `bytes`.
    @inline(__always)
    static func packLoading(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(bytes)
        let first = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        if length <= 8 {
            return (length == 8 ? first : first & ((1 << UInt64(8 * length)) - 1), 0)
        }
        let second = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        return (first, length == 16 ? second : second & ((1 << UInt64(8 * (length - 8))) - 1))
    }

    /// The `length` (at most 16) bytes at `bytes` packed little-endian into two words, zero-padded.
    @inline(__always)
    static func pack(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> (UInt64, UInt64) {
        var low: UInt64 = 0, high: UInt64 = 0
        var i = 0
        while i < length && i < 8 {
            low |= UInt64(bytes[i]) << UInt64(8 * i)
            i += 1
        }
        while i < length {
            high |= UInt64(bytes[i]) << UInt64(8 * (i - 8))
            i += 1
        }
        return (low, high)
    }

    /// The number of tokens in `text`.
    public mutating func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count(utf8: $0) }
    }
}
