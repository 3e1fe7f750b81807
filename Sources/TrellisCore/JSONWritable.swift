public import Foundation
public import TrellisJSON

/// A value that writes itself as JSON, with no `Encoder` in between: the runtime's fastest way
/// to write a response body. Generated models conform (their `writeJSON(into:)` is generated
/// with the rest of the model), and so do the types their members have: `String`, `Bool`, the
/// integers, `Double`, `Float`, `Date` (RFC 3339), ``CalendarDate``, `UUID`, `URL`, `Data`
/// (base64), `JSON`, ``IndirectBox``, and optionals, arrays and string-keyed dictionaries of
/// conforming types.
///
/// A conforming value writes exactly the bytes ``JSONStreamEncoder`` and ``JSONValueEncoder``
/// write for its `encode(to:)`: the runtime picks whichever is fastest and the answer is
/// the same.
public protocol JSONWritable: Encodable {
    /// Appends the value's compact JSON to `writer`.
    /// - Throws: `EncodingError` for what JSON cannot hold (a non-finite number).
    func writeJSON(into writer: inout JSONWriter) throws
}

/// Reads request bodies and messages (with ``JSONReadable`` when the type conforms, else with
/// ``JSONValueDecoder``) and writes response bodies and messages (with ``JSONWritable`` when
/// the value conforms, else with ``JSONStreamEncoder``, else with ``JSONValueEncoder``).
public enum JSONBody {
    /// `value` read as a `T`.
    /// - Throws: `DecodingError` when `value` does not hold a `T`.
    public static func read<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        if let readable = type as? any JSONReadable.Type, let result = try readable.init(json: value) as? T { return result }
        return try JSONValueDecoder().decode(type, from: value)
    }

    /// The JSON bytes of `value`.
    /// - Parameter capacity: Bytes to reserve up front (a guess at the size).
    /// - Throws: `EncodingError` for what JSON cannot hold, and what the value's encoding throws.
    public static func bytes(of value: any Encodable, capacity: Int = 512) throws -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        try write(value, into: &writer)
        return writer.bytes
    }

    /// Appends the JSON of `value` to `writer`.
    /// - Throws: `EncodingError` for what JSON cannot hold, and what the value's encoding throws.
    public static func write(_ value: any Encodable, into writer: inout JSONWriter) throws {
        if let writable = value as? any JSONWritable {
            try writable.writeJSON(into: &writer)
        } else if let streamed = try JSONStreamEncoder.encode(value) {
            streamed.withUnsafeBufferPointer { writer.writeRaw($0) }
        } else {
            writer.write(try JSONValueEncoder().encode(value))
        }
    }
}

// MARK: - Scalars

extension String: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeString(self) }
}

extension Bool: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeBool(self) }
}

extension Int: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension Int8: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension Int16: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension Int32: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension Int64: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension UInt8: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension UInt16: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension UInt32: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension UInt: JSONWritable {
    /// - Throws: `EncodingError` beyond `Int64.max`, as the runtime's encoders do.
    public func writeJSON(into writer: inout JSONWriter) throws {
        guard let exact = Int64(exactly: self) else { throw EncodingError.beyond64Bits(self) }
        writer.writeInteger(exact)
    }
}

extension UInt64: JSONWritable {
    /// - Throws: `EncodingError` beyond `Int64.max`, as the runtime's encoders do.
    public func writeJSON(into writer: inout JSONWriter) throws {
        guard let exact = Int64(exactly: self) else { throw EncodingError.beyond64Bits(self) }
        writer.writeInteger(exact)
    }
}

extension EncodingError {
    /// An unsigned integer JSON numbers here do not hold (beyond `Int64.max`).
    static func beyond64Bits(_ value: some BinaryInteger) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is beyond 64-bit integers"))
    }
}

extension Double: JSONWritable {
    /// - Throws: `EncodingError` for infinities and NaN.
    @inlinable public func writeJSON(into writer: inout JSONWriter) throws {
        guard isFinite else { throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "\(self) cannot be written as JSON")) }
        writer.writeDouble(self)
    }
}

extension Float: JSONWritable {
    /// Written in the float's own shortest form (`0.1`, not `0.10000000149011612`).
    /// - Throws: `EncodingError` for infinities and NaN.
    public func writeJSON(into writer: inout JSONWriter) throws {
        try (Double(description) ?? Double(self)).writeJSON(into: &writer)
    }
}

extension Date: JSONWritable {
    /// Written as an RFC 3339 date-time in UTC with milliseconds, as the runtime's encoders write dates.
    public func writeJSON(into writer: inout JSONWriter) { writer.writeString(DateTimeCoding.format(self)) }
}

extension UUID: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    public func writeJSON(into writer: inout JSONWriter) { writer.writeString(uuidString) }
}

extension URL: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    public func writeJSON(into writer: inout JSONWriter) { writer.writeString(absoluteString) }
}

extension Data: JSONWritable {
    /// Written as base64.
    public func writeJSON(into writer: inout JSONWriter) { writer.writeString(base64EncodedString()) }
}

extension CalendarDate: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    public func writeJSON(into writer: inout JSONWriter) { writer.writeString(description) }
}

extension JSON: JSONWritable {
    /// - Throws: `EncodingError` for a non-finite number anywhere in the value.
    public func writeJSON(into writer: inout JSONWriter) throws {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.writeBool(value)
        case .integer(let value): writer.writeInteger(value)
        case .number(let value): try value.writeJSON(into: &writer)
        case .string(let value): writer.writeString(value)
        case .array(let elements): try elements.writeJSON(into: &writer)
        case .object(let object):
            writer.writeByte(UInt8(ascii: "{"))
            var first = true
            for (key, value) in object {
                if !first { writer.writeByte(UInt8(ascii: ",")) }
                first = false
                writer.writeString(key)
                writer.writeByte(UInt8(ascii: ":"))
                try value.writeJSON(into: &writer)
            }
            writer.writeByte(UInt8(ascii: "}"))
        }
    }
}

// MARK: - Containers

extension Optional: JSONWritable where Wrapped: JSONWritable {
    /// `null` when nil (members that may be absent are left out by their model instead).
    @inlinable public func writeJSON(into writer: inout JSONWriter) throws {
        if let value = self { try value.writeJSON(into: &writer) } else { writer.writeNull() }
    }
}

extension Array: JSONWritable where Element: JSONWritable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) throws {
        writer.writeByte(UInt8(ascii: "["))
        for index in indices {
            if index != startIndex { writer.writeByte(UInt8(ascii: ",")) }
            try self[index].writeJSON(into: &writer)
        }
        writer.writeByte(UInt8(ascii: "]"))
    }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    /// Members in the dictionary's order, as `encode(to:)` writes them.
    @inlinable public func writeJSON(into writer: inout JSONWriter) throws {
        writer.writeByte(UInt8(ascii: "{"))
        var first = true
        for (key, value) in self {
            if !first { writer.writeByte(UInt8(ascii: ",")) }
            first = false
            writer.writeString(key)
            writer.writeByte(UInt8(ascii: ":"))
            try value.writeJSON(into: &writer)
        }
        writer.writeByte(UInt8(ascii: "}"))
    }
}

extension IndirectBox: JSONWritable where Value: JSONWritable & Decodable {
    /// Appends the value as JSON (see ``JSONWritable``).
    @inlinable public func writeJSON(into writer: inout JSONWriter) throws { try value.writeJSON(into: &writer) }
}
