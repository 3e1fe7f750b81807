public import TrellisJSON

/// Schema documents by URI, for `$ref`s that leave the schema being compiled.
///
/// Documents are kept raw and compiled only when a `$ref` reaches them, so a registry
/// may hold documents of dialects that are never used. Nothing is ever fetched from
/// the network: a reference to a URI that is not registered is a ``SchemaError``.
/// The meta-schemas of every supported dialect are always available.
///
/// ```swift
/// var registry = SchemaRegistry()
/// registry.register(petSchema, as: "file:///schemas/pet.json")
/// let validator = try Validator(schema: ["$ref": "pet.json"], baseURI: "file:///schemas/", registry: registry)
/// ```
public struct SchemaRegistry: Sendable {
    package private(set) var documents: [String: JSON] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Registers `document` as the schema found at `uri` (any fragment is ignored).
    public mutating func register(_ document: JSON, as uri: String) {
        documents[Self.key(uri)] = document
    }

    /// The document registered at `uri` (or, for an `http` or `https` URI, at the same URI
    /// with the other scheme: collections of real schemas refer to one document both ways),
    /// or a built-in meta-schema.
    package func document(at uri: String) -> JSON? {
        let key = Self.key(uri)
        if let document = documents[key] ?? documents[Self.alternateScheme(key)] { return document }
        if let text = MetaSchemas.documents[key] ?? MetaSchemas.documents[Self.alternateScheme(key)] {
            return try? JSON(parsing: text)
        }
        return nil
    }

    static func key(_ uri: String) -> String {
        guard let hash = uri.firstIndex(of: "#") else { return uri }
        return String(uri[..<hash])
    }

    private static func alternateScheme(_ uri: String) -> String {
        if uri.hasPrefix("https://") { return "http://" + uri.dropFirst(8) }
        if uri.hasPrefix("http://") { return "https://" + uri.dropFirst(7) }
        return uri
    }
}
