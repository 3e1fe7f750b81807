internal import TrellisCore
internal import TrellisJSON

/// Writes a parameter's value in its style, as the runtime's parameter reading reads it back
/// (the exact inverse of its `ParameterCoercion`): every OpenAPI style and explode, in the
/// path, the query, a header and a cookie.
enum ParameterWriter {
    /// A value as the styles see it: one text, a list of texts, or (key, text) pairs.
    enum Shape {
        case scalar(String)
        case list([String])
        case pairs([(String, String)])
    }

    /// The shape of a JSON value; nil for `null` (the parameter is then left out).
    static func shape(of value: JSON) throws(TrellisClientError) -> Shape? {
        switch value {
        case .null: return nil
        case .array(let items):
            var texts: [String] = []
            for item in items { texts.append(try scalarText(item)) }
            return .list(texts)
        case .object(let object):
            var pairs: [(String, String)] = []
            for (key, member) in object.members { pairs.append((key, try scalarText(member))) }
            return .pairs(pairs)
        default: return .scalar(try scalarText(value))
        }
    }

    /// A scalar's text: a string as it is, a number or boolean as JSON writes it.
    static func scalarText(_ value: JSON) throws(TrellisClientError) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number):
            guard number.isFinite else { throw .invalidRequest("a parameter's number \(number) is not finite") }
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .null: return ""
        case .array, .object: throw .invalidRequest("a parameter's item is an array or an object, which its style cannot write")
        }
    }

    /// The text of a path parameter that replaces `{name}` in the path (escaped: the route
    /// reads it back after decoding its escapes).
    static func path(_ shape: Shape, _ parameter: ParameterDescription) -> String {
        let e = { (text: String) in PercentEncoding.encode(text, allowed: .pathValue) }
        let name = e(parameter.name)
        switch (parameter.style, shape) {
        case (.label, .scalar(let text)): return "." + e(text)
        case (.label, .list(let items)): return "." + items.map(e).joined(separator: parameter.explode ? "." : ",")
        case (.label, .pairs(let pairs)):
            return "."
                + (parameter.explode
                    ? pairs.map { e($0.0) + "=" + e($0.1) }.joined(separator: ".") : pairs.flatMap { [e($0.0), e($0.1)] }.joined(separator: ","))
        case (.matrix, .scalar(let text)): return ";" + name + "=" + e(text)
        case (.matrix, .list(let items)):
            return parameter.explode ? items.map { ";" + name + "=" + e($0) }.joined() : ";" + name + "=" + items.map(e).joined(separator: ",")
        case (.matrix, .pairs(let pairs)):
            return parameter.explode
                ? pairs.map { ";" + e($0.0) + "=" + e($0.1) }.joined() : ";" + name + "=" + pairs.flatMap { [e($0.0), e($0.1)] }.joined(separator: ",")
        case (_, .scalar(let text)): return e(text)
        case (_, .list(let items)): return items.map(e).joined(separator: ",")
        case (_, .pairs(let pairs)):
            return parameter.explode
                ? pairs.map { e($0.0) + "=" + e($0.1) }.joined(separator: ",") : pairs.flatMap { [e($0.0), e($0.1)] }.joined(separator: ",")
        }
    }

    /// The query items (name and value, unescaped) of a query parameter.
    static func query(_ shape: Shape, _ parameter: ParameterDescription) -> [(String, String)] {
        let name = parameter.name
        switch (parameter.style, shape) {
        case (_, .scalar(let text)): return [(name, text)]
        case (.deepObject, .pairs(let pairs)): return pairs.map { (name + "[" + $0.0 + "]", $0.1) }
        case (.spaceDelimited, .list(let items)): return parameter.explode ? items.map { (name, $0) } : [(name, items.joined(separator: " "))]
        case (.pipeDelimited, .list(let items)): return parameter.explode ? items.map { (name, $0) } : [(name, items.joined(separator: "|"))]
        case (.spaceDelimited, .pairs(let pairs)): return [(name, pairs.flatMap { [$0.0, $0.1] }.joined(separator: " "))]
        case (.pipeDelimited, .pairs(let pairs)): return [(name, pairs.flatMap { [$0.0, $0.1] }.joined(separator: "|"))]
        case (.commaSeparated, .list(let items)), (.simple, .list(let items)): return [(name, items.joined(separator: ","))]
        case (.commaSeparated, .pairs(let pairs)), (.simple, .pairs(let pairs)): return [(name, pairs.flatMap { [$0.0, $0.1] }.joined(separator: ","))]
        case (_, .list(let items)): return parameter.explode ? items.map { (name, $0) } : [(name, items.joined(separator: ","))]
        case (_, .pairs(let pairs)): return parameter.explode ? pairs : [(name, pairs.flatMap { [$0.0, $0.1] }.joined(separator: ","))]
        }
    }

    /// A header's value (`simple`: comma-separated; an exploded object's members as `k=v`).
    static func header(_ shape: Shape, _ parameter: ParameterDescription) -> String {
        switch shape {
        case .scalar(let text): return text
        case .list(let items): return items.joined(separator: ",")
        case .pairs(let pairs):
            return parameter.explode ? pairs.map { $0.0 + "=" + $0.1 }.joined(separator: ",") : pairs.flatMap { [$0.0, $0.1] }.joined(separator: ",")
        }
    }

    /// A cookie's `name=value` pairs (`form`: an array comma-separated unless exploded).
    static func cookie(_ shape: Shape, _ parameter: ParameterDescription) -> [(String, String)] {
        query(shape, parameter).map { ($0.0, PercentEncoding.encode($0.1, allowed: .cookieValue)) }
    }
}

/// Percent-encoding of the bytes a part of a URL may not hold as they are.
enum PercentEncoding {
    enum Allowed {
        /// A path parameter's value: unreserved characters only (a `/`, `,`, `.`, `;` or `=`
        /// of the value is escaped, so the style's own separators stay unambiguous).
        case pathValue
        /// A query item's name or value: unreserved characters only (`+`, `&`, `=` escaped).
        case queryComponent
        /// A cookie's value: what RFC 6265 allows, unescaped.
        case cookieValue
    }

    static func encode(_ text: String, allowed: Allowed) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            let keep: Bool
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                keep = !(allowed == .pathValue && byte == UInt8(ascii: "."))
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"),
                UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"),
                UInt8(ascii: "|"), UInt8(ascii: "}"):
                keep = allowed == .cookieValue
            default:
                keep = false
            }
            if keep {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
