internal import TrellisJSON

/// The sentences of validation errors, made from an error's keyword, parameters and instance.
enum ErrorMessages {
    static func message(for error: ValidationError) -> String {
        let value = error.instance.map(Describe.value) ?? "the value"
        let parameters = error.parameters
        func number(_ key: String) -> String { parameters[key].map(Describe.value) ?? "?" }
        func count(_ key: String) -> Int { Int(exactly: (parameters[key]?.numberValue?.double ?? 0).rounded(.towardZero)) ?? 0 }
        func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        let size = error.instance.map { $0.arrayValue?.count ?? $0.objectValue?.count ?? 0 } ?? 0

        switch error.keyword {
        case "type":
            let names = parameters["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] } ?? []
            let expected = names.count <= 1 ? (names.first ?? "") : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
            return "\(value) is not of type \(expected)"
        case "enum":
            let values = parameters["expected"]?.arrayValue ?? []
            return "\(value) is not one of \(values.map { Describe.short($0.compactText) }.joined(separator: ", "))"
        case "const":
            return "\(value) is not \(parameters["expected"].map { Describe.short($0.compactText) } ?? "the constant")"
        case "anyOf":
            return "\(value) does not match any of the anyOf schemas"
        case "oneOf":
            let matched = parameters["matched"]?.arrayValue ?? []
            if matched.isEmpty { return "\(value) does not match any of the oneOf schemas" }
            return "\(value) matches more than one of the oneOf schemas (\(matched.map(\.compactText).joined(separator: ", ")))"
        case "not":
            return "\(value) must not match the \"not\" schema"
        case "depth":
            return "the value is nested too deeply to validate (more than \(count("maxDepth")) schemas deep)"
        case "false":
            return "no value is allowed here"
        case "format":
            return "\(value) is not a valid \(parameters["format"]?.stringValue ?? "value")"
        case "contentEncoding":
            return "\(value) is not valid base64"
        case "contentMediaType":
            return "\(value) is not a JSON document"
        case "minimum":
            return "\(value) is less than the minimum of \(number("minimum"))"
        case "exclusiveMinimum":
            return "\(value) is not greater than the exclusive minimum of \(number("exclusiveMinimum"))"
        case "maximum":
            return "\(value) is greater than the maximum of \(number("maximum"))"
        case "exclusiveMaximum":
            return "\(value) is not less than the exclusive maximum of \(number("exclusiveMaximum"))"
        case "multipleOf":
            return "\(value) is not a multiple of \(number("multipleOf"))"
        case "minLength":
            return "\(value) is shorter than \(plural(count("minLength"), "character", "characters"))"
        case "maxLength":
            return "\(value) is longer than \(plural(count("maxLength"), "character", "characters"))"
        case "pattern":
            return "\(value) does not match the pattern \(parameters["pattern"]?.stringValue ?? "")"
        case "minItems":
            return "array has \(plural(size, "item", "items")), fewer than the minimum of \(count("minItems"))"
        case "maxItems":
            return "array has \(plural(size, "item", "items")), more than the maximum of \(count("maxItems"))"
        case "items", "additionalItems":
            return "array has \(plural(size, "item", "items")), more than the \(count("allowed")) allowed"
        case "uniqueItems":
            let pair = parameters["duplicates"]?.arrayValue?.map(Describe.value) ?? []
            return "array items \(pair.joined(separator: " and ")) are equal; items must be unique"
        case "contains":
            return "array has no item that matches the \"contains\" schema"
        case "minContains":
            return "array has \(plural(count("matches"), "item", "items")) matching \"contains\", fewer than the minimum of \(count("minContains"))"
        case "maxContains":
            return "array has \(plural(count("matches"), "item", "items")) matching \"contains\", more than the maximum of \(count("maxContains"))"
        case "minProperties":
            return "object has \(plural(size, "property", "properties")), fewer than the minimum of \(count("minProperties"))"
        case "maxProperties":
            return "object has \(plural(size, "property", "properties")), more than the maximum of \(count("maxProperties"))"
        case "required":
            return "\"\(parameters["property"]?.stringValue ?? "")\" is a required property"
        case "dependentRequired":
            return "\"\(parameters["property"]?.stringValue ?? "")\" is required when \"\(parameters["dependency"]?.stringValue ?? "")\" is present"
        case "propertyNames":
            return "property name \(JSON.string(parameters["property"]?.stringValue ?? "").compactText) is not allowed by propertyNames"
        case "additionalProperties":
            return "additional property \"\(parameters["property"]?.stringValue ?? "")\" is not allowed"
        case "unevaluatedProperties":
            return "property \"\(parameters["property"]?.stringValue ?? "")\" is not allowed"
        default:
            return "\(value) does not match the schema (\(error.keyword))"
        }
    }
}
