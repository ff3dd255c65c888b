#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table from byte strings to integer values (token ranks, cached counts).
///
/// Keys live back to back in one byte arena, so lookups on a slice of a larger buffer never
/// allocate. Each slot holds a 32-bit fingerprint of the hash next to the entry index, so a probe
/// touches the key bytes only when the fingerprints agree.
struct TokenRankTable: Sendable {
    /// One stored key: where its bytes are in the arena, and its value.
    struct Entry: Sendable {
        var offset: UInt32
        var length: UInt32
        var value: Int32
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Slot: fingerprint << 32 | (entry index + 1); 0 means empty.
    private var slots: [UInt64]
    private var mask: Int

    /// Number of stored keys.
    var count: Int { entries.count }
    /// Bytes used by stored keys.
    var arenaSize: Int { arena.count }

    /// An empty table sized for about `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        entries.reserveCapacity(capacity)
    }

    /// FNV-1a over the key, finished with a multiply-xorshift mix.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i < length {
            h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3
            i += 1
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }

    /// Calls `body` with a read-only pointer view for fast lookups (valid only inside `body`).
    @inline(__always)
    func withView<R>(_ body: (TokenRankView) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { arena in
            try entries.withUnsafeBufferPointer { entries in
                try slots.withUnsafeBufferPointer { slots in
                    try body(TokenRankView(arena: arena.baseAddress, entries: entries.baseAddress, slots: slots.baseAddress!, mask: mask))
                }
            }
        }
    }

    /// The value stored for the `length` bytes at `base`, or `nil` (convenience; hot paths use a view).
    func value(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        if entries.isEmpty { return nil }
        return withView { $0.value(base, length) }
    }

    /// Stores `value` for the key; returns false (and stores nothing) when the key is already present.
    @discardableResult
    mutating func insert(_ base: UnsafePointer<UInt8>, _ length: Int, value: Int32) -> Bool {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let h = TokenRankTable.hash(base, length)
        var slot = Int(truncatingIfNeeded: h) & mask
        let fingerprint = h >> 32
        let present = arena.withUnsafeBufferPointer { arena -> Bool in
            while slots[slot] != 0 {
                let word = slots[slot]
                if word >> 32 == fingerprint {
                    let entry = entries[Int(word & 0xFFFF_FFFF) - 1]
                    if Int(entry.length) == length, TokenRankView.equal(arena.baseAddress! + Int(entry.offset), base, length) { return true }
                }
                slot = (slot + 1) & mask
            }
            return false
        }
        if present { return false }
        entries.append(Entry(offset: UInt32(arena.count), length: UInt32(length), value: value))
        arena.append(contentsOf: UnsafeBufferPointer(start: base, count: length))
        slots[slot] = fingerprint << 32 | UInt64(entries.count)
        return true
    }

    /// The key bytes of entry `index` (insertion order).
    func key(at index: Int) -> ArraySlice<UInt8> {
        let entry = entries[index]
        return arena[Int(entry.offset) ..< Int(entry.offset) + Int(entry.length)]
    }

    /// The value of entry `index` (insertion order).
    func value(at index: Int) -> Int32 { entries[index].value }

    /// Forgets every key, keeping the allocated capacity.
    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    private mutating func place(entry: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(entry + 1)
    }

    private mutating func grow() {
        let newSize = slots.count * 2
        slots = [UInt64](repeating: 0, count: newSize)
        mask = newSize - 1
        for index in entries.indices {
            let entry = entries[index]
            let h = arena.withUnsafeBufferPointer { TokenRankTable.hash($0.baseAddress! + Int(entry.offset), Int(entry.length)) }
            place(entry: index, hash: h)
        }
    }
}

extension TokenRankView {
    /// Byte equality; short keys (most tokens) are compared inline rather than through memcmp.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if length > 16 { return memcmp(a, b, length) == 0 }
        var i = 0
        while i < length {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}

/// Raw-pointer view of a `TokenRankTable` for the inner loops (no bounds checks, no reference counting).
/// Only valid inside `TokenRankTable.withView`.
struct TokenRankView {
    let arena: UnsafePointer<UInt8>?
    let entries: UnsafePointer<TokenRankTable.Entry>?
    let slots: UnsafePointer<UInt64>
    let mask: Int

    /// The value stored for the `length` bytes at `base`, or `nil`.
    @inline(__always)
    func value(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        let h = TokenRankTable.hash(base, length)
        let fingerprint = h >> 32
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let word = slots[slot]
            if word == 0 { return nil }
            if word >> 32 == fingerprint {
                // A non-empty slot implies a non-empty entry array.
                let entry = entries.unsafelyUnwrapped[Int(word & 0xFFFF_FFFF) - 1]
                if Int(entry.length) == length, let arena, TokenRankView.equal(arena + Int(entry.offset), base, length) {
                    return entry.value
                }
            }
            slot = (slot + 1) & mask
        }
    }
}
