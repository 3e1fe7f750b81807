public import TrellisJSON

/// One way in which an instance does not satisfy a schema.
///
/// ```swift
/// error.description   // "/age: 300 is greater than the maximum of 100"
/// ```
///
/// The locations and the message are built from their parts when they are read, so an
/// error costs little until it is printed.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// Where in the instance: the tokens of a JSON pointer such as `/tags/1`.
    public var instancePath: [String]
    /// The path through the schema that was followed, `$ref`s included, ending with the keyword.
    public var keywordPath: [String]
    /// The absolute location (URI and JSON pointer fragment) of the schema that holds the keyword.
    public var schemaLocation: String
    /// The keyword that failed (`maximum`, `required`, `additionalProperties`, ...;
    /// `false` for a `false` schema).
    public var keyword: String
    /// The keyword's parameters, e.g. `{"maximum": 100}` or `{"property": "name"}`.
    public var parameters: JSONObject
    /// The offending value (absent for a missing property).
    public var instance: JSON?
    private var customMessage: String?

    /// Creates an error; the message is derived from the keyword, its parameters and the
    /// instance unless `message` is given.
    public init(
        instancePath: [String], keywordPath: [String], schemaLocation: String, keyword: String,
        parameters: JSONObject = JSONObject(), instance: JSON?, message: String? = nil
    ) {
        self.instancePath = instancePath
        self.keywordPath = keywordPath
        self.schemaLocation = schemaLocation
        self.keyword = keyword
        self.parameters = parameters
        self.instance = instance
        self.customMessage = message
    }

    /// Where in the instance, as a JSON pointer.
    public var instanceLocation: JSONPointer { JSONPointer(instancePath) }

    /// The path through the schema as a JSON pointer, e.g. `/properties/owner/$ref/required`.
    public var keywordLocation: String {
        var result = ""
        for token in keywordPath {
            result += "/"
            result += JSONPointer.escape(token)
        }
        return result
    }

    /// The absolute location of the failing keyword, e.g. `file:///schemas/person.json#/required`.
    public var absoluteKeywordLocation: String { schemaLocation + "/" + JSONPointer.escape(keyword) }

    /// A readable sentence, e.g. `300 is greater than the maximum of 100`.
    public var message: String { customMessage ?? ErrorMessages.message(for: self) }

    /// `pointer: message` (the pointer is `/` for the whole instance).
    public var description: String {
        let location = instancePath.isEmpty ? "/" : instanceLocation.description
        return "\(location): \(message)"
    }
}
