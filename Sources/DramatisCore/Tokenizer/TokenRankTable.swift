/// An open-addressing hash table from byte strings to integer values (token ranks, cached counts).
///
/// Keys live back to back in one byte arena so lookups on a slice of a larger buffer never allocate.
struct TokenRankTable: Sendable {
    private var arena: [UInt8] = []
    private var keyOffsets: [UInt32] = []
    private var keyLengths: [UInt32] = []
    private var values: [Int32] = []
    /// Slot -> entry index + 1 (0 means empty).
    private var slots: [Int32]
    private var mask: Int

    /// Number of stored keys.
    var count: Int { values.count }
    /// Bytes used by stored keys.
    var arenaSize: Int { arena.count }

    /// An empty table sized for about `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        keyOffsets.reserveCapacity(capacity)
        keyLengths.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// FNV-1a over the key, finished with a multiply-shift mix.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i < length {
            h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3
            i += 1
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }

    /// The value stored for the `length` bytes at `base`, or `nil`.
    @inline(__always)
    func value(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        var slot = TokenRankTable.hash(base, length) & mask
        return arena.withUnsafeBufferPointer { keys -> Int32? in
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                let index = entry - 1
                if Int(keyLengths[index]) == length {
                    let start = Int(keyOffsets[index])
                    var equal = true
                    var j = 0
                    while j < length {
                        if keys[start + j] != base[j] { equal = false; break }
                        j += 1
                    }
                    if equal { return values[index] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Stores `value` for the key (the key must not be present yet).
    mutating func insert(_ base: UnsafePointer<UInt8>, _ length: Int, value: Int32) {
        if (values.count + 1) * 2 > slots.count { grow() }
        keyOffsets.append(UInt32(arena.count))
        keyLengths.append(UInt32(length))
        arena.append(contentsOf: UnsafeBufferPointer(start: base, count: length))
        values.append(value)
        place(entry: values.count - 1, hash: TokenRankTable.hash(base, length))
    }

    /// The key bytes of entry `index` (insertion order).
    func key(at index: Int) -> ArraySlice<UInt8> {
        let start = Int(keyOffsets[index])
        return arena[start ..< start + Int(keyLengths[index])]
    }

    /// The value of entry `index` (insertion order).
    func value(at index: Int) -> Int32 { values[index] }

    /// Forgets every key, keeping the allocated capacity.
    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        keyOffsets.removeAll(keepingCapacity: true)
        keyLengths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    private mutating func place(entry: Int, hash: Int) {
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        let newSize = slots.count * 2
        slots = [Int32](repeating: 0, count: newSize)
        mask = newSize - 1
        for index in values.indices {
            let start = Int(keyOffsets[index]), length = Int(keyLengths[index])
            let h = arena.withUnsafeBufferPointer { TokenRankTable.hash($0.baseAddress! + start, length) }
            place(entry: index, hash: h)
        }
    }
}
