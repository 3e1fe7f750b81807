/// Holds a value on the heap, so that a generated struct can contain itself (a tree node
/// with a `parent`): the generator boxes exactly the properties that close a cycle.
///
/// Compares and hashes by value.
public final class IndirectBox<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public let value: Value

    /// Boxes `value`.
    public init(_ value: Value) { self.value = value }

    public static func == (lhs: IndirectBox, rhs: IndirectBox) -> Bool { lhs === rhs || lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension IndirectBox: Codable where Value: Codable {
    public convenience init(from decoder: any Decoder) throws { self.init(try Value(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
