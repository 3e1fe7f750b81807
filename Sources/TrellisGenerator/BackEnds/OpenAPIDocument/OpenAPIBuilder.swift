internal import TrellisJSON
internal import TrellisSchema

/// Builds the OpenAPI 3.1 document of a service from its declaration and models.
///
/// Model files become `components/schemas` (each `$defs`/`definitions` entry too), and
/// every `$ref` is rewritten to point there; draft-04/07 models are converted to the
/// 2020-12 dialect OpenAPI 3.1 uses. The errors the runtime itself answers (422 and
/// friends) are added by the runtime, which knows its error format and limits.
struct OpenAPIBuilder {
    let declaration: ServiceDeclaration
    let translator: TypeTranslator
    let files: SourceFiles
    let declarationPath: String
    private var components = JSONObject()
    private var componentNames: [SchemaSite: String] = [:]
    private var takenNames: Set<String> = []
    private var pending: [SchemaSite] = []

    init(declaration: ServiceDeclaration, translator: TypeTranslator, files: SourceFiles, declarationPath: String) {
        self.declarationPath = declarationPath
        self.declaration = declaration
        self.translator = translator
        self.files = files
    }

    mutating func build() -> JSON {
        var document = JSONObject()
        document["openapi"] = "3.1.0"
        // No jsonSchemaDialect: the default, OpenAPI 3.1's base dialect, is JSON Schema 2020-12
        // with OpenAPI's annotations (discriminator, xml, externalDocs, example), which the
        // converted schemas mean exactly; Swagger UI warns on any other value.
        document["info"] = declaration.info
        if let servers = declaration.servers { document["servers"] = servers }
        if !declaration.tags.isEmpty {
            document["tags"] = .array(
                declaration.tags.map { tag in
                    var object = JSONObject([("name", .string(tag.name))])
                    if let description = tag.description { object["description"] = .string(description) }
                    return .object(object)
                })
        }
        var paths = JSONObject()
        for operation in declaration.operations {
            var item = paths[operation.path]?.objectValue ?? JSONObject()
            item[operation.method.lowercased] = .object(self.operation(operation))
            paths[operation.path] = .object(item)
        }
        // WebSockets: OpenAPI has no words for them; each is a GET answered 101 (the upgrade)
        // or 426 (a plain request), with the message schemas in x-trellis-websocket.
        for webSocket in declaration.webSockets {
            var operation = JSONObject([("operationId", .string(webSocket.id))])
            operation["summary"] = .string("WebSocket: " + (webSocket.summary ?? webSocket.id))
            operation["description"] = .string(
                (webSocket.description.map { $0 + "\n\n" } ?? "")
                    + "A WebSocket route: connect with an upgrade request. The client sends JSON text messages that conform to `receive`"
                    + " (one that does not is answered with {\"type\": \"error\", \"detail\": [...]}); the server sends messages that conform to `send`.")
            if !webSocket.tags.isEmpty { operation["tags"] = .array(webSocket.tags.map(JSON.string)) }
            operation["responses"] = [
                "101": ["description": "Switching Protocols: the WebSocket session"],
                "426": [
                    "description": "Upgrade Required: a plain HTTP request",
                    "content": ["application/json": ["schema": ["type": "object", "properties": ["detail": ["type": "string"]]]]],
                ],
            ]
            if !webSocket.parameters.isEmpty { operation["parameters"] = parameterObjects(webSocket.parameters) }
            operation["x-trellis-websocket"] = ["receive": schema(at: webSocket.receive), "send": schema(at: webSocket.send)]
            var item = paths[webSocket.path]?.objectValue ?? JSONObject()
            item["get"] = .object(operation)
            paths[webSocket.path] = .object(item)
        }
        document["paths"] = .object(paths)
        // Models the declaration lists are documented even when no operation uses them.
        for model in declaration.models where files.json[model] != nil {
            _ = componentReference(SchemaSite(document: SourceFiles.uri(of: model), pointer: .root))
        }
        // Components referenced while converting may reference more: drain the queue.
        while let site = pending.popLast() {
            guard let name = componentNames[site], let value = translator.value(at: site) else { continue }
            components[name] = convert(value, at: site, depth: 0)
        }
        var componentsObject = JSONObject()
        if components.count > 0 {
            componentsObject["schemas"] = .object(JSONObject(components.members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
        if let schemes = declaration.securitySchemes?.objectValue {
            // Without the verifiers' Swift names: `"verifier"` is the declaration's, not OpenAPI's.
            componentsObject["securitySchemes"] = .object(
                JSONObject(
                    schemes.members.map { name, scheme in
                        (name, .object(JSONObject((scheme.objectValue ?? JSONObject()).members.filter { $0.key != "verifier" }.map { ($0.key, $0.value) })))
                    }))
        }
        if componentsObject.count > 0 { document["components"] = .object(componentsObject) }
        if let security = declaration.security { document["security"] = security }
        return .object(document)
    }

    /// OpenAPI's parameter objects of `parameters`.
    private mutating func parameterObjects(_ parameters: [ParameterDeclaration]) -> JSON {
        var objects: [JSON] = []
        for parameter in parameters {
            var object = JSONObject([("name", .string(parameter.name)), ("in", .string(parameter.location.rawValue))])
            if parameter.required { object["required"] = true }
            if let description = parameter.description { object["description"] = .string(description) }
            if parameter.deprecated { object["deprecated"] = true }
            object["schema"] = schema(at: parameter.schema)
            if parameter.location == .query, isArray(parameter.schema) {
                object["style"] = "form"
                object["explode"] = .bool(parameter.style != "commaSeparated")
            }
            if let example = parameter.example { object["example"] = example }
            objects.append(.object(object))
        }
        return .array(objects)
    }

    private mutating func operation(_ operation: OperationDeclaration) -> JSONObject {
        var result = JSONObject()
        result["operationId"] = .string(operation.id)
        if let summary = operation.summary { result["summary"] = .string(summary) }
        if let description = operation.description { result["description"] = .string(description) }
        if !operation.tags.isEmpty { result["tags"] = .array(operation.tags.map(JSON.string)) }
        if operation.deprecated { result["deprecated"] = true }
        let parameters = declaration.parameters(of: operation)
        var extraResponses: [ResponseDeclaration] = []
        // The service's own requirement is the document's, written once at its root.
        let security = operation.security ?? declaration.dependencies(of: operation).lazy.compactMap(\.security).first
        for dependency in declaration.dependencies(of: operation) { extraResponses += dependency.responses }
        if !parameters.isEmpty { result["parameters"] = parameterObjects(parameters) }
        if let body = operation.body {
            var object = JSONObject()
            if let description = body.description { object["description"] = .string(description) }
            object["required"] = .bool(body.required)
            let bodySchema = schema(at: body.schema)
            object["content"] = .object(
                JSONObject(
                    body.contentTypes.map { type in
                        // A form's encoding (its files' media types, its fields' styles), as declared.
                        guard BodyDeclaration.isForm(type), body.encoding.count > 0 else { return (type, ["schema": bodySchema]) }
                        return (type, ["schema": bodySchema, "encoding": .object(body.encoding)])
                    }))
            if body.limits.count > 0 { object["x-trellis-limits"] = .object(body.limits) }
            result["requestBody"] = .object(object)
        }
        var responses = JSONObject()
        for response in operation.responses + extraResponses where responses[response.status.description] == nil {
            var object = JSONObject([("description", .string(response.description))])
            if !response.alternatives.isEmpty {
                var content = JSONObject()
                for each in response.contents {
                    content[each.contentType] = if let site = each.schema { ["schema": schema(at: site)] } else { JSON.object(JSONObject()) }
                }
                object["content"] = .object(content)
            } else if let site = response.schema {
                object["content"] = [response.contentType ?? "application/json": ["schema": schema(at: site)]]
            } else if response.stream, let contentType = response.contentType {
                object["content"] = [contentType: JSON.object(JSONObject())]
            }
            if !response.headers.isEmpty {
                var headers = JSONObject()
                for header in response.headers {
                    var headerObject = JSONObject([("schema", schema(at: header.schema))])
                    if let description = header.description { headerObject["description"] = .string(description) }
                    if header.required { headerObject["required"] = true }
                    headers[header.name] = .object(headerObject)
                }
                object["headers"] = .object(headers)
            }
            responses[response.status.description] = .object(object)
        }
        result["responses"] = .object(responses)
        if let security { result["security"] = security }
        return result
    }

    private func isArray(_ site: SchemaSite) -> Bool {
        var current = translator.value(at: site)
        var here = site
        for _ in 0..<8 {
            guard case .string(let reference)? = current?["$ref"], let target = translator.resolve(reference, from: here) else { break }
            here = target
            current = translator.value(at: target)
        }
        return current?["type"] == "array"
    }

    /// The OpenAPI schema for a site: a component `$ref` for a named model, else the schema converted inline.
    private mutating func schema(at site: SchemaSite) -> JSON {
        if let reference = componentReference(site) { return reference }
        guard let value = translator.value(at: site) else { return [:] }
        return convert(value, at: site, depth: 0)
    }

    private mutating func componentReference(_ site: SchemaSite) -> JSON? {
        let tokens = site.pointer.tokens
        let isRoot = tokens.isEmpty && SourceFiles.path(of: site.document) != nil && SourceFiles.path(of: site.document) != declarationPath
        let isDefinition = tokens.count == 2 && (tokens[0] == "$defs" || tokens[0] == "definitions")
        guard isRoot || isDefinition else { return nil }
        if let name = componentNames[site] { return ["$ref": .string("#/components/schemas/" + JSONPointer.escape(name))] }
        var base: String
        if isDefinition {
            base = tokens[1]
        } else if case .string(let title)? = translator.value(at: site)?["title"], !title.isEmpty, title.count <= 64 {
            base = SwiftNaming.typeName(title)
        } else {
            base = (SourceFiles.path(of: site.document) ?? "Model").split(separator: "/").last.map(String.init)?.replacingSuffix(".json") ?? "Model"
        }
        base = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
        var name = base
        var index = 2
        while takenNames.contains(name) {
            name = base + String(index)
            index += 1
        }
        takenNames.insert(name)
        componentNames[site] = name
        pending.append(site)
        return ["$ref": .string("#/components/schemas/" + JSONPointer.escape(name))]
    }

    /// Converts a schema for OpenAPI 3.1: references rewritten, definitions hoisted, older
    /// dialects' forms turned into 2020-12's.
    private mutating func convert(_ value: JSON, at site: SchemaSite, depth: Int) -> JSON {
        guard depth < 64, case .object(let object) = value else { return value }
        let dialect = dialect(of: site)
        var result = JSONObject()
        for (key, member) in object {
            switch key {
            case "$schema", "$id", "id", "$defs", "definitions", "$anchor", "$dynamicAnchor", "$comment":
                continue
            case "$ref":
                guard case .string(let reference) = member, let target = translator.resolve(reference, from: site) else { continue }
                if let component = componentReference(target) {
                    result["$ref"] = component["$ref"]
                } else if let targetValue = translator.value(at: target), depth < 32 {
                    // A reference into the middle of a model: inline the target.
                    for (k, v) in convert(targetValue, at: target, depth: depth + 1).objectValue ?? JSONObject() where result[k] == nil { result[k] = v }
                }
            case "properties", "patternProperties", "dependentSchemas":
                var converted = JSONObject()
                for (name, child) in member.objectValue ?? JSONObject() {
                    converted[name] = convert(child, at: sub(site, key, name), depth: depth + 1)
                }
                result[key] = .object(converted)
            case "items" where member.kind == .array:
                result["prefixItems"] = .array(member.arrayValue?.enumerated().map { convert($1, at: sub(site, key, String($0)), depth: depth + 1) } ?? [])
                if let additional = object["additionalItems"] { result["items"] = convert(additional, at: sub(site, "additionalItems"), depth: depth + 1) }
            case "additionalItems" where object["items"]?.kind == .array:
                continue
            case "additionalItems":
                continue
            case "allOf", "anyOf", "oneOf", "prefixItems":
                result[key] = .array(member.arrayValue?.enumerated().map { convert($1, at: sub(site, key, String($0)), depth: depth + 1) } ?? [])
            case "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties":
                result[key] = convert(member, at: sub(site, key), depth: depth + 1)
            case "dependencies":
                var required = JSONObject()
                var schemas = JSONObject()
                for (name, dependency) in member.objectValue ?? JSONObject() {
                    if dependency.kind == .array {
                        required[name] = dependency
                    } else {
                        schemas[name] = convert(dependency, at: sub(site, key, name), depth: depth + 1)
                    }
                }
                if required.count > 0 { result["dependentRequired"] = .object(required) }
                if schemas.count > 0 { result["dependentSchemas"] = .object(schemas) }
            case "exclusiveMaximum" where dialect == .draft4, "exclusiveMinimum" where dialect == .draft4:
                if member == .bool(true), let limit = object[key == "exclusiveMaximum" ? "maximum" : "minimum"] { result[key] = limit }
            case "maximum" where dialect == .draft4 && object["exclusiveMaximum"] == .bool(true):
                continue
            case "minimum" where dialect == .draft4 && object["exclusiveMinimum"] == .bool(true):
                continue
            case "discriminator":
                // OpenAPI's discriminator mapping uses component references.
                var converted = member.objectValue ?? JSONObject()
                if let mapping = converted["mapping"]?.objectValue {
                    var rewritten = JSONObject()
                    for (name, target) in mapping {
                        if case .string(let reference) = target, let resolved = translator.resolve(reference, from: site),
                            let component = componentReference(resolved)
                        {
                            rewritten[name] = component["$ref"]
                        } else {
                            rewritten[name] = target
                        }
                    }
                    converted["mapping"] = .object(rewritten)
                }
                result[key] = .object(converted)
            default:
                result[key] = member
            }
        }
        return .object(result)
    }

    private func sub(_ site: SchemaSite, _ tokens: String...) -> SchemaSite {
        var pointer = site.pointer
        for token in tokens { pointer = pointer.appending(token) }
        return SchemaSite(document: site.document, pointer: pointer)
    }

    private func dialect(of site: SchemaSite) -> Dialect {
        guard let path = SourceFiles.path(of: site.document), case .string(let uri)? = files.json[path]?["$schema"] else { return .draft2020_12 }
        return Dialect(metaSchemaURI: uri) ?? .draft2020_12
    }
}
