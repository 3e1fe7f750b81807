public import TrellisJSON
internal import TrellisSchema

/// One entry of a 422 answer, in FastAPI's shape: `type`, `loc`, `msg`, `input`, `ctx`.
public struct ValidationIssue: Error, Sendable, Hashable {
    /// What kind of error: `missing`, `int_parsing`, `string_too_short`, `json_invalid`, ...
    /// (pydantic's names where one exists, else the JSON Schema keyword).
    public var type: String
    /// Where: `["body", "age"]`, `["query", "limit"]`, `["body", "tags", 0]`.
    public var loc: [JSON]
    /// A sentence for people.
    public var msg: String
    /// The offending value, if there is one.
    public var input: JSON?
    /// The constraint's parameters, such as `{"le": 100}`.
    public var ctx: JSONObject?

    /// An issue.
    public init(type: String, loc: [JSON], msg: String, input: JSON?, ctx: JSONObject?) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
        self.ctx = ctx
    }

    /// The issue as FastAPI writes it.
    public var json: JSON {
        var object = JSONObject([("type", .string(type)), ("loc", .array(loc)), ("msg", .string(msg))])
        object["input"] = input ?? .null
        if let ctx, ctx.count > 0 { object["ctx"] = .object(ctx) }
        return .object(object)
    }

    /// A required value that is absent.
    /// Writes ``json`` with no tree in between.
    func write(into writer: inout JSONWriter) {
        writer.writeRaw("{\"type\":")
        writer.writeString(type)
        writer.writeRaw(",\"loc\":")
        writer.write(.array(loc))
        writer.writeRaw(",\"msg\":")
        writer.writeString(msg)
        writer.writeRaw(",\"input\":")
        writer.write(input ?? .null)
        if let ctx, ctx.count > 0 {
            writer.writeRaw(",\"ctx\":")
            writer.write(.object(ctx))
        }
        writer.writeByte(UInt8(ascii: "}"))
    }

    static func missing(_ loc: [JSON], input: JSON?) -> ValidationIssue {
        ValidationIssue(type: "missing", loc: loc, msg: "Field required", input: input, ctx: nil)
    }

    /// The issue for one schema validation error, located under `prefix`.
    init(_ error: ValidationError, prefix: [JSON]) {
        var loc = prefix
        loc.reserveCapacity(prefix.count + error.instancePath.count)
        for token in error.instancePath { loc.append(JSONPointerToken.isIndex(token) ? .integer(Int64(token) ?? 0) : .string(token)) }
        let parameters = error.parameters
        self.loc = loc
        self.input = error.instance
        self.ctx = nil
        self.msg = ""  // FastAPI's wording below; the validator's own message where FastAPI has none
        switch error.keyword {
        case "required":
            type = "missing"
            msg = "Field required"
        case "additionalProperties", "unevaluatedProperties":
            type = "extra_forbidden"
            msg = "Extra inputs are not permitted"
        case "type":
            let expected = parameters["type"]?.stringValue ?? parameters["type"]?.arrayValue?.first?.stringValue ?? ""
            switch expected {
            case "string": (type, msg) = ("string_type", "Input should be a valid string")
            case "integer": (type, msg) = ("int_type", "Input should be a valid integer")
            case "number": (type, msg) = ("float_type", "Input should be a valid number")
            case "boolean": (type, msg) = ("bool_type", "Input should be a valid boolean")
            case "array": (type, msg) = ("list_type", "Input should be a valid list")
            case "object": (type, msg) = ("dict_type", "Input should be a valid dictionary or object")
            case "null": (type, msg) = ("none_required", "Input should be None")
            default: (type, msg) = ("type_error", error.message)
            }
        case "enum":
            let values = (parameters["expected"]?.arrayValue ?? []).map { value -> String in
                if case .string(let s) = value { return "'" + s + "'" }
                return text(value)
            }
            let expected = values.count <= 1 ? (values.first ?? "") : values.dropLast().joined(separator: ", ") + " or " + (values.last ?? "")
            type = "enum"
            msg = "Input should be \(expected)"
            ctx = JSONObject([("expected", .string(expected))])
        case "const":
            type = "literal_error"
            msg = "Input should be \(parameters["expected"].map(text) ?? "the constant")"
        case "minLength":
            let n = parameters["minLength"] ?? 0
            (type, msg, ctx) = ("string_too_short", "String should have at least \(text(n)) character\(n == 1 ? "" : "s")", JSONObject([("min_length", n)]))
        case "maxLength":
            let n = parameters["maxLength"] ?? 0
            (type, msg, ctx) = ("string_too_long", "String should have at most \(text(n)) character\(n == 1 ? "" : "s")", JSONObject([("max_length", n)]))
        case "minimum":
            let n = parameters["minimum"] ?? 0
            (type, msg, ctx) = ("greater_than_equal", "Input should be greater than or equal to \(text(n))", JSONObject([("ge", n)]))
        case "maximum":
            let n = parameters["maximum"] ?? 0
            (type, msg, ctx) = ("less_than_equal", "Input should be less than or equal to \(text(n))", JSONObject([("le", n)]))
        case "exclusiveMinimum":
            let n = parameters["exclusiveMinimum"] ?? 0
            (type, msg, ctx) = ("greater_than", "Input should be greater than \(text(n))", JSONObject([("gt", n)]))
        case "exclusiveMaximum":
            let n = parameters["exclusiveMaximum"] ?? 0
            (type, msg, ctx) = ("less_than", "Input should be less than \(text(n))", JSONObject([("lt", n)]))
        case "multipleOf":
            let n = parameters["multipleOf"] ?? 1
            (type, msg, ctx) = ("multiple_of", "Input should be a multiple of \(text(n))", JSONObject([("multiple_of", n)]))
        case "pattern":
            let pattern = parameters["pattern"] ?? ""
            (type, msg, ctx) = ("string_pattern_mismatch", "String should match pattern '\(pattern.stringValue ?? "")'", JSONObject([("pattern", pattern)]))
        case "minItems":
            let n = parameters["minItems"] ?? 0
            (type, msg, ctx) = ("too_short", "List should have at least \(text(n)) item\(n == 1 ? "" : "s")", JSONObject([("min_length", n)]))
        case "maxItems":
            let n = parameters["maxItems"] ?? 0
            (type, msg, ctx) = ("too_long", "List should have at most \(text(n)) item\(n == 1 ? "" : "s")", JSONObject([("max_length", n)]))
        case "uniqueItems":
            (type, msg, ctx) = ("unique_items", error.message, JSONObject([("duplicates", parameters["duplicates"] ?? [])]))
        case "format":
            (type, msg, ctx) = ("format", error.message, JSONObject([("format", parameters["format"] ?? "")]))
        default:
            type = error.keyword
            msg = error.message
            ctx = parameters.count > 0 ? parameters : nil
        }
    }
}

/// A constraint's value as a message quotes it: integers without a writer, the rest as compact JSON.
private func text(_ value: JSON) -> String {
    if case .integer(let integer) = value { return String(integer) }
    return value.compactText
}

enum JSONPointerToken {
    static func isIndex(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && (token == "0" || !token.hasPrefix("0"))
    }
}
