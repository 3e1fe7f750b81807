internal import TrellisJSON

/// Short renderings of values for error messages.
enum Describe {
    /// The instance as short JSON text (`"Rex"`, `300`, `{...}` when long).
    static func value(_ node: JSONNode) -> String {
        switch node.kind {
        case .object: return node.count == 0 ? "{}" : "object"
        case .array: return node.count == 0 ? "[]" : "array"
        default:
            var writer = JSONWriter()
            writer.write(node, depth: 0)
            return short(String(decoding: writer.bytes, as: UTF8.self))
        }
    }

    static func number(_ number: JSONNumber) -> String {
        switch number {
        case .integer(let i): String(i)
        case .real(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        }
    }

    static func short(_ text: String, limit: Int = 60) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}

extension JSONNumber {
    var json: JSON {
        switch self {
        case .integer(let i): .integer(i)
        case .real(let d): .number(d)
        }
    }
}
