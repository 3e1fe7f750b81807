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

    /// A value as short JSON text; containers are named, not written out.
    static func value(_ json: JSON) -> String {
        switch json {
        case .object(let object): return object.count == 0 ? "{}" : "object"
        case .array(let items): return items.isEmpty ? "[]" : "array"
        case .integer(let i): return String(i)
        case .number(let d): return number(.real(d))
        default: return short(json.compactText)
        }
    }

    static func number(_ number: JSONNumber) -> String {
        switch number {
        case .integer(let i): String(i)
        case .real(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        }
    }

    static func short(_ text: String, limit: Int = 60) -> String {
        // No more bytes than the limit means no more characters either (and counting bytes is cheap).
        guard text.utf8.count > limit, text.count > limit else { return text }
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
