internal import TrellisJSON
internal import TrellisSchema

/// Makes a multi-file OpenAPI document one document, as it is served: every `$ref` into
/// another file is replaced by a reference to a copy of its target under the document's
/// `components` (`schemas`, `parameters`, `responses`, `requestBodies`, `headers`, by the
/// place the reference is written), named after the target (`Pet`, or the file's name).
/// References inside the copies are followed the same way; references within the document
/// stay as they are. The document's own content is otherwise untouched.
struct DocumentBundler {
    /// Every file by path, as written (before any normalization).
    let documents: [String: JSON]
    let path: String
    private var components = JSONObject()
    /// Target (document URI and pointer) → its component's reference.
    private var copied: [SchemaSite: String] = [:]
    private var takenNames: [String: Set<String>] = [:]

    init(documents: [String: JSON], path: String) {
        self.documents = documents
        self.path = path
    }

    /// The bundled document.
    mutating func bundle(_ document: JSON) -> JSON {
        guard case .object(var root) = document else { return document }
        for (kind, entries) in root["components"]?.objectValue ?? JSONObject() {
            takenNames[kind] = Set(entries.objectValue?.keys ?? [])
        }
        let base = SourceFiles.uri(of: path)
        var rewritten = JSONObject()
        for (key, value) in root where key != "components" {
            rewritten[key] = rewrite(value, base: base, kind: "", at: [key])
        }
        var existing = root["components"]?.objectValue ?? JSONObject()
        for (kind, entries) in existing {
            existing[kind] = rewrite(entries, base: base, kind: kind, at: ["components", kind, ""])
        }
        for (kind, entries) in components {
            var section = existing[kind]?.objectValue ?? JSONObject()
            for (name, value) in entries.objectValue ?? JSONObject() { section[name] = value }
            existing[kind] = .object(section)
        }
        if existing.count > 0 { rewritten["components"] = .object(existing) }
        root = rewritten
        return .object(root)
    }

    /// The component kind a reference written at `tokens` stands for: from the document's
    /// structure, until a schema keyword makes everything below it a schema.
    private static func kind(at tokens: [String], inherited: String) -> String {
        if inherited == "schemas" { return inherited }
        let last = tokens.last
        let parent = tokens.count >= 2 ? tokens[tokens.count - 2] : nil
        if parent == "parameters", let last, Int(last) != nil { return "parameters" }
        if last == "requestBody" { return "requestBodies" }
        if parent == "responses" { return "responses" }
        if parent == "headers" { return "headers" }
        return inherited.isEmpty ? "schemas" : inherited
    }

    private mutating func rewrite(_ value: JSON, base: String, kind: String, at tokens: [String]) -> JSON {
        switch value {
        case .object(let object):
            if case .string(let reference)? = object["$ref"] {
                let kindHere = Self.kind(at: tokens, inherited: kind)
                guard let local = external(reference, base: base, kind: kindHere) else { return value }
                var copy = object
                copy["$ref"] = .string(local)
                return .object(copy)
            }
            var result = JSONObject()
            for (key, member) in object {
                // Below a schema keyword everything is a schema.
                let inner = ["schema", "items", "properties", "additionalProperties", "allOf", "anyOf", "oneOf", "not"].contains(key) ? "schemas" : kind
                result[key] = rewrite(member, base: base, kind: inner, at: tokens + [key])
            }
            return .object(result)
        case .array(let items):
            return .array(items.enumerated().map { rewrite($1, base: base, kind: kind, at: tokens + [String($0)]) })
        default:
            return value
        }
    }

    /// The local reference that replaces `reference` (written in the document `base`), or
    /// nil when it stays (it points into the served document itself, or nowhere).
    private mutating func external(_ reference: String, base: String, kind: String) -> String? {
        let target = URIReference(parsing: base).resolving(reference)
        let document = target.withoutFragment.description
        if document == SourceFiles.uri(of: path) {
            // Within the served document: relative to it as written, or rewritten from a copy.
            return base == document ? nil : "#" + (target.fragment ?? "")
        }
        guard let file = SourceFiles.path(of: document), let root = documents[file] else { return nil }
        let fragment = (target.fragment ?? "").removingPercentEncoding
        let pointer = fragment.isEmpty ? JSONPointer.root : (JSONPointer(parsing: fragment) ?? .root)
        let site = SchemaSite(document: document, pointer: pointer)
        if let local = copied[site] { return local }
        guard let value = pointer.resolve(in: root) else { return nil }
        var name = pointer.tokens.last ?? String((file.split(separator: "/").last ?? "Component").split(separator: ".").first ?? "Component")
        name = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
        var unique = name
        var index = 2
        while takenNames[kind, default: []].contains(unique) {
            unique = name + String(index)
            index += 1
        }
        takenNames[kind, default: []].insert(unique)
        let local = "#/components/\(kind)/\(JSONPointer.escape(unique))"
        copied[site] = local
        let rewritten = rewrite(value, base: document, kind: kind, at: [])
        var section = components[kind]?.objectValue ?? JSONObject()
        section[unique] = rewritten
        components[kind] = .object(section)
        return local
    }
}
