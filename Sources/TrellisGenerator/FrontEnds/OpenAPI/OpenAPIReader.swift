internal import TrellisJSON
internal import TrellisSchema

/// The OpenAPI front end: reads an OpenAPI 3.0.x or 3.1.x document (JSON or YAML, its
/// `$ref`s followed into other files) into the intermediate form.
///
/// Schemas stay where the document has them: a parameter's or body's schema is known by its
/// site in the document (or in the file a `$ref` leads to), so that the type translator and
/// the runtime's validator read the very same schema. OpenAPI 3.0 schemas are first rewritten
/// as the JSON Schema 2020-12 they mean (``OpenAPI30Schemas``). What has no Swift mapping yet is
/// a warning at the document's `file:line:column`, never an error: the rest is generated.
struct OpenAPIReader {
    static let methods = HTTPMethod.allCases.map(\.lowercased)

    let files: SourceFiles
    let path: String
    var diagnostics = Diagnostics()
    private let resolver: ReferenceResolver

    /// A file of schemas every OpenAPI service may point at: for a parameter or body the
    /// document gives no schema for (`string`: any text; `any`: any JSON value).
    static let builtinPath = "trellis-builtin.json"
    static let builtinDocument: JSON = ["string": ["type": "string"], "any": [:]]

    init(files: SourceFiles, path: String) {
        self.files = files
        self.path = path
        self.resolver = ReferenceResolver(files: files)
    }

    var uri: String { SourceFiles.uri(of: path) }

    private var builtinString: SchemaSite { SchemaSite(document: SourceFiles.uri(of: Self.builtinPath), pointer: JSONPointer(["string"])) }
    private var builtinAny: SchemaSite { SchemaSite(document: SourceFiles.uri(of: Self.builtinPath), pointer: JSONPointer(["any"])) }

    private mutating func report(_ severity: Diagnostic.Severity, _ message: String, at site: SchemaSite, key: Bool = false) {
        let file = SourceFiles.path(of: site.document) ?? path
        diagnostics.append(files.diagnostic(severity, message, file: file, at: site.pointer, key: key))
    }

    private mutating func warning(_ message: String, at site: SchemaSite, key: Bool = false) { report(.warning, message, at: site, key: key) }
    private mutating func error(_ message: String, at site: SchemaSite, key: Bool = false) { report(.error, message, at: site, key: key) }

    private func site(_ tokens: String...) -> SchemaSite { SchemaSite(document: uri, pointer: JSONPointer(tokens)) }

    /// The object a reference object stands for (itself when it is none), or nil with a
    /// warning: `what` (`parameter`) `$ref leads nowhere: <why>; <consequence>`.
    private mutating func dereference(_ reference: SchemaSite, _ what: String, _ consequence: String) -> (SchemaSite, JSON)? {
        switch resolver.dereference(reference) {
        case .success(let found): return found
        case .failure(let failure):
            warning("\(what) $ref leads nowhere: \(failure.reason); \(consequence)", at: reference.appending("$ref"))
            return nil
        }
    }

    // MARK: - The document

    mutating func read() -> ServiceDeclaration? {
        guard let original = files.json[path], case .object(let root) = original else {
            diagnostics.append(Diagnostic(.error, "an OpenAPI document is an object at its top level", file: path, line: 1, column: 1))
            return nil
        }
        guard case .string(let version)? = root["openapi"] else {
            if root["swagger"] != nil {
                error("Swagger 2.0 documents are not read: convert the document to OpenAPI 3 (for example with swagger2openapi)", at: site("swagger"))
            } else {
                error("missing \"openapi\": the OpenAPI version (3.0.x or 3.1.x)", at: site())
            }
            return nil
        }
        guard version.hasPrefix("3.0") || version.hasPrefix("3.1") else {
            error("OpenAPI \(version) is not read: Trellis reads OpenAPI 3.0.x and 3.1.x", at: site("openapi"))
            return nil
        }
        let asWritten = files.json
        files.json[Self.builtinPath] = Self.builtinDocument
        if version.hasPrefix("3.0") { normalize30() }

        let info = root["info"] ?? ["title": "Service", "version": "1.0.0"]
        let componentSchemas = Set((root["components"]?["schemas"]?.objectValue?.keys ?? []).map(SwiftNaming.typeName))
        var name = SwiftNaming.typeName(info["title"]?.stringValue ?? "Service")
        if name.isEmpty || name == "Service" { name = "API" }
        while componentSchemas.contains(name) || SwiftNaming.reservedTypeNames.contains(name) { name += "API" }

        var securitySchemes = JSONObject()
        for (schemeName, _) in root["components"]?["securitySchemes"]?.objectValue ?? JSONObject() {
            let here = site("components", "securitySchemes", schemeName)
            if case .success((_, let value)) = resolver.dereference(here) { securitySchemes[schemeName] = value }
        }
        var declaration = ServiceDeclaration(
            name: name, info: info, servers: root["servers"], tags: [],
            securitySchemes: securitySchemes.count == 0 ? nil : .object(securitySchemes), security: root["security"],
            dependencies: [:], globalDependencies: [], models: [], operations: [])
        for (schemeName, scheme) in securitySchemes {
            guard let verifier = scheme["x-trellis-verifier"] else { continue }
            if let type = verifier.stringValue, SwiftNaming.isTypeReference(type) {
                declaration.securityVerifiers[schemeName] = type
            } else {
                warning(
                    "x-trellis-verifier of security scheme \"\(schemeName)\" is not a Swift type name; the scheme is left for the implementation's securityVerifiers",
                    at: site("components", "securitySchemes", schemeName, "x-trellis-verifier"))
            }
        }
        for tag in root["tags"]?.arrayValue ?? [] {
            guard let tagName = tag["name"]?.stringValue else { continue }
            declaration.tags.append(TagDeclaration(name: tagName, description: tag["description"]?.stringValue, dependencies: []))
        }
        if let webhooks = root["webhooks"]?.objectValue, webhooks.count > 0 {
            warning(
                "webhooks are documented but not generated: Trellis has no Swift mapping for them yet (the \(webhooks.count) webhook\(webhooks.count == 1 ? "" : "s") stay in the served document)",
                at: site("webhooks"), key: true)
        }
        if let callbacks = root["components"]?["callbacks"]?.objectValue, callbacks.count > 0 {
            warning("callbacks are documented but not generated: Trellis has no Swift mapping for them yet", at: site("components", "callbacks"), key: true)
        }

        var routes: [String: String] = [:]
        for (template, _) in root["paths"]?.objectValue ?? JSONObject() {
            let itemSite = site("paths", template)
            guard let item = dereference(itemSite, "path \(template):", "the path is skipped") else { continue }
            let pathTemplate = PathTemplate(template)
            if let problem = pathTemplate.problem {
                warning("path \"\(template)\": \(problem); its operations are skipped", at: itemSite, key: true)
                continue
            }
            let shared = parameters(item.1["parameters"], at: item.0.appending("parameters"))
            for method in HTTPMethod.allCases {
                guard item.1[method.lowercased] != nil else { continue }
                let operationSite = item.0.appending(method.lowercased)
                guard let operation = self.operation(method: method, template: template, site: operationSite, shared: shared) else { continue }
                let route = operation.method.rawValue + " " + pathTemplate.normalized
                if let first = routes[route] {
                    warning("\(operation.method) \(template) is the same route as operation \"\(first)\"; it is skipped", at: operationSite, key: true)
                    continue
                }
                routes[route] = operation.id
                declaration.operations.append(operation)
            }
        }
        uniqueOperationIDs(&declaration.operations)
        var bundler = DocumentBundler(documents: asWritten, path: path)
        declaration.openAPIDocument = bundler.bundle(original)
        return declaration
    }

    /// Operation ids, each once (an id used twice is a mistake in the document: the second
    /// gets a suffix, with a warning).
    private mutating func uniqueOperationIDs(_ operations: inout [OperationDeclaration]) {
        var seen: Set<String> = []
        for index in operations.indices {
            var id = operations[index].id
            if seen.contains(id) {
                var suffix = 2
                while seen.contains(id + "_" + String(suffix)) { suffix += 1 }
                let renamed = id + "_" + String(suffix)
                warning(
                    "operationId \"\(id)\" is used twice; this one is \"\(renamed)\"",
                    at: SchemaSite(document: uri, pointer: operations[index].pointer.appending("operationId")))
                id = renamed
                operations[index].id = id
            }
            seen.insert(id)
        }
    }

    // MARK: - OpenAPI 3.0

    /// Rewrites the 3.0 schemas of the document, and of the files its schemas refer to, as
    /// JSON Schema 2020-12.
    private func normalize30() {
        guard let document = files.json[path] else { return }
        let (normalized, references) = OpenAPI30Schemas.normalizeDocument(document)
        files.json[path] = normalized
        var pending = references.map { (reference: $0, base: uri) }
        var done: Set<SchemaSite> = []
        while let (reference, base) = pending.popLast() {
            guard case .success(let target) = resolver.target(of: reference, from: base), done.insert(target).inserted,
                let file = SourceFiles.path(of: target.document), let root = files.json[file], let schema = target.pointer.resolve(in: root)
            else { continue }
            let (rewritten, more) = OpenAPI30Schemas.normalizeSchema(schema)
            files.json[file] = root.replacing(at: target.pointer.tokens[...], with: rewritten)
            pending += more.map { (reference: $0, base: target.document) }
        }
    }

    // MARK: - Operations

    private mutating func operation(method: HTTPMethod, template: String, site: SchemaSite, shared: [ParameterDeclaration]) -> OperationDeclaration? {
        guard let value = resolver.value(at: site), case .object(let object) = value else { return nil }
        let id = object["operationId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? Self.derivedID(method: method.lowercased, template: template)
        var parameters = shared
        for parameter in self.parameters(object["parameters"], at: site.appending("parameters")) {
            parameters.removeAll { $0.name == parameter.name && $0.location == parameter.location }
            parameters.append(parameter)
        }
        for name in PathTemplate(template).parameters where !parameters.contains(where: { $0.location == .path && $0.name == name }) {
            warning("path parameter {\(name)} of \"\(template)\" is not declared; it is read as a string", at: site, key: true)
            parameters.append(
                ParameterDeclaration(
                    name: name, location: .path, schema: builtinString, required: true, description: nil, deprecated: false, style: nil, example: nil,
                    pointer: site.pointer, file: SourceFiles.path(of: site.document)))
        }
        parameters.removeAll { parameter in
            guard parameter.location == .path, !PathTemplate(template).parameters.contains(parameter.name) else { return false }
            warning(
                "path parameter \"\(parameter.name)\" does not appear in the path \"\(template)\"; it is ignored",
                at: SchemaSite(document: uri(of: parameter), pointer: parameter.pointer))
            return true
        }
        let body = object["requestBody"] == nil ? nil : body(at: site.appending("requestBody"), operation: id)
        if object["callbacks"] != nil {
            warning("operation \(id): callbacks are documented but not generated (no Swift mapping yet)", at: site.appending("callbacks"), key: true)
        }
        var responses: [ResponseDeclaration] = []
        for (status, _) in object["responses"]?.objectValue ?? JSONObject() {
            if let response = response(status, at: site.appending("responses").appending(status), operation: id) { responses.append(response) }
        }
        return OperationDeclaration(
            id: id, method: method, path: template, summary: object["summary"]?.stringValue,
            description: object["description"]?.stringValue, tags: object["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            deprecated: object["deprecated"]?.boolValue ?? false, parameters: parameters,
            body: body, responses: responses,
            dependencies: [], security: object["security"], pointer: site.pointer)
    }

    private func uri(of parameter: ParameterDeclaration) -> String { parameter.file.map(SourceFiles.uri) ?? uri }

    /// `get /pets/{petId}` → `get_pets_petId`.
    static func derivedID(method: String, template: String) -> String {
        let parts = template.split(separator: "/").map { $0.filter { $0 != "{" && $0 != "}" } }
        return ([method] + parts).joined(separator: "_")
    }

    // MARK: - Parameters

    private mutating func parameters(_ value: JSON?, at site: SchemaSite) -> [ParameterDeclaration] {
        var result: [ParameterDeclaration] = []
        for index in (value?.arrayValue ?? []).indices {
            if let parameter = parameter(at: site.appending(String(index))) { result.append(parameter) }
        }
        return result
    }

    private mutating func parameter(at reference: SchemaSite) -> ParameterDeclaration? {
        guard let found = dereference(reference, "parameter", "the parameter is skipped") else { return nil }
        let (site, object) = found
        guard let name = object["name"]?.stringValue, let written = object["in"]?.stringValue else {
            warning("a parameter needs \"name\" and \"in\"; this one is skipped", at: site)
            return nil
        }
        guard let location = ParameterLocation(rawValue: written) else {
            warning(
                "parameter \(name): \"in\": \"\(written)\" is not a parameter location of OpenAPI 3 (path, query, header, cookie); it is skipped",
                at: site.appending("in"))
            return nil
        }
        // OpenAPI: these header parameters are ignored (the body's and security's own).
        if location == .header && ["accept", "content-type", "authorization"].contains(name.lowercased()) { return nil }
        let schema: SchemaSite
        if object["schema"] != nil {
            schema = site.appending("schema")
        } else if case .object(let content)? = object["content"], let (mediaType, _) = content.first(where: { _ in true }) {
            warning("parameter \(name): a parameter serialized as \(mediaType) is read as text", at: site.appending("content"), key: true)
            schema = builtinString
        } else {
            warning("parameter \(name) has no schema; it is read as text", at: site)
            schema = builtinString
        }
        let defaultStyle = location == .query || location == .cookie ? "form" : "simple"
        var style = object["style"]?.stringValue ?? defaultStyle
        let allowed: [ParameterLocation: [String]] = [
            .path: ["simple", "label", "matrix"], .query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            .header: ["simple"], .cookie: ["form"],
        ]
        if !(allowed[location] ?? []).contains(style) {
            warning("parameter \(name): style \(style) is not a style of \(location) parameters; it is read as \(defaultStyle)", at: site.appending("style"))
            style = defaultStyle
        }
        let explode = object["explode"]?.boolValue ?? (style == "form")
        return ParameterDeclaration(
            name: name, location: location, schema: schema, required: location == .path ? true : (object["required"]?.boolValue ?? false),
            description: object["description"]?.stringValue, deprecated: object["deprecated"]?.boolValue ?? false, style: style, explode: explode,
            example: object["example"], pointer: site.pointer, file: SourceFiles.path(of: site.document))
    }

    // MARK: - Bodies and responses

    /// Whether a media type is JSON (`application/json`, `…+json`, with or without parameters).
    static func isJSON(_ mediaType: String) -> Bool {
        let type = essence(mediaType)
        return type == "application/json" || type.hasSuffix("+json")
    }

    /// `Application/JSON; charset=utf-8` → `application/json`.
    static func essence(_ mediaType: String) -> String {
        let type = mediaType.split(separator: ";", maxSplits: 1).first ?? ""
        return String(type.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()).lowercased()
    }

    private mutating func body(at reference: SchemaSite, operation: String) -> BodyDeclaration? {
        guard let found = dereference(reference, "operation \(operation): requestBody", "the body is read as raw bytes") else {
            return BodyDeclaration(schema: builtinAny, contentType: "application/octet-stream", required: false, description: nil, pointer: reference.pointer)
        }
        let (site, object) = found
        guard case .object(let content)? = object["content"], content.count > 0 else { return nil }
        // The structured media types (JSON, forms) that share one schema are all served, read
        // into the same typed body; with none, the first is served as bytes.
        let structured = content.keys.filter { BodyDeclaration.isStructured(Self.essence($0)) }
            .sorted { Self.isJSON($0) && !Self.isJSON($1) }
        let lead = structured.first
        let served: [String]
        if let lead {
            served = structured.filter { $0 == lead || content[$0]?["schema"] == content[lead]?["schema"] }
        } else {
            served = content.keys.first.map { [$0] } ?? []
        }
        guard let mediaType = served.first else { return nil }
        let others = content.keys.filter { !served.contains($0) }
        if !others.isEmpty {
            warning(
                "operation \(operation): only \(served.joined(separator: " and ")) \(served.count == 1 ? "is" : "are") served; \(others.joined(separator: ", ")) \(others.count == 1 ? "is" : "are") documented but not read",
                at: site.appending("content"), key: true)
        }
        let mediaSite = site.appending("content").appending(mediaType)
        if lead == nil {
            warning("operation \(operation): \(mediaType) is served as raw bytes", at: mediaSite, key: true)
        }
        let schema = lead != nil && content[mediaType]?["schema"] != nil ? mediaSite.appending("schema") : builtinAny
        let form = served.first { BodyDeclaration.isForm(Self.essence($0)) && content[$0]?["encoding"] != nil }
        return BodyDeclaration(
            schema: schema, contentTypes: served.map(Self.essence), encoding: form.flatMap { content[$0]?["encoding"]?.objectValue } ?? JSONObject(),
            encodingSite: form.map { site.appending("content").appending($0).appending("encoding") },
            limits: object["x-trellis-limits"]?.objectValue ?? JSONObject(),
            required: object["required"]?.boolValue ?? false, description: object["description"]?.stringValue, pointer: site.pointer)
    }

    private mutating func response(_ written: String, at reference: SchemaSite, operation: String) -> ResponseDeclaration? {
        guard let status = ResponseStatus(written) else {
            if !written.hasPrefix("x-") { warning("operation \(operation): \"\(written)\" is not a response status; it is skipped", at: reference, key: true) }
            return nil
        }
        guard let found = dereference(reference, "operation \(operation): response", "the response has no body") else {
            return ResponseDeclaration(status: status, description: HTTPStatus.reason(status), schema: nil, headers: [], pointer: reference.pointer)
        }
        let (site, object) = found
        if object["links"] != nil {
            warning("operation \(operation): response links are documented but not generated (no Swift mapping yet)", at: site.appending("links"), key: true)
        }
        // Every media type is answered (the request's Accept chooses): JSON first, then the
        // others in document order; a range (`*/*`, `image/*`) only when it is the only one.
        var contents: [ResponseContent] = []
        if case .object(let content)? = object["content"] {
            let concrete = content.keys.filter { !$0.contains("*") }
            let ordered = (concrete.isEmpty ? Array(content.keys.prefix(1)) : concrete.filter(Self.isJSON) + concrete.filter { !Self.isJSON($0) })
            var seen: Set<String> = []
            for mediaType in ordered where seen.insert(Self.essence(mediaType)).inserted {
                let mediaSite = site.appending("content").appending(mediaType)
                contents.append(
                    ResponseContent(contentType: mediaType, schema: content[mediaType]?["schema"] != nil ? mediaSite.appending("schema") : builtinAny))
                if mediaType.lowercased().contains("xml") {
                    warning("operation \(operation), response \(status): XML bodies are written as raw bytes", at: mediaSite, key: true)
                }
            }
            let skipped = content.keys.filter { key in !contents.contains { $0.contentType == key } }
            if !skipped.isEmpty {
                warning(
                    "operation \(operation), response \(status): \(skipped.joined(separator: ", ")) \(skipped.count == 1 ? "is" : "are") documented but not answered",
                    at: site.appending("content"), key: true)
            }
        }
        var headers: [ParameterDeclaration] = []
        for (name, _) in object["headers"]?.objectValue ?? JSONObject() {
            if name.lowercased() == "content-type" { continue }  // OpenAPI: ignored
            let headerReference = site.appending("headers").appending(name)
            guard let found = dereference(headerReference, "operation \(operation): header \(name):", "it is skipped") else { continue }
            let (headerSite, header) = found
            headers.append(
                ParameterDeclaration(
                    name: name, location: .header, schema: header["schema"] != nil ? headerSite.appending("schema") : builtinString,
                    required: header["required"]?.boolValue ?? false, description: header["description"]?.stringValue,
                    deprecated: header["deprecated"]?.boolValue ?? false, style: nil, example: nil, pointer: headerSite.pointer,
                    file: SourceFiles.path(of: headerSite.document)))
        }
        return ResponseDeclaration(
            status: status, description: object["description"]?.stringValue ?? HTTPStatus.reason(status), schema: contents.first?.schema,
            contentType: contents.first?.contentType, alternatives: Array(contents.dropFirst()), headers: headers, pointer: site.pointer)
    }

}

extension JSON {
    /// A copy with the value at `tokens` replaced (the copy itself when there is nothing there).
    func replacing(at tokens: ArraySlice<String>, with replacement: JSON) -> JSON {
        guard let token = tokens.first else { return replacement }
        switch self {
        case .object(var object):
            guard let child = object[token] else { return self }
            object[token] = child.replacing(at: tokens.dropFirst(), with: replacement)
            return .object(object)
        case .array(var items):
            guard let index = Int(token), items.indices.contains(index) else { return self }
            items[index] = items[index].replacing(at: tokens.dropFirst(), with: replacement)
            return .array(items)
        default:
            return self
        }
    }
}
