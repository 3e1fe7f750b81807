public import Foundation
public import TrellisJSON

/// A value that reads itself from a parsed JSON value, with no `Decoder` in between: the
/// runtime's fastest way to turn a validated request body into a model. Generated models
/// conform (their `init(json:)` is generated with the rest of the model), and so do the types
/// their members have: `String`, `Bool`, the integers, `Double`, `Float`, `Date` (RFC 3339),
/// ``CalendarDate``, `UUID`, `URL`, `Data` (base64), `JSON`, ``IndirectBox``, and optionals,
/// arrays and string-keyed dictionaries of conforming types.
///
/// A conforming value reads what ``JSONValueDecoder`` reads through its `init(from:)`, and
/// refuses what it refuses (with a `DecodingError`).
public protocol JSONReadable: Decodable {
    /// Reads a value from `json`.
    /// - Throws: `DecodingError` when `json` does not hold such a value.
    init(json: JSONValue) throws
}

extension JSONValue {
    /// The value of the member `key`, read as `T`.
    /// - Throws: `DecodingError.keyNotFound` when there is no such member, and what `T` throws
    ///   (`null` is refused unless `T` is optional).
    @inlinable public func member<T: JSONReadable>(_ key: String, as type: T.Type) throws -> T {
        guard let value = self[key] else { throw DecodingError.missingMember(key, of: T.self) }
        return try T(json: value)
    }

    /// The value of the member `key` read as `T`, or nil when it is absent or `null`.
    @inlinable public func memberIfPresent<T: JSONReadable>(_ key: String, as type: T.Type) throws -> T? {
        guard let value = self[key], !value.isNull else { return nil }
        return try T(json: value)
    }
    /// The value of the member `key` read as `T`, or `defaultValue` when it is absent or
    /// `null`: what generated readers call for a property with a default (a plain call, which
    /// the compiler checks in a fraction of the time `memberIfPresent(_:as:) ?? value` takes).
    @inlinable public func member<T: JSONReadable>(_ key: String, as type: T.Type, default defaultValue: @autoclosure () -> T) throws -> T {
        guard let value = self[key], !value.isNull else { return defaultValue() }
        return try T(json: value)
    }
}

extension DecodingError {
    /// A value of the wrong kind.
    @usableFromInline static func mismatch(_ type: Any.Type, expected: String, found value: JSONValue) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [], debugDescription: "expected \(expected), found \(value.kind)"))
    }

    /// A member that is not there.
    @usableFromInline static func missingMember(_ key: String, of type: Any.Type) -> DecodingError {
        .keyNotFound(AnyCodingKey(key), .init(codingPath: [], debugDescription: "no member \"\(key)\""))
    }
}

// MARK: - Scalars

extension String: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws {
        guard let value = json.stringValue else { throw DecodingError.mismatch(String.self, expected: "a string", found: json) }
        self = value
    }
}

extension Bool: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws {
        guard let value = json.boolValue else { throw DecodingError.mismatch(Bool.self, expected: "a boolean", found: json) }
        self = value
    }
}

extension FixedWidthInteger {
    /// An integer, or a real with no fraction, that fits the type (`3.0` is an `Int`).
    @inlinable init(exactlyFrom json: JSONValue) throws {
        switch json.numberValue {
        case .integer(let value)?:
            if let exact = Self(exactly: value) {
                self = exact
                return
            }
        case .real(let value)?:
            if let exact = Self(exactly: value) {
                self = exact
                return
            }
        case nil: break
        }
        throw DecodingError.mismatch(Self.self, expected: "an integer that fits \(Self.self)", found: json)
    }
}

extension Int: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension Int8: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension Int16: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension Int32: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension Int64: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension UInt: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension UInt8: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension UInt16: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension UInt32: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension UInt64: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws { try self.init(exactlyFrom: json) }
}

extension Double: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws {
        guard let value = json.doubleValue else { throw DecodingError.mismatch(Double.self, expected: "a number", found: json) }
        self = value
    }
}

extension Float: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws {
        guard let value = json.doubleValue else { throw DecodingError.mismatch(Float.self, expected: "a number", found: json) }
        self = Float(value)
    }
}

extension Date: JSONReadable {
    /// Reads an RFC 3339 date-time string.
    public init(json: JSONValue) throws {
        guard let text = json.stringValue, let date = DateTimeCoding.parse(text) else {
            throw DecodingError.mismatch(Date.self, expected: "an RFC 3339 date-time", found: json)
        }
        self = date
    }
}

extension UUID: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    public init(json: JSONValue) throws {
        guard let text = json.stringValue else { throw DecodingError.mismatch(UUID.self, expected: "a UUID string", found: json) }
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Attempted to decode UUID from invalid UUID string."))
        }
        self = uuid
    }
}

extension URL: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    public init(json: JSONValue) throws {
        guard let text = json.stringValue, let url = URL(string: text) else { throw DecodingError.mismatch(URL.self, expected: "a URL string", found: json) }
        self = url
    }
}

extension Data: JSONReadable {
    /// Reads a base64 string.
    public init(json: JSONValue) throws {
        guard let text = json.stringValue, let data = Data(base64Encoded: text) else {
            throw DecodingError.mismatch(Data.self, expected: "a base64 string", found: json)
        }
        self = data
    }
}

extension CalendarDate: JSONReadable {
    /// Reads a `YYYY-MM-DD` string, as ``init(from:)`` does.
    public init(json: JSONValue) throws {
        let text = try String(json: json)
        do {
            self = try CalendarDate(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description))
        }
    }
}

extension JSON: JSONReadable {
    /// The value as it is.
    public init(json: JSONValue) { self = json.json }
}

// MARK: - Containers

extension Optional: JSONReadable where Wrapped: JSONReadable {
    /// nil for `null`.
    @inlinable public init(json: JSONValue) throws {
        self = json.isNull ? nil : try Wrapped(json: json)
    }
}

extension Array: JSONReadable where Element: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws {
        guard json.kind == .array else { throw DecodingError.mismatch([Element].self, expected: "an array", found: json) }
        self = try json.elements.map { try Element(json: $0) }
    }
}

extension Dictionary: JSONReadable where Key == String, Value: JSONReadable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public init(json: JSONValue) throws {
        guard json.kind == .object else { throw DecodingError.mismatch([String: Value].self, expected: "an object", found: json) }
        var result: [String: Value] = [:]
        for (key, value) in json.members { result[key] = try Value(json: value) }
        self = result
    }
}

extension IndirectBox: JSONReadable where Value: JSONReadable & Encodable {
    /// Reads a value from `json` (see ``JSONReadable``).
    @inlinable public convenience init(json: JSONValue) throws { self.init(try Value(json: json)) }
}
