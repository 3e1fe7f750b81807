internal import TrellisJSON

/// Rewrites the schema objects of an OpenAPI 3.0 document as JSON Schema 2020-12 says the
/// same thing, so that one validator and one type translator serve both versions:
///
/// * `nullable: true` adds `"null"` to `type` (and `null` to an `enum`); without a `type`
///   (a composition), the schema becomes `anyOf: [schema, {type: null}]`;
/// * a boolean `exclusiveMinimum`/`exclusiveMaximum` turns `minimum`/`maximum` exclusive;
/// * the members beside a `$ref` are dropped, as 3.0 says they are ignored (a `nullable`
///   beside a `$ref` is kept: it makes the reference nullable, as most tools read it).
///
/// Annotations 3.0 adds (`example`, `xml`, `discriminator`, `externalDocs`) stay: JSON Schema
/// ignores keywords it does not know. Values keep their JSON pointers, except below a schema
/// wrapped for `nullable` (its members move under `anyOf/0`).
enum OpenAPI30Schemas {
    /// Normalizes every schema of an OpenAPI 3.0 document, found from the document's
    /// structure. Returns the document and the references into other files (or into places
    /// the structure does not reach) whose targets are schemas, to normalize too.
    static func normalizeDocument(_ document: JSON) -> (JSON, [String]) {
        let walker = Walker()
        let result = walker.document(document)
        return (result, walker.schemaReferences)
    }

    /// Normalizes one schema and its subschemas.
    static func normalizeSchema(_ schema: JSON) -> (JSON, [String]) {
        let walker = Walker()
        let result = walker.schema(schema, depth: 0)
        return (result, walker.schemaReferences)
    }

    private final class Walker {
        var schemaReferences: [String] = []
        static let maxDepth = 256

        func document(_ value: JSON) -> JSON {
            guard var root = value.objectValue else { return value }
            if var components = root["components"]?.objectValue {
                map(&components, "schemas") { $0.mapMembers { self.schema($0, depth: 0) } }
                map(&components, "parameters") { $0.mapMembers { self.parameter($0) } }
                map(&components, "headers") { $0.mapMembers { self.parameter($0) } }
                map(&components, "requestBodies") { $0.mapMembers { self.body($0) } }
                map(&components, "responses") { $0.mapMembers { self.response($0) } }
                map(&components, "pathItems") { $0.mapMembers { self.pathItem($0) } }
                root["components"] = .object(components)
            }
            map(&root, "paths") { $0.mapMembers { self.pathItem($0) } }
            return .object(root)
        }

        private func map(_ object: inout JSONObject, _ key: String, _ transform: (JSON) -> JSON) {
            guard let value = object[key] else { return }
            object[key] = transform(value)
        }

        func pathItem(_ value: JSON) -> JSON {
            guard var item = value.objectValue else { return value }
            if item["$ref"] != nil { return value }
            if case .array(let parameters)? = item["parameters"] { item["parameters"] = .array(parameters.map { self.parameter($0) }) }
            for method in OpenAPIReader.methods {
                guard var operation = item[method]?.objectValue else { continue }
                if case .array(let parameters)? = operation["parameters"] { operation["parameters"] = .array(parameters.map { self.parameter($0) }) }
                if let body = operation["requestBody"] { operation["requestBody"] = self.body(body) }
                if let responses = operation["responses"] { operation["responses"] = responses.mapMembers { self.response($0) } }
                item[method] = .object(operation)
            }
            return .object(item)
        }

        func parameter(_ value: JSON) -> JSON {
            guard var object = value.objectValue, object["$ref"] == nil else { return value }
            if let schema = object["schema"] { object["schema"] = self.schema(schema, depth: 0) }
            if let content = object["content"] { object["content"] = content.mapMembers { self.mediaType($0) } }
            return .object(object)
        }

        func body(_ value: JSON) -> JSON {
            guard var object = value.objectValue, object["$ref"] == nil else { return value }
            if let content = object["content"] { object["content"] = content.mapMembers { self.mediaType($0) } }
            return .object(object)
        }

        func response(_ value: JSON) -> JSON {
            guard var object = value.objectValue, object["$ref"] == nil else { return value }
            if let content = object["content"] { object["content"] = content.mapMembers { self.mediaType($0) } }
            if let headers = object["headers"] { object["headers"] = headers.mapMembers { self.parameter($0) } }
            return .object(object)
        }

        func mediaType(_ value: JSON) -> JSON {
            guard var object = value.objectValue else { return value }
            if let schema = object["schema"] { object["schema"] = self.schema(schema, depth: 0) }
            return .object(object)
        }

        func schema(_ value: JSON, depth: Int) -> JSON {
            guard depth < Self.maxDepth, var object = value.objectValue else { return value }
            if case .string(let reference)? = object["$ref"] {
                if !reference.hasPrefix("#/components/") { schemaReferences.append(reference) }
                let ref: JSON = ["$ref": .string(reference)]
                if object["nullable"] == .bool(true) { return ["anyOf": [ref, ["type": "null"]]] }
                return ref
            }
            for keyword in ["properties", "patternProperties"] {
                if let members = object[keyword] { object[keyword] = members.mapMembers { self.schema($0, depth: depth + 1) } }
            }
            for keyword in ["items", "additionalProperties", "not"] {
                if let child = object[keyword], child.kind == .object { object[keyword] = self.schema(child, depth: depth + 1) }
            }
            for keyword in ["allOf", "anyOf", "oneOf"] {
                if case .array(let alternatives)? = object[keyword] { object[keyword] = .array(alternatives.map { self.schema($0, depth: depth + 1) }) }
            }
            for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                guard case .bool(let flag)? = object[exclusive] else { continue }
                object[exclusive] = nil
                if flag, let bound = object[inclusive] {
                    object[exclusive] = bound
                    object[inclusive] = nil
                }
            }
            guard let nullable = object["nullable"] else { return .object(object) }
            object["nullable"] = nil
            guard nullable == .bool(true) else { return .object(object) }
            switch object["type"] {
            case .string(let type)?:
                object["type"] = [.string(type), "null"]
                if case .array(var values)? = object["enum"], !values.contains(.null) {
                    values.append(.null)
                    object["enum"] = .array(values)
                }
                return .object(object)
            case .array(var types)?:
                if !types.contains("null") { types.append("null") }
                object["type"] = .array(types)
                return .object(object)
            default:
                // A composition (allOf/oneOf/anyOf) or an untyped schema: wrap it.
                var wrapper = JSONObject()
                for keyword in ["title", "description", "default", "example", "deprecated", "readOnly", "writeOnly"] {
                    if let annotation = object[keyword] { wrapper[keyword] = annotation }
                }
                wrapper["anyOf"] = [.object(object), ["type": "null"]]
                return .object(wrapper)
            }
        }
    }
}

extension JSON {
    /// An object with each member's value transformed (any other value as it is).
    func mapMembers(_ transform: (JSON) -> JSON) -> JSON {
        guard case .object(let object) = self else { return self }
        var result = JSONObject()
        for (key, value) in object { result[key] = transform(value) }
        return .object(result)
    }
}
