import TrellisJSON

/// Header values as OpenAPI's `simple` style writes them: a string as it is, a number or a
/// Boolean as JSON writes it, an enum by its raw value, a date-time in RFC 3339, an array's
/// items joined by commas, an object's names and values joined by commas. Generated response
/// headers are written with it; never with Swift's `description`.
public enum HeaderText {
    /// `value` as a header's text.
    public static func simple<T: Encodable>(_ value: T) throws -> String {
        switch value {
        case let text as String: return text
        case let number as Int: return String(number)
        case let flag as Bool: return flag ? "true" : "false"
        default: return text(of: try JSONValueEncoder().encode(value))
        }
    }

    /// The simple-style text of a JSON value.
    static func text(of value: JSON) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .array(let items): items.map(scalarText).joined(separator: ",")
        case .object(let object): object.map { $0.key + "," + scalarText($0.value) }.joined(separator: ",")
        default: value.compactText
        }
    }

    private static func scalarText(_ value: JSON) -> String {
        if case .string(let text) = value { return text }
        return value.compactText
    }
}
