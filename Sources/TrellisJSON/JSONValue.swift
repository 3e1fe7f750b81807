/// A value inside a ``JSONDocument``, read without copying.
///
/// A `JSONValue` keeps its document alive, so it is safe to store and to send to
/// other tasks.
///
/// ```swift
/// let doc = try JSONDocument(parsing: #"{"tags": ["a", "b"]}"#)
/// for tag in doc.root["tags"]?.elements ?? [] { print(tag.stringValue ?? "") }
/// ```
public struct JSONValue: Sendable {
    /// The document this value belongs to.
    public let document: JSONDocument
    package let node: JSONNode

    package init(document: JSONDocument, node: JSONNode) {
        self.document = document
        self.node = node
    }

    /// The kind of value.
    public var kind: JSONKind { node.kind }

    /// The string, or nil if this is not a string. Strings may contain `\u0000`.
    public var stringValue: String? { node.string }
    /// The integer, or nil if this is not an integer literal (`1.0` is a real).
    public var int64Value: Int64? { node.integer }
    /// The number as a `Double` (integers converted), or nil if this is not a number.
    public var doubleValue: Double? { node.number?.double }
    /// The number as parsed, or nil if this is not a number.
    public var numberValue: JSONNumber? { node.number }
    /// The boolean, or nil if this is not a boolean.
    public var boolValue: Bool? { node.bool }
    /// Whether this is `null`.
    public var isNull: Bool { node.isNull }

    /// The number of members of an object or elements of an array; 0 for scalars.
    public var count: Int { node.count }

    /// The member named `key` of an object; nil if absent or if this is not an object.
    public subscript(key: String) -> JSONValue? {
        guard node.isObject, let child = node.member(key) else { return nil }
        return JSONValue(document: document, node: child)
    }

    /// The element at `index` of an array; nil if out of range or if this is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard node.isArray, index >= 0, index < node.count else { return nil }
        return JSONValue(document: document, node: node[index: index])
    }

    /// The members of an object in document order (empty for other kinds).
    public var members: [(key: String, value: JSONValue)] {
        guard node.isObject else { return [] }
        return node.members.map { ($0.key, JSONValue(document: document, node: $0.value)) }
    }

    /// The elements of an array (empty for other kinds).
    public var elements: [JSONValue] {
        guard node.isArray else { return [] }
        return (0..<node.count).map { JSONValue(document: document, node: node[index: $0]) }
    }

    /// A self-contained copy of this value and everything below it.
    public var json: JSON { node.json }
}
