import Synchronization
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

    /// A value sent with a malformed `%` escape or with bytes that are not UTF-8; `input` is
    /// the text as sent.
    static func undecodable(_ loc: [JSON], input: String?) -> ValidationIssue {
        ValidationIssue(
            type: "percent_encoding", loc: loc,
            msg: "Input should be percent-encoded UTF-8: each % followed by two hexadecimal digits, the bytes valid UTF-8",
            input: input.map(JSON.string), ctx: nil)
    }

    /// The issue for one schema validation error, located under `prefix`; `templates`
    /// remembers the wording of constraints whose wording depends only on the schema.
    init(_ error: ValidationError, prefix: [JSON], templates: IssueTemplates? = nil) {
        var loc = prefix
        loc.reserveCapacity(prefix.count + error.instancePath.count)
        for token in error.instancePath { loc.append(JSONPointerToken.isIndex(token) ? .integer(Int64(token) ?? 0) : .string(token)) }
        let template = templates?.template(for: error) ?? IssueTemplates.Template(error)
        self.init(type: template.type, loc: loc, msg: template.msg, input: error.instance, ctx: template.ctx)
    }
}

/// FastAPI's `type`, `msg` and `ctx` of schema errors whose wording depends only on the schema
/// (a bound, a pattern, the allowed values), not on the value, remembered per schema location
/// and keyword: a 422 names the same few constraints over and over, and writing their
/// sentences costs more than finding them. At most ``capacity`` entries, so a service's
/// schemas bound it and it stays small.
final class IssueTemplates: Sendable {
    /// `type`, `msg` and `ctx` of one issue.
    struct Template: Sendable {
        let type: String
        let msg: String
        let ctx: JSONObject?
    }

    private struct Key: Hashable, Sendable {
        let location: String
        let keyword: String
    }

    /// The most templates remembered.
    static let capacity = 4096
    private let templates = Mutex<[Key: Template]>([:])

    /// How many templates are remembered.
    var count: Int { templates.withLock { $0.count } }

    /// The template of `error`: remembered if its wording depends only on the schema.
    func template(for error: ValidationError) -> Template {
        switch error.keyword {
        case "uniqueItems", "format": return Template(error)  // the message names the value's items or text
        case "required", "additionalProperties", "unevaluatedProperties", "type", "enum", "const", "minLength", "maxLength",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "pattern", "minItems", "maxItems":
            break
        default: return Template(error)  // the validator's own message, which may quote the value
        }
        let key = Key(location: error.schemaLocation, keyword: error.keyword)
        if let known = templates.withLock({ $0[key] }) { return known }
        let template = Template(error)
        // A type outside JSON's seven gets the validator's message, which quotes the value.
        guard template.type != "type_error" else { return template }
        templates.withLock { if $0.count < Self.capacity { $0[key] = template } }
        return template
    }
}

extension IssueTemplates.Template {
    /// FastAPI's wording of `error` (pydantic's type names and sentences where one exists, else
    /// the JSON Schema keyword and the validator's message).
    init(_ error: ValidationError) {
        let parameters = error.parameters
        switch error.keyword {
        case "required":
            self.init(type: "missing", msg: "Field required", ctx: nil)
        case "additionalProperties", "unevaluatedProperties":
            self.init(type: "extra_forbidden", msg: "Extra inputs are not permitted", ctx: nil)
        case "type":
            let expected = parameters["type"]?.stringValue ?? parameters["type"]?.arrayValue?.first?.stringValue ?? ""
            switch expected {
            case "string": self.init(type: "string_type", msg: "Input should be a valid string", ctx: nil)
            case "integer": self.init(type: "int_type", msg: "Input should be a valid integer", ctx: nil)
            case "number": self.init(type: "float_type", msg: "Input should be a valid number", ctx: nil)
            case "boolean": self.init(type: "bool_type", msg: "Input should be a valid boolean", ctx: nil)
            case "array": self.init(type: "list_type", msg: "Input should be a valid list", ctx: nil)
            case "object": self.init(type: "dict_type", msg: "Input should be a valid dictionary or object", ctx: nil)
            case "null": self.init(type: "none_required", msg: "Input should be None", ctx: nil)
            default: self.init(type: "type_error", msg: error.message, ctx: nil)
            }
        case "enum":
            let values = (parameters["expected"]?.arrayValue ?? []).map { value -> String in
                if case .string(let s) = value { return "'" + s + "'" }
                return text(value)
            }
            let expected = values.count <= 1 ? (values.first ?? "") : values.dropLast().joined(separator: ", ") + " or " + (values.last ?? "")
            self.init(type: "enum", msg: "Input should be \(expected)", ctx: JSONObject([("expected", .string(expected))]))
        case "const":
            self.init(type: "literal_error", msg: "Input should be \(parameters["expected"].map(text) ?? "the constant")", ctx: nil)
        case "minLength":
            let n = parameters["minLength"] ?? 0
            self.init(
                type: "string_too_short", msg: "String should have at least \(text(n)) character\(n == 1 ? "" : "s")", ctx: JSONObject([("min_length", n)]))
        case "maxLength":
            let n = parameters["maxLength"] ?? 0
            self.init(type: "string_too_long", msg: "String should have at most \(text(n)) character\(n == 1 ? "" : "s")", ctx: JSONObject([("max_length", n)]))
        case "minimum":
            let n = parameters["minimum"] ?? 0
            self.init(type: "greater_than_equal", msg: "Input should be greater than or equal to \(text(n))", ctx: JSONObject([("ge", n)]))
        case "maximum":
            let n = parameters["maximum"] ?? 0
            self.init(type: "less_than_equal", msg: "Input should be less than or equal to \(text(n))", ctx: JSONObject([("le", n)]))
        case "exclusiveMinimum":
            let n = parameters["exclusiveMinimum"] ?? 0
            self.init(type: "greater_than", msg: "Input should be greater than \(text(n))", ctx: JSONObject([("gt", n)]))
        case "exclusiveMaximum":
            let n = parameters["exclusiveMaximum"] ?? 0
            self.init(type: "less_than", msg: "Input should be less than \(text(n))", ctx: JSONObject([("lt", n)]))
        case "multipleOf":
            let n = parameters["multipleOf"] ?? 1
            self.init(type: "multiple_of", msg: "Input should be a multiple of \(text(n))", ctx: JSONObject([("multiple_of", n)]))
        case "pattern":
            let pattern = parameters["pattern"] ?? ""
            self.init(
                type: "string_pattern_mismatch", msg: "String should match pattern '\(pattern.stringValue ?? "")'", ctx: JSONObject([("pattern", pattern)]))
        case "minItems":
            let n = parameters["minItems"] ?? 0
            self.init(type: "too_short", msg: "List should have at least \(text(n)) item\(n == 1 ? "" : "s")", ctx: JSONObject([("min_length", n)]))
        case "maxItems":
            let n = parameters["maxItems"] ?? 0
            self.init(type: "too_long", msg: "List should have at most \(text(n)) item\(n == 1 ? "" : "s")", ctx: JSONObject([("max_length", n)]))
        case "uniqueItems":
            self.init(type: "unique_items", msg: error.message, ctx: JSONObject([("duplicates", parameters["duplicates"] ?? [])]))
        case "format":
            self.init(type: "format", msg: error.message, ctx: JSONObject([("format", parameters["format"] ?? "")]))
        default:
            self.init(type: error.keyword, msg: error.message, ctx: parameters.count > 0 ? parameters : nil)
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
