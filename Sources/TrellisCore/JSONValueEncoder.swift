internal import Foundation
public import TrellisJSON

/// Encodes `Encodable` values as JSON values, which `JSONWriter` then writes: the runtime's
/// way of writing response bodies, without Foundation's `JSONEncoder`.
///
/// Like `JSONEncoder`: keys in the order the value encodes them (a generated model: the
/// order of its properties), `URL` and `UUID` as strings, `Data` as base64, `Date` as an
/// RFC 3339 string; a `Float` keeps its shortest decimal form (`0.1`, not `0.100000001`);
/// a non-finite number is an `EncodingError`.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.write(try JSONValueEncoder().encode(pet))
/// ```
public struct JSONValueEncoder: Sendable {
    /// Whether an ``UploadedFile`` is written with where it is (its path), as a client's
    /// multipart writer needs it, rather than as a client sees a received one.
    package var writesFileLocations = false

    /// An encoder.
    public init() {}

    /// The JSON value of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> JSON {
        let node = Node(writesFileLocations: writesFileLocations)
        try ValueEncoder(node: node, codingPath: []).encodeValue(value)
        return node.json
    }
}

/// A value under construction: containers hand out references to their children.
private final class Node {
    enum Content {
        case unset
        case value(JSON)
        case object([(String, Node)])
        case array([Node])
    }

    var content: Content = .unset
    /// The encoder's ``JSONValueEncoder/writesFileLocations``, handed down to every child.
    let writesFileLocations: Bool

    init(writesFileLocations: Bool) {
        self.writesFileLocations = writesFileLocations
    }

    /// What was encoded (an encoder given nothing writes `{}`, as `JSONEncoder` does).
    var json: JSON {
        switch content {
        case .unset: return .object(JSONObject())
        case .value(let value): return value
        case .object(let members):
            var object = JSONObject()
            for (key, node) in members { object[key] = node.json }
            return .object(object)
        case .array(let nodes): return .array(nodes.map(\.json))
        }
    }

    /// The member `key` of an object (made an object if it is not one yet).
    func member(_ key: String) -> Node {
        let child = Node(writesFileLocations: writesFileLocations)
        if case .object(var members) = content {
            content = .unset  // keep `members` uniquely referenced while appending
            members.append((key, child))
            content = .object(members)
        } else {
            content = .object([(key, child)])
        }
        return child
    }

    /// A new element at the end of an array (made an array if it is not one yet).
    func element() -> Node {
        let child = Node(writesFileLocations: writesFileLocations)
        if case .array(var nodes) = content {
            content = .unset
            nodes.append(child)
            content = .array(nodes)
        } else {
            content = .array([child])
        }
        return child
    }

    var count: Int {
        switch content {
        case .array(let nodes): nodes.count
        case .object(let members): members.count
        default: 0
        }
    }
}

private struct ValueEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { node.writesFileLocations ? [UploadedFile.locationKey: true] : [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    func encodeValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let text as String: node.content = .value(.string(text))
        case let number as Int: node.content = .value(.integer(Int64(number)))
        case let flag as Bool: node.content = .value(.bool(flag))
        case let number as Double: node.content = .value(try Self.number(number, codingPath))
        case let date as Date: node.content = .value(.string(DateTimeCoding.format(date)))
        case let url as URL: node.content = .value(.string(url.absoluteString))
        case let data as Data: node.content = .value(.string(data.base64EncodedString()))
        default: try value.encode(to: self)
        }
    }

    static func number(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSON {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) cannot be written as JSON"))
        }
        return .number(value)
    }

    static func number(_ value: Float, _ codingPath: [any CodingKey]) throws -> JSON {
        // The double nearest to the float's shortest decimal form, so that 0.1 stays 0.1.
        try number(Double(value.description) ?? Double(value), codingPath)
    }

    static func integer<N: BinaryInteger>(_ value: N, _ codingPath: [any CodingKey]) throws -> JSON {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is beyond 64-bit integers"))
        }
        return .integer(exact)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: JSON) { encoder.node.content = .value(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try ValueEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { set(try ValueEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Int) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(try ValueEncoder.integer(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(try ValueEncoder.integer(value, codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> ValueEncoder { ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]) }
    private func set(_ value: JSON, _ key: Key) { node.member(key.stringValue).content = .value(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try ValueEncoder.number(value, codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try ValueEncoder.number(value, codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(try ValueEncoder.integer(value, codingPath + [key]), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try ValueEncoder.integer(value, codingPath + [key]), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        child(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { child(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.member("super"), codingPath: codingPath + [AnyCodingKey("super")]) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private func next() -> ValueEncoder {
        let key = AnyCodingKey(intValue: node.count) ?? AnyCodingKey("\(node.count)")
        return ValueEncoder(node: node.element(), codingPath: codingPath + [key])
    }

    private func append(_ value: JSON) { node.element().content = .value(value) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try ValueEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { append(try ValueEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Int) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(try ValueEncoder.integer(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(try ValueEncoder.integer(value, codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}
