internal import TrellisJSON
internal import TrellisSchema

/// Reads a service declaration: checks it against the declaration meta-schema, then
/// builds a ``ServiceDeclaration`` and checks what the meta-schema cannot (path
/// parameters against the path, duplicate routes, unknown names, dangling references).
struct DeclarationReader {
    let files: SourceFiles
    let path: String
    var diagnostics = Diagnostics()
    private let resolver: ReferenceResolver

    init(files: SourceFiles, path: String) {
        self.files = files
        self.path = path
        self.resolver = ReferenceResolver(files: files)
    }

    var uri: String { SourceFiles.uri(of: path) }

    mutating func error(_ message: String, at pointer: JSONPointer, key: Bool = false) {
        diagnostics.append(files.diagnostic(.error, message, file: path, at: pointer, key: key))
    }

    mutating func warning(_ message: String, at pointer: JSONPointer, key: Bool = false) {
        diagnostics.append(files.diagnostic(.warning, message, file: path, at: pointer, key: key))
    }

    // MARK: - Meta-schema

    /// Checks the declaration against the shipped meta-schema; false when it does not conform.
    mutating func conformsToMetaSchema(_ root: JSON) -> Bool {
        let validator: Validator
        do {
            validator = try Validator(schema: try JSON(parsing: ServiceMetaSchema.text), baseURI: "urn:trellis:service-declaration:1")
        } catch {
            diagnostics.append(Diagnostic(.error, "internal error: the declaration meta-schema does not compile: \(error)", file: path))
            return false
        }
        let errors = validator.validate(root)
        for error in errors {
            let pointer = error.instanceLocation
            let place = pointer.tokens.isEmpty ? "declaration" : pointer.tokens.joined(separator: ".")
            switch error.keyword {
            case "additionalProperties", "unevaluatedProperties":
                let name = error.parameters["property"]?.stringValue ?? ""
                let parent = pointer.tokens.dropLast().joined(separator: ".")
                self.error(
                    "unknown key \"\(name)\"\(parent.isEmpty ? "" : " in \(parent)")\(suggestion(for: name, at: JSONPointer(Array(pointer.tokens.dropLast())), in: root))",
                    at: pointer, key: true)
            case "required":
                let name = error.parameters["property"]?.stringValue ?? ""
                let parent = pointer.tokens.dropLast().joined(separator: ".")
                self.error("missing \"\(name)\"\(parent.isEmpty ? "" : " in \(parent)")", at: JSONPointer(Array(pointer.tokens.dropLast())))
            case "propertyNames":
                let name = error.parameters["property"]?.stringValue ?? pointer.tokens.last ?? ""
                let parent = pointer.tokens.dropLast()
                if parent.last == "responses" {
                    self.error("response status \"\(name)\" must be a status code (100 to 599) or \"default\"", at: pointer, key: true)
                } else if parent.first == "operations" && parent.count == 1 || parent.first == "dependencies" && parent.count == 1 {
                    self.error("\"\(name)\" is not a Swift identifier; \(parent.first ?? "") names become Swift names", at: pointer, key: true)
                } else {
                    self.error("\(parent.joined(separator: ".")): \"\(name)\" is not a valid name here", at: pointer, key: true)
                }
            default:
                self.error("\(place): \(error.message)", at: pointer)
            }
        }
        return errors.isEmpty
    }

    /// ` (did you mean "method"?)` for a misspelt key, from the keys the meta-schema allows there.
    private func suggestion(for name: String, at parent: JSONPointer, in root: JSON) -> String {
        guard let best = closestName(to: name, among: MetaSchemaKeys.allowedKeys(at: parent, in: root)) else { return "" }
        return "; did you mean \"\(best)\"?"
    }

    // MARK: - Building

    mutating func read(_ root: JSON) -> ServiceDeclaration? {
        guard case .object(let object) = root else { return nil }
        let title = object["info"]?["title"]?.stringValue ?? "Service"
        var declaration = ServiceDeclaration(
            name: object["name"]?.stringValue ?? SwiftNaming.typeName(title),
            info: object["info"] ?? [:], servers: object["servers"], tags: [], securitySchemes: object["securitySchemes"],
            security: object["security"], dependencies: [:], globalDependencies: names(object["globalDependencies"]),
            models: names(object["models"]), operations: [])
        for (scheme, value) in object["securitySchemes"]?.objectValue ?? JSONObject() {
            if let verifier = value["verifier"]?.stringValue { declaration.securityVerifiers[scheme] = verifier }
        }
        for (index, tag) in (object["tags"]?.arrayValue ?? []).enumerated() {
            guard let name = tag["name"]?.stringValue else { continue }
            if declaration.tags.contains(where: { $0.name == name }) {
                warning("tag \"\(name)\" is declared twice", at: JSONPointer(["tags", String(index), "name"]))
            }
            declaration.tags.append(TagDeclaration(name: name, description: tag["description"]?.stringValue, dependencies: names(tag["dependencies"])))
        }
        for (name, value) in object["dependencies"]?.objectValue ?? JSONObject() {
            let pointer = JSONPointer(["dependencies", name])
            declaration.dependencies[name] = DependencyDeclaration(
                name: name, swiftType: value["type"]?.stringValue ?? name, description: value["description"]?.stringValue,
                parameters: parameters(value["parameters"], at: pointer.appending("parameters")),
                responses: responses(value["responses"], at: pointer.appending("responses")), security: value["security"])
        }
        for (id, value) in object["operations"]?.objectValue ?? JSONObject() {
            declaration.operations.append(operation(id, value, at: JSONPointer(["operations", id])))
        }
        for (id, value) in object["webSockets"]?.objectValue ?? JSONObject() {
            let pointer = JSONPointer(["webSockets", id])
            guard let path = value["path"]?.stringValue, let receive = value["receive"], let send = value["send"] else { continue }
            declaration.webSockets.append(
                WebSocketDeclaration(
                    id: id, path: path, summary: value["summary"]?.stringValue, description: value["description"]?.stringValue,
                    tags: names(value["tags"]), receive: site(receive, at: pointer.appending("receive")), send: site(send, at: pointer.appending("send")),
                    security: value["security"], parameters: parameters(value["parameters"], at: pointer.appending("parameters")),
                    dependencies: names(value["dependencies"]), pointer: pointer))
        }
        check(&declaration)
        return declaration
    }

    private func names(_ value: JSON?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    private mutating func operation(_ id: String, _ value: JSON, at pointer: JSONPointer) -> OperationDeclaration {
        var body: BodyDeclaration?
        if let raw = value["body"] {
            let bodyPointer = pointer.appending("body")
            if case .object(let object) = raw, object["schema"] != nil {
                body = BodyDeclaration(
                    schema: site(object["schema"] ?? true, at: bodyPointer.appending("schema")),
                    contentTypes: object["contentType"].map { $0.arrayValue?.compactMap(\.stringValue) ?? $0.stringValue.map { [$0] } ?? [] } ?? [
                        "application/json"
                    ],
                    encoding: object["encoding"]?.objectValue ?? JSONObject(),
                    encodingSite: SchemaSite(document: uri, pointer: bodyPointer.appending("encoding")), limits: object["limits"]?.objectValue ?? JSONObject(),
                    required: object["required"]?.boolValue ?? true, description: object["description"]?.stringValue, pointer: bodyPointer)
            } else {
                body = BodyDeclaration(
                    schema: site(raw, at: bodyPointer), contentType: "application/json", required: true, description: nil, pointer: bodyPointer)
            }
        }
        return OperationDeclaration(
            id: id, method: value["method"]?.stringValue.flatMap(HTTPMethod.init(rawValue:)) ?? .get, path: value["path"]?.stringValue ?? "/",
            summary: value["summary"]?.stringValue, description: value["description"]?.stringValue,
            tags: names(value["tags"]), deprecated: value["deprecated"]?.boolValue ?? false,
            parameters: parameters(value["parameters"], at: pointer.appending("parameters")), body: body,
            responses: responses(value["responses"], at: pointer.appending("responses")),
            dependencies: names(value["dependencies"]), security: value["security"], pointer: pointer)
    }

    private mutating func parameters(_ value: JSON?, at pointer: JSONPointer) -> [ParameterDeclaration] {
        var result: [ParameterDeclaration] = []
        for location in ParameterLocation.allCases {
            for (name, raw) in value?[location.rawValue]?.objectValue ?? JSONObject() {
                let here = pointer.appending(location.rawValue).appending(name)
                result.append(parameter(name, location: location, raw, at: here))
            }
        }
        return result
    }

    private mutating func parameter(_ name: String, location: ParameterLocation, _ raw: JSON, at pointer: JSONPointer) -> ParameterDeclaration {
        var schemaValue = raw
        var schemaPointer = pointer
        var required: Bool?
        var description: String?
        var deprecated = false
        var style: String?
        var example: JSON?
        if case .object(let object) = raw, let schema = object["schema"] {
            schemaValue = schema
            schemaPointer = pointer.appending("schema")
            required = object["required"]?.boolValue
            description = object["description"]?.stringValue
            deprecated = object["deprecated"]?.boolValue ?? false
            style = object["style"]?.stringValue
            example = object["example"]
        }
        let site = site(schemaValue, at: schemaPointer)
        let hasDefault = resolvedSchema(site)?["default"] != nil
        if location == .path {
            if required == false { warning("path parameter \"\(name)\" is always required", at: pointer, key: true) }
            required = true
        }
        if description == nil, case .object(let schema) = schemaValue { description = schema["description"]?.stringValue }
        return ParameterDeclaration(
            name: name, location: location, schema: site, required: required ?? !hasDefault, description: description,
            deprecated: deprecated, style: style, example: example, pointer: pointer)
    }

    private mutating func responses(_ value: JSON?, at pointer: JSONPointer) -> [ResponseDeclaration] {
        var result: [ResponseDeclaration] = []
        for (written, raw) in value?.objectValue ?? JSONObject() {
            let here = pointer.appending(written)
            // The meta-schema allows a code or `default` only.
            guard let status = ResponseStatus(written) else { continue }
            switch raw {
            case .string:
                result.append(
                    ResponseDeclaration(
                        status: status, description: HTTPStatus.reason(status), schema: site(raw, at: here),
                        contentType: "application/json", headers: [], pointer: here))
            case .object(let object):
                let schema = object["schema"].map { site($0, at: here.appending("schema")) }
                var headers: [ParameterDeclaration] = []
                for (name, header) in object["headers"]?.objectValue ?? JSONObject() {
                    headers.append(parameter(name, location: .header, header, at: here.appending("headers").appending(name)))
                }
                let stream = object["stream"] == .bool(true)
                var response = ResponseDeclaration(
                    status: status, description: object["description"]?.stringValue ?? HTTPStatus.reason(status), schema: schema,
                    contentType: object["contentType"]?.stringValue ?? (stream ? "application/octet-stream" : schema == nil ? nil : "application/json"),
                    stream: stream, headers: headers, pointer: here)
                if let content = object["content"]?.objectValue, content.count > 0 {
                    // Several media types: the first is the primary one.
                    let contents = content.map { type, schema in
                        ResponseContent(contentType: type, schema: site(schema, at: here.appending("content").appending(type)))
                    }
                    response.contentType = contents.first?.contentType
                    response.schema = contents.first?.schema
                    response.alternatives = Array(contents.dropFirst())
                }
                result.append(response)
            default:
                continue
            }
        }
        return result
    }

    /// The site of a schema written at `pointer`: itself, or for a string, the model it names.
    private mutating func site(_ value: JSON, at pointer: JSONPointer) -> SchemaSite {
        guard case .string(let reference) = value else { return SchemaSite(document: uri, pointer: pointer) }
        switch resolver.target(of: reference, from: uri) {
        case .success(let site):
            return site
        case .failure(let failure):
            let hint = resolver.suggestion(for: failure, reference: reference)
            switch failure {
            case _ where resolver.isUnparsedFile(failure): break
            case .notAPointer: error("\"\(reference)\": only JSON pointer fragments (#/$defs/Name) can be used here", at: pointer)
            case .noFile(let path): error("\"\(reference)\": no model file \(path) next to the declaration\(hint)", at: pointer)
            case .nothingAt(let path, let fragment): error("\"\(reference)\": \(path) has nothing at \(fragment)\(hint)", at: pointer)
            default: error("\"\(reference)\": \(failure.reason)", at: pointer)
            }
            let target = URIReference(parsing: uri).resolving(reference)
            return SchemaSite(
                document: target.withoutFragment.description, pointer: JSONPointer(parsing: (target.fragment ?? "").removingPercentEncoding) ?? .root)
        }
    }

    private func resolvedSchema(_ site: SchemaSite) -> JSON? {
        guard let path = SourceFiles.path(of: site.document), let document = files.json[path] else { return nil }
        return site.pointer.resolve(in: document)
    }

    // MARK: - Checks the meta-schema cannot make

    private mutating func check(_ declaration: inout ServiceDeclaration) {
        var routes: [String: OperationDeclaration] = [:]
        for webSocket in declaration.webSockets {
            if let operation = declaration.operations.first(where: { $0.method == .get && $0.path == webSocket.path }) {
                error(
                    "WebSocket \(webSocket.path) is also the path of operation \"\(operation.id)\" (GET): give one of them another path",
                    at: webSocket.pointer.appending("path"))
            }
            if let other = declaration.webSockets.first(where: { $0.path == webSocket.path && $0.id < webSocket.id }) {
                error("WebSocket \(webSocket.path) is already declared by \"\(other.id)\"", at: webSocket.pointer.appending("path"))
            }
            if declaration.operations.contains(where: { $0.id == webSocket.id }) {
                error("\"\(webSocket.id)\" names both an operation and a WebSocket", at: webSocket.pointer, key: true)
            }
        }
        let knownTags = Set(declaration.tags.map(\.name))
        let schemes = Set(declaration.securitySchemes?.objectValue?.keys ?? [])
        for operation in declaration.operations {
            let template = checkPath(operation.path, parameters: operation.parameters, at: operation.pointer)
            let route = operation.method.rawValue + " " + template.normalized
            if let first = routes[route] {
                error("\(operation.method) \(operation.path) is already declared by operation \"\(first.id)\"", at: operation.pointer, key: true)
            } else {
                routes[route] = operation
            }
            var headerNames: Set<String> = []
            for parameter in operation.parameters where parameter.location == .header {
                if !headerNames.insert(parameter.name.lowercased()).inserted {
                    error("header \"\(parameter.name)\" is declared twice (header names ignore case)", at: parameter.pointer, key: true)
                }
            }
            for (index, tag) in operation.tags.enumerated() where !knownTags.contains(tag) {
                warning("tag \"\(tag)\" is not declared in tags\(didYouMean(tag, among: knownTags))", at: operation.pointer.appending("tags").appending(index))
            }
            for (index, name) in operation.dependencies.enumerated() where declaration.dependencies[name] == nil {
                error(
                    "unknown dependency \"\(name)\"\(didYouMean(name, among: declaration.dependencies.keys)); declare it under dependencies",
                    at: operation.pointer.appending("dependencies").appending(index))
            }
            if let body = operation.body, operation.method.expectsNoBody {
                warning("a \(operation.method) request with a body: many clients and proxies drop it", at: body.pointer, key: true)
            }
            checkSecurity(operation.security, at: operation.pointer.appending("security"), schemes: schemes)
        }
        for (index, name) in declaration.globalDependencies.enumerated() where declaration.dependencies[name] == nil {
            error(
                "unknown dependency \"\(name)\"\(didYouMean(name, among: declaration.dependencies.keys)); declare it under dependencies",
                at: JSONPointer(["globalDependencies", String(index)]))
        }
        for tag in declaration.tags {
            for name in tag.dependencies where declaration.dependencies[name] == nil {
                error(
                    "unknown dependency \"\(name)\" in tag \"\(tag.name)\"\(didYouMean(name, among: declaration.dependencies.keys)); declare it under dependencies",
                    at: JSONPointer(["tags"]))
            }
        }
        checkSecurity(declaration.security, at: JSONPointer(["security"]), schemes: schemes)
        for webSocket in declaration.webSockets {
            checkSecurity(webSocket.security, at: webSocket.pointer.appending("security"), schemes: schemes)
            _ = checkPath(webSocket.path, parameters: webSocket.parameters, at: webSocket.pointer)
            for (index, name) in webSocket.dependencies.enumerated() where declaration.dependencies[name] == nil {
                error(
                    "unknown dependency \"\(name)\"\(didYouMean(name, among: declaration.dependencies.keys)); declare it under dependencies",
                    at: webSocket.pointer.appending("dependencies").appending(index))
            }
        }
        for (index, model) in declaration.models.enumerated() where files.bytes[model] == nil {
            let files = self.files.bytes.keys.filter { $0 != path }
            error("no model file \(model) next to the declaration\(didYouMean(model, among: files))", at: JSONPointer(["models", String(index)]))
        }
    }

    /// ` (did you mean "store"?)` when one of `names` is close to `name`; "" otherwise.
    private func didYouMean(_ name: String, among names: some Sequence<String>) -> String {
        closestName(to: name, among: names).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    /// The template of a route's `path`, checked: well formed, each `{name}` declared in its
    /// `parameters.path` and each of those in it.
    private mutating func checkPath(_ path: String, parameters: [ParameterDeclaration], at pointer: JSONPointer) -> PathTemplate {
        let template = PathTemplate(path)
        if let problem = template.problem {
            error("path \"\(path)\": \(problem)", at: pointer.appending("path"))
        }
        let declared = parameters.filter { $0.location == .path }
        for name in template.parameters where !declared.contains(where: { $0.name == name }) {
            error("path parameter {\(name)} of \"\(path)\" is not declared in parameters.path", at: pointer.appending("path"))
        }
        for parameter in declared where !template.parameters.contains(parameter.name) {
            error("path parameter \"\(parameter.name)\" does not appear in the path \"\(path)\"", at: parameter.pointer, key: true)
        }
        return template
    }

    private mutating func checkSecurity(_ security: JSON?, at pointer: JSONPointer, schemes: Set<String>) {
        for (index, requirement) in (security?.arrayValue ?? []).enumerated() {
            for name in requirement.objectValue?.keys ?? [] where !schemes.contains(name) {
                error(
                    "unknown security scheme \"\(name)\"\(didYouMean(name, among: schemes)); declare it under securitySchemes",
                    at: pointer.appending(index).appending(name), key: true)
            }
        }
    }
}

/// The name of `candidates` that `name` most likely misspells (within an edit distance of a
/// third of its length, at least 1), for "did you mean" suggestions; nil when none is close.
public func closestName(to name: String, among candidates: some Sequence<String>) -> String? {
    guard let best = candidates.min(by: { editDistance($0, name) < editDistance($1, name) }),
        editDistance(best, name) <= max(1, name.count / 3)
    else { return nil }
    return best
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased())
    let b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
