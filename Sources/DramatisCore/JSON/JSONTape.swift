/// One parsed JSON line as a flat array of nodes (a "tape"), pointing back into the line's bytes.
///
/// Containers store the index just past their subtree, so siblings are reached without
/// recursion and parsing allocates nothing per value once the arrays have grown.
package struct JSONTape: Sendable {
    /// The kind of a JSON value.
    package enum Kind: UInt8, Sendable {
        case null, falseValue, trueValue, number, string, array, object
    }

    /// One value. For strings `start..<end` is the content between the quotes; for numbers the literal;
    /// for containers the whole text. `after` is the index of the node following the subtree.
    package struct Node: Sendable {
        package var kind: Kind
        package var hasEscapes: Bool
        package var start: Int32
        package var end: Int32
        package var after: Int32
        package var count: Int32
    }

    package var nodes: [Node] = []

    /// An empty tape.
    package init() {}

    /// Index of the first child of container `index` (objects alternate key, value).
    @inline(__always) package func firstChild(_ index: Int) -> Int { index + 1 }
    /// Index of the next sibling after the subtree of `index`.
    @inline(__always) package func next(_ index: Int) -> Int { Int(nodes[index].after) }
    /// The kind of node `index`.
    @inline(__always) package func kind(_ index: Int) -> Kind { nodes[index].kind }

    /// The element indices of array node `index`.
    package func elements(_ index: Int) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(Int(nodes[index].count))
        var child = index + 1
        for _ in 0 ..< nodes[index].count {
            result.append(child)
            child = next(child)
        }
        return result
    }

    /// The (key node, value node) pairs of object node `index`, in document order.
    package func members(_ index: Int) -> [(key: Int, value: Int)] {
        var result: [(key: Int, value: Int)] = []
        result.reserveCapacity(Int(nodes[index].count))
        var child = index + 1
        for _ in 0 ..< nodes[index].count {
            let value = next(child)
            result.append((child, value))
            child = next(value)
        }
        return result
    }
}
