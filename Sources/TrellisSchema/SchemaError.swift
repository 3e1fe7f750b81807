/// A schema that cannot be compiled: invalid, of an unknown dialect, with a `$ref`
/// that leads nowhere, or with a pattern that is not a regular expression.
///
/// ```
/// file:///schemas/pet.json#/properties/owner: unresolvable reference "person.json"
/// ```
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: the schema's URI and a JSON pointer fragment.
    public var location: String
    /// What is wrong.
    public var message: String

    /// Creates a schema error.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// The JSON pointer part of ``location`` (`""` for the document root).
    public var pointer: String {
        guard let hash = location.firstIndex(of: "#") else { return "" }
        return String(location[location.index(after: hash)...]).removingPercentEncoding
    }

    public var description: String { "\(location): \(message)" }
}

extension String {
    /// Decodes `%XX` escapes (as in URI fragments); malformed escapes are kept as they are.
    package var removingPercentEncoding: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        let utf8 = Array(self.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = Self.hexValue(utf8[index + 1]), let low = Self.hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
