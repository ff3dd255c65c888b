/// An immutable value kept on the heap, compared and hashed by its value: how a large field that only some turns
/// have costs them a pointer instead of its full size (see `Turn`).
final class Boxed<Value: Sendable & Hashable>: Sendable, Hashable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    static func == (lhs: Boxed, rhs: Boxed) -> Bool { lhs === rhs || lhs.value == rhs.value }

    func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}
