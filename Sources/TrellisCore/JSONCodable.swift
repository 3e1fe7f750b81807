public import TrellisJSON

/// `Codable` through a type's own JSON reader and writer: what generated models and choices
/// conform to, instead of each carrying a `CodingKeys` enum, an `init(from:)` and an
/// `encode(to:)` of its own (a seventh of a large service's generated code, and of its build
/// time, for a path the runtime does not take: it reads and writes bodies with
/// ``JSONReadable/init(json:)`` and ``JSONWritable/writeJSON(into:)``).
///
/// Any coder sees the JSON those write — the schema's member names, `null` versus absent,
/// RFC 3339 dates — as it saw it through the coding a model used to carry: `JSONEncoder`,
/// `JSONDecoder`, ``JSONValueEncoder`` and ``JSONValueDecoder`` (which hands over its parsed
/// value, with nothing converted) alike. A coder's key or date strategies apply to the JSON
/// (its member names, its strings), not to Swift names.
public protocol JSONCodable: Codable, JSONReadable, JSONWritable {}

extension JSONCodable {
    /// Reads the value that `decoder` holds: the JSON value itself from a
    /// ``JSONValueDecoder``; from any other decoder, the JSON it decodes, then
    /// ``JSONReadable/init(json:)``.
    public init(from decoder: any Decoder) throws {
        if let holder = decoder as? any JSONValueHolding {
            try self.init(json: holder.heldValue)
            return
        }
        let tree = try JSON(from: decoder)
        let document = try JSONDocument(parsing: tree.compactText, options: JSONParseOptions(maxDepth: 2047))
        try self.init(json: document.root)
    }

    /// Writes the JSON ``JSONWritable/writeJSON(into:)`` writes, through `encoder`.
    public func encode(to encoder: any Encoder) throws {
        var writer = JSONWriter()
        try writeJSON(into: &writer)
        try JSON(parsing: writer.bytes, options: JSONParseOptions(maxDepth: 2047)).encode(to: encoder)
    }
}

/// A decoder that holds a parsed JSON value (``JSONValueDecoder``'s): a ``JSONCodable`` value
/// reads it directly.
package protocol JSONValueHolding {
    /// The value being decoded.
    var heldValue: JSONValue { get }
}
