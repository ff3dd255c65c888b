/// Cuts a sequence into chunks at positions derived deterministically from the input itself.
///
/// Fuzz targets use it to check that incremental parsers give the same result whatever the chunking:
/// the same input always gives the same cuts (so crashes reproduce), different inputs give different cuts.
package struct ChunkSplitter {
    private var state: UInt64

    /// A splitter seeded from `seedBytes` (FNV-1a of the bytes).
    package init(seedBytes: [UInt8]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seedBytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        state = hash | 1
    }

    /// The next pseudo-random number (xorshift64*).
    private mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// `elements` cut into consecutive chunks of 0 to 8 elements (empty chunks included on purpose).
    package mutating func split<Element>(_ elements: [Element]) -> [ArraySlice<Element>] {
        var chunks: [ArraySlice<Element>] = []
        var start = 0
        while start < elements.count {
            let length = min(Int(next() % 9), elements.count - start)
            chunks.append(elements[start ..< start + length])
            start += length
        }
        return chunks
    }
}
