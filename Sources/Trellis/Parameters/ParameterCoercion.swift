internal import TrellisCore
internal import TrellisJSON

/// Turns parameter text into the JSON value its schema expects (`"7"` → `7` for an
/// integer), before schema validation; what cannot be read is a 422 issue.
enum ParameterCoercion {
    /// The value, or the issue that explains why the text cannot be read.
    static func coerce(_ texts: [String], as parameter: ParameterDescription, loc: [JSON]) -> Result<JSON, ValidationIssue> {
        if parameter.type == "array" {
            var parts: [String] = []
            for text in texts {
                if parameter.style == .commaSeparated || parameter.location != .query {
                    parts += text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                } else {
                    parts.append(text)
                }
            }
            var items: [JSON] = []
            for (index, part) in parts.enumerated() {
                switch scalar(part, type: parameter.itemType ?? "string", loc: loc + [.integer(Int64(index))]) {
                case .success(let value): items.append(value)
                case .failure(let issue): return .failure(issue)
                }
            }
            return .success(.array(items))
        }
        // A repeated single-valued parameter: the last one wins, as in most frameworks.
        return scalar(texts.last ?? "", type: parameter.type, loc: loc)
    }

    static func scalar(_ text: String, type: String, loc: [JSON]) -> Result<JSON, ValidationIssue> {
        switch type {
        case "integer":
            if let value = Int64(text) { return .success(.integer(value)) }
            if let value = Double(text), value.isFinite, value == value.rounded(), let exact = Int64(exactly: value) { return .success(.integer(exact)) }
            return .failure(ValidationIssue(type: "int_parsing", loc: loc, msg: "Input should be a valid integer, unable to parse string as an integer", input: .string(text), ctx: nil))
        case "number":
            if let value = Int64(text) { return .success(.integer(value)) }
            if let value = Double(text), value.isFinite, !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) {
                return .success(.number(value))
            }
            return .failure(ValidationIssue(type: "float_parsing", loc: loc, msg: "Input should be a valid number, unable to parse string as a number", input: .string(text), ctx: nil))
        case "boolean":
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .success(.bool(true))
            case "false", "0", "no", "off": return .success(.bool(false))
            default:
                return .failure(ValidationIssue(type: "bool_parsing", loc: loc, msg: "Input should be a valid boolean, unable to interpret input", input: .string(text), ctx: nil))
            }
        case "null":
            return text.isEmpty || text == "null" ? .success(.null) : .success(.string(text))
        default:
            return .success(.string(text))
        }
    }
}
