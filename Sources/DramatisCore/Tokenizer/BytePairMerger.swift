/// Rank-based byte-pair merging of one piece, identical to tiktoken's `_byte_pair_merge`:
/// repeatedly merge the adjacent pair whose concatenation has the lowest rank, leftmost first.
struct BytePairMerger {
    private static let noRank = Int32.max
    /// Pieces at least this long use the heap-based merge (same result, O(n log n)).
    private static let heapThreshold = 96

    // Scratch storage reused across pieces.
    private var starts: [Int] = []
    private var ranks: [Int32] = []
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var heap: [UInt64] = []

    init() {}

    /// Appends the tokens of the `length` bytes at `piece` (length >= 2) by calling `emit` for each rank.
    @inline(__always)
    mutating func merge(_ piece: UnsafePointer<UInt8>, _ length: Int, table: TokenRankView, emit: (Int32) -> Void) {
        if length >= BytePairMerger.heapThreshold {
            mergeWithHeap(piece, length, table: table, emit: emit)
            return
        }
        // tiktoken's vector algorithm: parts[i] = (start, rank of the pair starting there).
        starts.removeAll(keepingCapacity: true)
        ranks.removeAll(keepingCapacity: true)
        var minRank = BytePairMerger.noRank, minIndex = -1
        for i in 0 ..< length - 1 {
            let rank = table.value(piece + i, 2) ?? BytePairMerger.noRank
            if rank < minRank { minRank = rank; minIndex = i }
            starts.append(i)
            ranks.append(rank)
        }
        starts.append(length - 1); ranks.append(BytePairMerger.noRank)
        starts.append(length); ranks.append(BytePairMerger.noRank)

        @inline(__always)
        func rankAfterMerge(_ i: Int) -> Int32 {
            if i + 3 < starts.count {
                return table.value(piece + starts[i], starts[i + 3] - starts[i]) ?? BytePairMerger.noRank
            }
            return BytePairMerger.noRank
        }

        while minRank != BytePairMerger.noRank {
            let i = minIndex
            if i > 0 { ranks[i - 1] = rankAfterMerge(i - 1) }
            ranks[i] = rankAfterMerge(i)
            starts.remove(at: i + 1)
            ranks.remove(at: i + 1)
            minRank = BytePairMerger.noRank
            minIndex = -1
            for j in 0 ..< ranks.count - 1 where ranks[j] < minRank {
                minRank = ranks[j]
                minIndex = j
            }
        }
        for k in 0 ..< starts.count - 1 {
            emit(table.value(piece + starts[k], starts[k + 1] - starts[k]) ?? BytePairMerger.noRank)
        }
    }

    /// The same merge order with a binary heap keyed by (rank, start) and a linked list of parts.
    /// Entries are invalidated lazily: a part's pair only grows, so a stale (rank, start) never becomes valid again.
    private mutating func mergeWithHeap(_ piece: UnsafePointer<UInt8>, _ length: Int, table: TokenRankView, emit: (Int32) -> Void) {
        let end = Int32(length)
        next = (0 ..< length).map { Int32($0 + 1) }
        previous = (0 ..< length).map { Int32($0 - 1) }
        ranks = [Int32](repeating: BytePairMerger.noRank, count: length)
        heap.removeAll(keepingCapacity: true)

        func pairRank(_ i: Int32, _ next: [Int32]) -> Int32 {
            let j = next[Int(i)]
            if j >= end { return BytePairMerger.noRank }
            let k = next[Int(j)]
            return table.value(piece + Int(i), Int(k - i)) ?? BytePairMerger.noRank
        }

        for i in 0 ..< length - 1 {
            let rank = table.value(piece + i, 2) ?? BytePairMerger.noRank
            ranks[i] = rank
            if rank != BytePairMerger.noRank { heapPush(UInt64(UInt32(rank)) << 32 | UInt64(i)) }
        }
        while let top = heapPop() {
            let rank = Int32(truncatingIfNeeded: top >> 32), i = Int32(truncatingIfNeeded: top & 0xFFFF_FFFF)
            if ranks[Int(i)] != rank { continue }
            // Merge part i with its successor.
            let j = next[Int(i)]
            let k = next[Int(j)]
            next[Int(i)] = k
            if k < end { previous[Int(k)] = i }
            ranks[Int(j)] = BytePairMerger.noRank
            let newRank = pairRank(i, next)
            ranks[Int(i)] = newRank
            if newRank != BytePairMerger.noRank { heapPush(UInt64(UInt32(newRank)) << 32 | UInt64(i)) }
            let p = previous[Int(i)]
            if p >= 0 {
                let prevRank = pairRank(p, next)
                ranks[Int(p)] = prevRank
                if prevRank != BytePairMerger.noRank { heapPush(UInt64(UInt32(prevRank)) << 32 | UInt64(p)) }
            }
        }
        var i: Int32 = 0
        while i < end {
            let j = next[Int(i)]
            emit(table.value(piece + Int(i), Int(j - i)) ?? BytePairMerger.noRank)
            i = j
        }
    }

    private mutating func heapPush(_ value: UInt64) {
        heap.append(value)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= heap[child] { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func heapPop() -> UInt64? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
