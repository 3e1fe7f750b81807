public import TrellisJSON

/// One way in which an instance does not satisfy a schema.
///
/// ```swift
/// error.description   // "/age: 300 is greater than the maximum of 100"
/// ```
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// Where in the instance: a JSON pointer such as `/tags/1`.
    public var instanceLocation: JSONPointer
    /// The path through the schema that was followed, `$ref`s included, as a JSON
    /// pointer ending with the keyword, e.g. `/properties/owner/$ref/required`.
    public var keywordLocation: String
    /// The absolute location of the failing keyword: the schema's URI and a JSON
    /// pointer fragment, e.g. `file:///schemas/person.json#/required`.
    public var absoluteKeywordLocation: String
    /// The keyword that failed (`maximum`, `required`, `additionalProperties`, ...;
    /// `false` for a `false` schema).
    public var keyword: String
    /// The keyword's parameters, e.g. `{"maximum": 100}` or `{"property": "name"}`.
    public var parameters: JSONObject
    /// A readable sentence, e.g. `300 is greater than the maximum of 100`.
    public var message: String
    /// The offending value (absent for a missing property).
    public var instance: JSON?

    /// Creates an error.
    public init(
        instanceLocation: JSONPointer, keywordLocation: String, absoluteKeywordLocation: String,
        keyword: String, parameters: JSONObject = JSONObject(), message: String, instance: JSON?
    ) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.keyword = keyword
        self.parameters = parameters
        self.message = message
        self.instance = instance
    }

    /// `pointer: message` (the pointer is `/` for the whole instance).
    public var description: String {
        let location = instanceLocation.tokens.isEmpty ? "/" : instanceLocation.description
        return "\(location): \(message)"
    }
}
