package import CJansson

/// A borrowed pointer to a value inside a ``JSONDocument``: the fast, unchecked view
/// that Trellis's own modules use on the hot path.
///
/// A node does not keep its document alive; code that holds nodes must keep the
/// document alive itself (`withExtendedLifetime`). Outside the package use ``JSONValue``.
package struct JSONNode: @unchecked Sendable {
    // Safety of @unchecked Sendable: nodes point into a tree that is never mutated after
    // it is built, and the package code that holds them keeps the document alive.
    @usableFromInline package let raw: UnsafeMutablePointer<json_t>

    @inlinable package init(_ raw: UnsafeMutablePointer<json_t>) { self.raw = raw }

    @inlinable package var kind: JSONKind {
        switch raw.pointee.type {
        case JSON_OBJECT: return .object
        case JSON_ARRAY: return .array
        case JSON_STRING: return .string
        case JSON_INTEGER: return .integer
        case JSON_REAL: return .real
        case JSON_TRUE, JSON_FALSE: return .bool
        default: return .null
        }
    }

    @inlinable package var isObject: Bool { raw.pointee.type == JSON_OBJECT }
    @inlinable package var isArray: Bool { raw.pointee.type == JSON_ARRAY }
    @inlinable package var isString: Bool { raw.pointee.type == JSON_STRING }
    @inlinable package var isNumber: Bool { raw.pointee.type == JSON_INTEGER || raw.pointee.type == JSON_REAL }

    // MARK: Scalars

    /// The string's UTF-8 bytes (may contain NUL), valid while the document lives.
    @inlinable package var utf8: UnsafeBufferPointer<UInt8>? {
        guard raw.pointee.type == JSON_STRING, let p = json_string_value(raw) else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: json_string_length(raw))
    }

    @inlinable package var string: String? {
        guard let bytes = utf8 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The integer of an integer node (reals are not converted).
    @inlinable package var integer: Int64? {
        raw.pointee.type == JSON_INTEGER ? json_integer_value(raw) : nil
    }

    /// The real of a real node.
    @inlinable package var real: Double? {
        raw.pointee.type == JSON_REAL ? json_real_value(raw) : nil
    }

    @inlinable package var number: JSONNumber? {
        switch raw.pointee.type {
        case JSON_INTEGER: return .integer(json_integer_value(raw))
        case JSON_REAL: return .real(json_real_value(raw))
        default: return nil
        }
    }

    @inlinable package var bool: Bool? {
        switch raw.pointee.type {
        case JSON_TRUE: return true
        case JSON_FALSE: return false
        default: return nil
        }
    }

    @inlinable package var isNull: Bool { raw.pointee.type == JSON_NULL }

    // MARK: Containers

    /// Number of members of an object or elements of an array (0 otherwise).
    @inlinable package var count: Int {
        switch raw.pointee.type {
        case JSON_OBJECT: return json_object_size(raw)
        case JSON_ARRAY: return json_array_size(raw)
        default: return 0
        }
    }

    @inlinable package subscript(index index: Int) -> JSONNode {
        JSONNode(json_array_get(raw, index)!)
    }

    @inlinable package func member(_ key: String) -> JSONNode? {
        key.withCString { json_object_getn(raw, $0, key.utf8.count) }.map(JSONNode.init)
    }

    /// Calls `body` with every member in document order; stops when it returns false.
    @inlinable package func forEachMember(_ body: (UnsafeBufferPointer<UInt8>, JSONNode) throws -> Bool) rethrows {
        var iterator = json_object_iter(raw)
        while let it = iterator {
            let key = UnsafeBufferPointer(
                start: UnsafeRawPointer(json_object_iter_key(it)).assumingMemoryBound(to: UInt8.self),
                count: json_object_iter_key_len(it))
            guard try body(key, JSONNode(json_object_iter_value(it))) else { return }
            iterator = json_object_iter_next(raw, it)
        }
    }

    /// The members in document order (allocates the keys).
    package var members: [(key: String, value: JSONNode)] {
        var result: [(key: String, value: JSONNode)] = []
        result.reserveCapacity(count)
        forEachMember { key, value in
            result.append((String(decoding: key, as: UTF8.self), value))
            return true
        }
        return result
    }

    /// Converts this value (and everything below it) into a ``JSON`` tree.
    package var json: JSON {
        switch raw.pointee.type {
        case JSON_OBJECT:
            return .object(JSONObject(uniqueMembers: members.map { ($0.key, $0.value.json) }))
        case JSON_ARRAY:
            return .array((0..<count).map { self[index: $0].json })
        case JSON_STRING: return .string(string ?? "")
        case JSON_INTEGER: return .integer(json_integer_value(raw))
        case JSON_REAL: return .number(json_real_value(raw))
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        default: return .null
        }
    }
}

/// The kind of a JSON value.
public enum JSONKind: Sendable, Hashable, CustomStringConvertible {
    case object, array, string, integer, real, bool, null

    /// The JSON Schema type name (`integer` for integers, `number` for reals).
    public var description: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .real: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}

/// A JSON number as parsed: an exact 64-bit integer or a `Double`.
@frozen
public enum JSONNumber: Sendable, Hashable {
    case integer(Int64)
    case real(Double)

    /// The value as a `Double` (rounded for integers beyond 2^53).
    @inlinable public var double: Double {
        switch self {
        case .integer(let i): Double(i)
        case .real(let d): d
        }
    }

    /// Whether the value is mathematically an integer (`1.0` is).
    @inlinable public var isIntegral: Bool {
        switch self {
        case .integer: true
        case .real(let d): d.isFinite && d.rounded(.towardZero) == d
        }
    }
}
