/// Holds a value on the heap, so that a generated struct can contain itself (a tree node
/// with a `parent`): the generator boxes exactly the properties that close a cycle.
///
/// Compares and hashes by value.
public final class IndirectBox<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public let value: Value

    /// Boxes `value`.
    public init(_ value: Value) { self.value = value }

    /// Whether the two boxes hold equal values: two different boxes of equal values are equal,
    /// so a boxed property does not change the equality of the struct that holds it.
    public static func == (lhs: IndirectBox, rhs: IndirectBox) -> Bool { lhs === rhs || lhs.value == rhs.value }
    /// Hashes the boxed value, consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension IndirectBox: Codable where Value: Codable {
    /// Decodes the value itself: the box adds no level to the encoded form.
    public convenience init(from decoder: any Decoder) throws { self.init(try Value(from: decoder)) }
    /// Encodes the value itself, as if it were not boxed.
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
