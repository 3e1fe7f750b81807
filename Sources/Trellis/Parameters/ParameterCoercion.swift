internal import TrellisCore
internal import TrellisJSON

/// Turns parameter text into the JSON value its schema expects (`"7"` → `7` for an
/// integer; `.3.4.5` → `[3, 4, 5]` for an exploded label array), before schema validation;
/// what cannot be read is a 422 issue. Every OpenAPI `style`/`explode` combination is read.
enum ParameterCoercion {
    /// The texts a query parameter is read from: the values of the items named like it;
    /// for an object written as `deepObject` (`id[role]=admin`) or exploded `form`
    /// (`role=admin`), its members as `key=value`.
    static func queryTexts(_ query: [(name: String, value: String)], for parameter: ParameterDescription) -> [String] {
        guard parameter.type == .object else { return query.filter { $0.name == parameter.name }.map(\.value) }
        switch parameter.style {
        case .deepObject:
            let prefix = parameter.name + "["
            return query.compactMap { item in
                guard item.name.hasPrefix(prefix), item.name.hasSuffix("]") else { return nil }
                return String(item.name.dropFirst(prefix.count).dropLast()) + "=" + item.value
            }
        case .form, .single:
            guard parameter.explode else { return query.filter { $0.name == parameter.name }.map(\.value) }
            return query.filter { parameter.propertyTypes[$0.name] != nil }.map { $0.name + "=" + $0.value }
        default:
            return query.filter { $0.name == parameter.name }.map(\.value)
        }
    }

    /// The value, or the issue that explains why the text cannot be read.
    static func coerce(_ texts: [String], as parameter: ParameterDescription, loc: [JSON]) -> Result<JSON, ValidationIssue> {
        switch parameter.type {
        case .array:
            guard let parts = arrayParts(texts, parameter) else { return .failure(styleIssue(parameter, texts, loc: loc)) }
            var items: [JSON] = []
            items.reserveCapacity(parts.count)
            for (index, part) in parts.enumerated() {
                switch scalar(part, type: parameter.itemType ?? .string, loc: loc + [.integer(Int64(index))]) {
                case .success(let value): items.append(value)
                case .failure(let issue): return .failure(issue)
                }
            }
            return .success(.array(items))
        case .object:
            guard let pairs = objectPairs(texts, parameter) else { return .failure(styleIssue(parameter, texts, loc: loc)) }
            var object = JSONObject()
            for (key, text) in pairs {
                switch scalar(text, type: parameter.propertyTypes[key] ?? .string, loc: loc + [.string(key)]) {
                case .success(let value): object[key] = value
                case .failure(let issue): return .failure(issue)
                }
            }
            return .success(.object(object))
        default:
            // A repeated single-valued parameter: the last one wins, as in most frameworks.
            guard let text = scalarText(texts.last ?? "", parameter) else { return .failure(styleIssue(parameter, texts, loc: loc)) }
            return scalar(text, type: parameter.type, loc: loc)
        }
    }

    // MARK: - Styles

    /// A single value without its style's prefix (`.5` → `5`, `;id=5` → `5`).
    private static func scalarText(_ text: String, _ parameter: ParameterDescription) -> String? {
        switch parameter.style {
        case .label: return text.hasPrefix(".") ? String(text.dropFirst()) : nil
        case .matrix:
            let prefix = ";" + parameter.name + "="
            if text.hasPrefix(prefix) { return String(text.dropFirst(prefix.count)) }
            return text == ";" + parameter.name ? "" : nil
        default: return text
        }
    }

    private static func split(_ text: Substring, _ separator: Character) -> [String] {
        text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    private static func split(_ text: String, _ separator: Character) -> [String] { split(text[...], separator) }

    /// An array's items as text, or nil when the text is not written in the parameter's style.
    private static func arrayParts(_ texts: [String], _ parameter: ParameterDescription) -> [String]? {
        switch parameter.style {
        case .single:
            // A query's repeated keys; elsewhere comma-separated (`simple`).
            return parameter.location == .query || parameter.location == .cookie ? texts : texts.flatMap { split($0, ",") }
        case .form:
            return parameter.explode ? texts : texts.flatMap { split($0, ",") }
        case .commaSeparated, .simple:
            return texts.flatMap { split($0, ",") }
        case .spaceDelimited:
            return parameter.explode ? texts : texts.flatMap { split($0, " ") }
        case .pipeDelimited:
            return parameter.explode ? texts : texts.flatMap { split($0, "|") }
        case .deepObject:
            return nil
        case .label:
            guard let text = texts.last, text.hasPrefix(".") else { return nil }
            return split(text.dropFirst(), parameter.explode ? "." : ",")
        case .matrix:
            guard let text = texts.last else { return nil }
            let prefix = ";" + parameter.name + "="
            if !parameter.explode {
                guard text.hasPrefix(prefix) else { return nil }
                return split(text.dropFirst(prefix.count), ",")
            }
            var items: [String] = []
            for part in split(text, ";").dropFirst() {
                guard part.hasPrefix(parameter.name + "=") else { return nil }
                items.append(String(part.dropFirst(parameter.name.count + 1)))
            }
            return text.hasPrefix(";") && !items.isEmpty ? items : nil
        }
    }

    /// An object's members as (key, text), or nil when the text is not written in the
    /// parameter's style.
    private static func objectPairs(_ texts: [String], _ parameter: ParameterDescription) -> [(String, String)]? {
        /// `k,v,k,v` → pairs.
        func alternating(_ parts: [String]) -> [(String, String)]? {
            guard parts.count % 2 == 0 else { return nil }
            return stride(from: 0, to: parts.count, by: 2).map { (parts[$0], parts[$0 + 1]) }
        }
        /// `k=v` each → pairs.
        func assignments(_ parts: [String]) -> [(String, String)]? {
            var pairs: [(String, String)] = []
            for part in parts {
                guard let equals = part.firstIndex(of: "=") else { return nil }
                pairs.append((String(part[..<equals]), String(part[part.index(after: equals)...])))
            }
            return pairs
        }
        switch parameter.style {
        case .deepObject:
            return assignments(texts)
        case .form:
            return parameter.explode ? assignments(texts) : texts.last.flatMap { alternating(split($0, ",")) }
        case .single where parameter.location == .query || parameter.location == .cookie:
            return parameter.explode ? assignments(texts) : texts.last.flatMap { alternating(split($0, ",")) }
        case .commaSeparated:
            return texts.last.flatMap { alternating(split($0, ",")) }
        case .spaceDelimited:
            return texts.last.flatMap { alternating(split($0, " ")) }
        case .pipeDelimited:
            return texts.last.flatMap { alternating(split($0, "|")) }
        case .simple, .single:
            guard let text = texts.last else { return nil }
            return parameter.explode ? assignments(split(text, ",")) : alternating(split(text, ","))
        case .label:
            guard let text = texts.last, text.hasPrefix(".") else { return nil }
            return parameter.explode ? assignments(split(text.dropFirst(), ".")) : alternating(split(text.dropFirst(), ","))
        case .matrix:
            guard let text = texts.last, text.hasPrefix(";") else { return nil }
            if parameter.explode { return assignments(Array(split(text, ";").dropFirst())) }
            let prefix = ";" + parameter.name + "="
            guard text.hasPrefix(prefix) else { return nil }
            return alternating(split(text.dropFirst(prefix.count), ","))
        }
    }

    /// The 422 issue for a value not written in its style, with an example of the style.
    private static func styleIssue(_ parameter: ParameterDescription, _ texts: [String], loc: [JSON]) -> ValidationIssue {
        let name = parameter.name
        let example: String
        switch (parameter.style, parameter.type, parameter.explode) {
        case (.label, .array, true): example = ".a.b"
        case (.label, .array, false): example = ".a,b"
        case (.label, .object, true): example = ".key=value"
        case (.label, .object, false): example = ".key,value"
        case (.label, _, _): example = ".value"
        case (.matrix, .array, true): example = ";\(name)=a;\(name)=b"
        case (.matrix, .object, true): example = ";key=value"
        case (.matrix, .object, false): example = ";\(name)=key,value"
        case (.matrix, _, _): example = ";\(name)=value"
        case (.deepObject, _, _): example = "\(name)[key]=value"
        case (_, .object, true): example = "key=value"
        default: example = "key,value"
        }
        let style =
            parameter.style == .single || parameter.style == .commaSeparated ? (parameter.location == .query ? "form" : "simple") : parameter.style.rawValue
        return ValidationIssue(
            type: "parameter_style", loc: loc, msg: "Input should be written in the \(style) style, as in \(example)",
            input: texts.count == 1 ? .string(texts[0]) : .array(texts.map(JSON.string)), ctx: nil)
    }

    // MARK: - Scalars

    static func scalar(_ text: String, type: ParameterDescription.ValueType, loc: [JSON]) -> Result<JSON, ValidationIssue> {
        switch type {
        case .integer:
            // A decimal integer literal, as JSON Schema's `integer` is read from text: `0x10`,
            // `1e3`, `+5`, `1.0` and `7\0` are not (Swift's parsers read several of them).
            if isDecimalInteger(text), let value = Int64(text) { return .success(.integer(value)) }
            return .failure(
                ValidationIssue(
                    type: "int_parsing", loc: loc, msg: "Input should be a valid integer, unable to parse string as an integer", input: .string(text), ctx: nil)
            )
        case .number:
            // A decimal number as JSON writes one (leading zeros and a leading `.` allowed):
            // not `inf`, `nan`, `0x1p3` or `+5`.
            if isDecimalInteger(text), let value = Int64(text) { return .success(.integer(value)) }
            if isDecimalNumber(text), let value = Double(text), value.isFinite { return .success(.number(value)) }
            return .failure(
                ValidationIssue(
                    type: "float_parsing", loc: loc, msg: "Input should be a valid number, unable to parse string as a number", input: .string(text), ctx: nil))
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .success(.bool(true))
            case "false", "0", "no", "off": return .success(.bool(false))
            default:
                return .failure(
                    ValidationIssue(
                        type: "bool_parsing", loc: loc, msg: "Input should be a valid boolean, unable to interpret input", input: .string(text), ctx: nil))
            }
        case .null:
            return text.isEmpty || text == "null" ? .success(.null) : .success(.string(text))
        default:
            return .success(.string(text))
        }
    }

    /// `-?[0-9]+`.
    static func isDecimalInteger(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`.
    static func isDecimalNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var mantissa = digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
