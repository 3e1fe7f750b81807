internal import TrellisJSON

/// Renders a service's operations (inputs and outputs, from their translation), its
/// protocol, their descriptions, and the handlers the runtime serves.
struct OperationRenderer {
    let declaration: ServiceDeclaration
    let translator: TypeTranslator
    /// The access modifier written on every declaration (`public`, `package` or `internal`).
    let access: String

    var namespace: String { declaration.name }
    var protocolName: String { HandlerSignature.protocolName(forService: declaration.name) }

    func typeName(of operation: OperationDeclaration) -> String { HandlerSignature.typeName(of: operation) }
    func methodName(of operation: OperationDeclaration) -> String { HandlerSignature.methodName(of: operation) }

    /// The Swift types of the declared dependencies, each once: in the order operations use
    /// them, then the unused ones by name.
    func dependencyTypes() -> [String] {
        var names: [String] = []
        for operation in declaration.operations { names += declaration.dependencies(of: operation).map(\.name) }
        names += declaration.dependencies.keys.sorted()
        var seen: Set<String> = []
        return names.compactMap { declaration.dependencies[$0]?.swiftType }.filter { seen.insert($0).inserted }
    }

    // MARK: - Operations file

    func renderOperations(_ operations: [SwiftOperation], webSockets: [SwiftWebSocket]) -> String {
        var writer = CodeWriter()
        writer.documentation([
            "The operations of \(declaration.info["title"]?.stringValue ?? namespace): one namespace each, with its input and output.", "",
            "Generated from the service declaration.",
        ])
        writer.block("\(access) enum \(namespace)") { w in
            for (index, operation) in operations.enumerated() {
                if index > 0 { w.line() }
                render(operation, into: &w)
            }
            for webSocket in webSockets {
                w.line()
                render(webSocket, into: &w)
            }
        }
        return writer.text
    }

    /// The service's namespace alone (its operations in extensions of it, one file each
    /// group; see ``renderOperation(_:)``), for large services split across files.
    func renderNamespace() -> String {
        var writer = CodeWriter()
        writer.documentation([
            "The operations of \(declaration.info["title"]?.stringValue ?? namespace): one namespace each, with its input and output.", "",
            "Generated from the service declaration.",
        ])
        writer.line("\(access) enum \(namespace) {}")
        return writer.text
    }

    /// One operation's namespace, in an extension of the service's.
    func renderOperation(_ operation: SwiftOperation) -> String {
        var writer = CodeWriter()
        writer.block("extension \(namespace)") { w in render(operation, into: &w) }
        return writer.text
    }

    // MARK: WebSockets

    /// A WebSocket's namespace: its id and the types of the messages each way.
    private func render(_ translated: SwiftWebSocket, into writer: inout CodeWriter) {
        let webSocket = translated.declaration
        let name = translated.typeName
        let (receive, send, nested) = (translated.receive, translated.send, translated.nested)
        writer.documentation(HandlerSignature(webSocket: webSocket, namespace: namespace).documentation)
        writer.block("\(access) enum \(name)") { w in
            w.documentation(["The route's id."])
            w.line("\(access) static let id = \(SwiftNaming.stringLiteral(webSocket.id))")
            w.line()
            w.documentation(["A message from the client (validated against the declared `receive` schema before it is decoded)."])
            w.line("\(access) typealias Receive = \(receive.rendered)")
            w.documentation(["A message to the client."])
            w.line("\(access) typealias Send = \(send.rendered)")
            if let input = translated.input {
                w.line()
                w.documentation([
                    "What the handler receives besides the session: the upgrade request's parameters and the route's dependencies, validated and typed."
                ])
                renderInput(input, into: &w)
            }
            let renderer = ModelRenderer(access: access)
            for declaration in nested {
                w.line()
                renderer.render(declaration, into: &w)
            }
        }
    }

    /// An operation's (or a WebSocket's) `Input`: its members, a memberwise initialiser and the
    /// initialiser that reads it from a validated request.
    private func renderInput(_ members: [SwiftOperation.InputMember], into writer: inout CodeWriter) {
        writer.block("\(access) struct Input: OperationInput") { i in
            for member in members {
                i.documentation(member.documentation)
                i.line("\(access) var \(member.swiftName): \(member.type.rendered)")
            }
            if !members.isEmpty { i.line() }
            i.documentation(["Creates an input (for tests and for calling the handler directly)."])
            let parameters = members.map { member -> String in
                var text = "\(member.swiftName): \(member.type.rendered)"
                if let value = member.defaultValue { text += " = \(value)" } else if member.type.isOptional { text += " = nil" }
                return text
            }
            if parameters.isEmpty {
                i.line("\(access) init() {}")
            } else {
                i.block("\(access) init(\(parameters.joined(separator: ", ")))") { b in
                    for member in members { b.line("self.\(member.swiftName) = \(member.swiftName)") }
                }
            }
            i.line()
            i.documentation(["Reads the input from a validated request."])
            if members.isEmpty {
                i.line("\(access) init(from source: some OperationInputSource) async throws {}")
            } else {
                i.block("\(access) init(from source: some OperationInputSource) async throws") { b in
                    for member in members { b.line("self.\(member.swiftName) = \(member.read)") }
                }
            }
        }
    }

    private func summary(_ operation: OperationDeclaration) -> [String] { HandlerSignature.documentation(of: operation) }

    private func render(_ translated: SwiftOperation, into writer: inout CodeWriter) {
        let operation = translated.declaration
        let name = translated.typeName
        let members = translated.members
        writer.documentation(summary(operation))
        writer.block("\(access) enum \(name)") { w in
            w.documentation(["The operation's id."])
            w.line("\(access) static let id = \(SwiftNaming.stringLiteral(operation.id))")
            w.line()
            w.documentation(["What the handler receives: parameters, body and dependencies, validated and typed."])
            renderInput(members, into: &w)
            w.line()
            renderOutput(translated, into: &w)
            let renderer = ModelRenderer(access: access)
            for declaration in translated.nested {
                w.line()
                renderer.render(declaration, into: &w)
            }
        }
    }

    // MARK: Output

    private func renderOutput(_ translated: SwiftOperation, into writer: inout CodeWriter) {
        let operation = translated.declaration
        let cases = translated.cases
        writer.documentation(["What the handler answers: one case per declared response."])
        writer.block("\(access) enum Output: OperationOutput") { w in
            for item in cases {
                let reason = HTTPStatus.reason(item.status)
                w.documentation([
                    "`\(item.status)` \(reason)"
                        + (operation.responses.first { $0.status == item.status }.map { $0.description == reason ? "" : ": " + $0.description } ?? "")
                ])
                var associated: [String] = []
                if item.status.isRange { associated.append("statusCode: Int") }
                if let payload = item.payload { associated.append(payload.rendered) }
                if let headersType = item.headersType { associated.append("headers: \(headersType)") }
                w.line("case \(item.name)" + (associated.isEmpty ? "" : "(" + associated.joined(separator: ", ") + ")"))
            }
            for item in cases {
                guard let bodyType = item.bodyType else { continue }
                w.line()
                w.documentation(["The `\(item.status)` response's body, in one of its media types (the input's negotiated one, as a rule)."])
                w.block("\(access) enum \(bodyType): Sendable") { e in
                    for body in item.bodyCases {
                        e.documentation(["`\(body.contentType)`."])
                        e.line("case \(body.name)(\(body.payload.rendered))")
                    }
                    e.line()
                    e.documentation(["The media type of the body."])
                    e.block("\(access) var contentType: String") { b in
                        b.switchBlock("self") { s in
                            for body in item.bodyCases { s.line("case .\(body.name): \(SwiftNaming.stringLiteral(body.contentType))") }
                        }
                    }
                    e.line()
                    e.documentation(["The body, as the runtime writes it."])
                    e.block("\(access) var body: OutputBody") { b in
                        b.switchBlock("self") { s in
                            for body in item.bodyCases { s.line("case .\(body.name)(let value): .\(body.kind)(value)") }
                        }
                    }
                }
            }
            for item in cases {
                guard let headersType = item.headersType else { continue }
                w.line()
                w.documentation(["The headers of the `\(item.status)` response."])
                w.block("\(access) struct \(headersType): Sendable") { h in
                    for header in item.headers { h.line("\(access) var \(header.swiftName): \(header.type.rendered)") }
                    let parameters = item.headers.map { "\($0.swiftName): \($0.type.rendered)" + ($0.type.isOptional ? " = nil" : "") }
                    h.block("\(access) init(\(parameters.joined(separator: ", ")))") { b in
                        for header in item.headers { b.line("self.\(header.swiftName) = \(header.swiftName)") }
                    }
                    h.line()
                    h.documentation(["The header fields, by name."])
                    h.documentation(["- Throws: When a value cannot be written as text (an encoding error of its type)."])
                    h.block("\(access) func fields() throws -> [(name: String, value: String)]") { b in
                        b.line("var result: [(name: String, value: String)] = []")
                        for header in item.headers {
                            if header.type.isOptional {
                                b.line(
                                    "if let value = \(header.swiftName) { result.append((\(SwiftNaming.stringLiteral(header.name)), try HeaderText.simple(value))) }"
                                )
                            } else {
                                b.line("result.append((\(SwiftNaming.stringLiteral(header.name)), try HeaderText.simple(\(header.swiftName))))")
                            }
                        }
                        b.line("return result")
                    }
                }
            }

            w.line()
            // Writing typed headers as text can fail (an encoding error of their type).
            let hasHeaders = cases.contains { $0.headersType != nil }
            func answers(_ p: inout CodeWriter) {
                p.switchBlock("self") { s in
                    for item in cases {
                        var parts: [String] = []
                        if item.status.isRange { parts.append("let status") }
                        if item.payload != nil { parts.append("let value") }
                        if item.headersType != nil { parts.append("let headers") }
                        let pattern = parts.isEmpty ? ".\(item.name)" : ".\(item.name)(" + parts.joined(separator: ", ") + ")"
                        var arguments = ["status: " + (item.status.isRange ? "status" : item.status.description)]
                        if let contentType = item.contentType { arguments.append("contentType: " + SwiftNaming.stringLiteral(contentType)) }
                        if item.headersType != nil { arguments.append("headers: headers.fields()") }
                        switch item.kind {
                        case "json", "text", "bytes", "stream": arguments.append("body: .\(item.kind)(value)")
                        case "negotiated":
                            arguments.insert("contentType: value.contentType", at: 1)
                            arguments.append("body: value.body")
                        default: break
                        }
                        s.line("case \(pattern): \(item.headersType != nil ? "try " : "")OutputResponse(\(arguments.joined(separator: ", ")))")
                    }
                }
            }
            w.block("\(access) var response: OutputResponse") { p in
                if hasHeaders { p.block("get throws", answers) } else { answers(&p) }
            }
        }
    }

    // MARK: - Service file

    func renderService(openAPI: String, schemaDocuments: [(String, String)]) -> String {
        var writer = CodeWriter()
        let title = declaration.info["title"]?.stringValue ?? namespace
        writer.documentation(["\(title): implement one `async` method per operation.", "", "Generated from the service declaration."] + serviceDocumentation())
        writer.block("\(access) protocol \(protocolName): GeneratedService") { w in
            for (index, operation) in declaration.operations.enumerated() {
                if index > 0 { w.line() }
                w.documentation(summary(operation))
                w.line(HandlerSignature(operation: operation, namespace: namespace).declaration)
            }
            for webSocket in declaration.webSockets {
                let signature = HandlerSignature(webSocket: webSocket, namespace: namespace)
                w.line()
                w.documentation(signature.documentation)
                w.line(signature.declaration)
            }
        }
        writer.line()
        writer.block("extension \(protocolName)") { w in
            w.documentation(["The service as data, for the runtime."])
            w.line("\(access) static var serviceDescription: ServiceDescription { \(namespace).serviceDescription }")
            w.line()
            let types = dependencyTypes()
            if !types.isEmpty {
                w.documentation(["Every dependency type the declaration names: the runtime starts the application-wide ones."])
                w.line("\(access) static var dependencyTypes: [any Dependency.Type] { [\(types.map { $0 + ".self" }.joined(separator: ", "))] }")
                w.line()
            }
            if !declaration.securityVerifiers.isEmpty {
                let entries = declaration.securityVerifiers.sorted { $0.key < $1.key }.map { "\(SwiftNaming.stringLiteral($0.key)): \($0.value).self" }
                w.documentation(["The verifier of each security scheme, as the declaration names them (an implementation may bind others)."])
                w.line("\(access) var securityVerifiers: [String: any SecurityVerifier.Type] { [\(entries.joined(separator: ", "))] }")
                w.line()
            }
            w.documentation(["Every operation, bound to this implementation's method for it: what the runtime serves."])
            w.block("\(access) var operationHandlers: [OperationHandler]") { b in
                // One statement per operation, each type-checked on its own (one array literal
                // of hundreds of generic calls costs the type checker far more).
                b.line("var handlers: [OperationHandler] = []")
                b.line("handlers.reserveCapacity(\(declaration.operations.count))")
                for operation in declaration.operations {
                    let type = namespace + "." + typeName(of: operation)
                    b.line("handlers.append(OperationHandler(\(type).self) { try await self.\(methodName(of: operation))($0) })")
                }
                b.line("return handlers")
            }
            if !declaration.webSockets.isEmpty {
                w.line()
                w.documentation(["Every WebSocket route, bound to this implementation's method for it."])
                w.block("\(access) var webSocketHandlers: [WebSocketHandler]") { b in
                    b.line("[")
                    for webSocket in declaration.webSockets {
                        let type = namespace + "." + SwiftNaming.typeName(webSocket.id)
                        if webSocket.takesInput {
                            b.line(
                                "    WebSocketHandler(\(type).self, input: \(type).Input.self) { try await self.\(SwiftNaming.memberName(webSocket.id))($0, $1) },"
                            )
                        } else {
                            b.line("    WebSocketHandler(\(type).self) { try await self.\(SwiftNaming.memberName(webSocket.id))($0) },")
                        }
                    }
                    b.line("]")
                }
            }
        }
        writer.line()
        writer.block("extension \(namespace)") { w in
            w.documentation(["The service as data: operations, parameters, schemas and the OpenAPI document."])
            w.line("\(access) static let serviceDescription = ServiceDescription(")
            w.line("    name: \(SwiftNaming.stringLiteral(namespace)),")
            w.line("    openAPIDocument: openAPIDocument,")
            let schemes = securitySchemeLiterals()
            if schemes.isEmpty {
                w.line("    schemaDocuments: schemaDocuments")
            } else {
                w.line("    schemaDocuments: schemaDocuments,")
                w.line("    securitySchemes: [")
                for scheme in schemes { w.line("        \(scheme),") }
                w.line("    ]")
            }
            w.line(")")
        }
        for webSocket in declaration.webSockets {
            writer.line()
            writer.block("extension \(namespace).\(SwiftNaming.typeName(webSocket.id)): DeclaredWebSocket") { w in
                w.documentation(["`WebSocket \(webSocket.path)` as data, for the runtime."])
                w.line("\(access) static let webSocketDescription = WebSocketDescription(")
                w.line("    id: \(SwiftNaming.stringLiteral(webSocket.id)), path: \(SwiftNaming.stringLiteral(webSocket.path)),")
                let requirements = (webSocket.security ?? declaration.security)?.arrayValue ?? []
                var trailing: [String] = []
                if !webSocket.parameters.isEmpty {
                    trailing.append(
                        "    parameters: [\n"
                            + webSocket.parameters.map { parameter in
                                "        "
                                    + parameterLiteral(
                                        name: parameter.name, location: parameter.location, required: parameter.required, site: parameter.schema,
                                        style: parameter.style, explode: parameter.explode) + ","
                            }.joined(separator: "\n") + "\n    ]")
                }
                if !webSocket.dependencies.isEmpty {
                    trailing.append("    dependencies: [\(webSocket.dependencies.map(SwiftNaming.stringLiteral).joined(separator: ", "))]")
                }
                let more = !trailing.isEmpty || !requirements.isEmpty
                w.line(
                    "    receive: \(SwiftNaming.stringLiteral(webSocket.receive.reference)), send: \(SwiftNaming.stringLiteral(webSocket.send.reference))"
                        + (more ? "," : ""))
                for (index, text) in trailing.enumerated() {
                    for line in (text + (index < trailing.count - 1 || !requirements.isEmpty ? "," : "")).split(separator: "\n") { w.line(String(line)) }
                }
                if !requirements.isEmpty { renderSecurity(requirements, into: &w) }
                w.line(")")
            }
        }
        for operation in declaration.operations {
            writer.line()
            writer.block("extension \(namespace).\(typeName(of: operation)): DeclaredOperation") { w in
                w.documentation(["`\(operation.method) \(operation.path)` as data, for the runtime."])
                renderDescription(operation, into: &w)
            }
        }
        return writer.text
    }

    /// The declared security schemes as `SecuritySchemeDescription` literals.
    private func securitySchemeLiterals() -> [String] {
        (declaration.securitySchemes?.objectValue ?? JSONObject()).map { name, scheme in
            let kind: String
            switch scheme["type"]?.stringValue {
            case "apiKey":
                let location = scheme["in"]?.stringValue.flatMap(ParameterLocation.init(rawValue:)) ?? .header
                kind = ".apiKey(name: \(SwiftNaming.stringLiteral(scheme["name"]?.stringValue ?? "")), location: .\(location.rawValue))"
            case "http": kind = ".http(scheme: \(SwiftNaming.stringLiteral((scheme["scheme"]?.stringValue ?? "").lowercased())))"
            case "oauth2": kind = ".oauth2"
            case "openIdConnect": kind = ".openIdConnect"
            default: kind = ".mutualTLS"
            }
            return "SecuritySchemeDescription(name: \(SwiftNaming.stringLiteral(name)), kind: \(kind))"
        }
    }

    private func serviceDocumentation() -> [String] {
        guard let description = declaration.info["description"]?.stringValue else { return [] }
        return [""] + description.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    private func renderDescription(_ operation: OperationDeclaration, into writer: inout CodeWriter) {
        writer.line("\(access) static let operationDescription = OperationDescription(")
        writer.line(
            "    id: \(SwiftNaming.stringLiteral(operation.id)), method: .\(operation.method.lowercased), path: \(SwiftNaming.stringLiteral(operation.path)),")
        let parameters = declaration.parameters(of: operation)
        if parameters.isEmpty {
            writer.line("    parameters: [],")
        } else {
            writer.line("    parameters: [")
            for parameter in parameters {
                writer.line(
                    "        "
                        + parameterLiteral(
                            name: parameter.name, location: parameter.location, required: parameter.required, site: parameter.schema,
                            style: parameter.style, explode: parameter.explode) + ",")
            }
            writer.line("    ],")
        }
        if let body = operation.body {
            let types =
                body.contentTypes.count == 1
                ? "contentType: " + SwiftNaming.stringLiteral(body.contentType)
                : "contentTypes: [" + body.contentTypes.map(SwiftNaming.stringLiteral).joined(separator: ", ") + "]"
            let files = translator.fileParts(of: body)
            let fields = body.contentTypes.contains(where: BodyDeclaration.isForm) ? formFields(body, skipping: Set(files.map(\.name))) : []
            let limits = limitsLiteral(body.limits)
            let partHeaders = body.isMultipart ? partHeaderLiterals(body) : []
            if fields.isEmpty && files.isEmpty && limits == nil && partHeaders.isEmpty {
                writer.line("    body: BodyDescription(\(types), required: \(body.required), schema: \(SwiftNaming.stringLiteral(body.schema.reference))),")
            } else {
                writer.line("    body: BodyDescription(")
                writer.line("        \(types), required: \(body.required), schema: \(SwiftNaming.stringLiteral(body.schema.reference)),")
                var arguments: [(String, [String])] = []
                if !fields.isEmpty { arguments.append(("fields", fields)) }
                if !files.isEmpty { arguments.append(("files", files.map(Self.fileLiteral))) }
                if !partHeaders.isEmpty { arguments.append(("partHeaders", partHeaders)) }
                for (index, (label, items)) in arguments.enumerated() {
                    writer.line("        \(label): [")
                    for item in items { writer.line("            \(item),") }
                    writer.line("        ]" + (index < arguments.count - 1 || limits != nil ? "," : ""))
                }
                if let limits { writer.line("        limits: \(limits)") }
                writer.line("    ),")
            }
        } else {
            writer.line("    body: nil,")
        }
        writer.line("    responses: [")
        for response in operation.responses {
            // One per media type of the body.
            let contents =
                response.alternatives.isEmpty ? [ResponseContent(contentType: response.contentType ?? "", schema: response.schema)] : response.contents
            for content in contents {
                let contentType = response.contentType == nil ? "nil" : SwiftNaming.stringLiteral(content.contentType)
                writer.line(
                    "        ResponseDescription(status: \(Self.statusLiteral(response.status)), contentType: \(contentType), schema: \(content.schema.map { SwiftNaming.stringLiteral($0.reference) } ?? "nil")),"
                )
            }
        }
        writer.line("    ],")
        let dependencies = "    dependencies: [\(declaration.dependencies(of: operation).map { SwiftNaming.stringLiteral($0.name) }.joined(separator: ", "))]"
        let requirements = declaration.security(of: operation)?.arrayValue ?? []
        if requirements.isEmpty {
            writer.line(dependencies)
        } else {
            writer.line(dependencies + ",")
            renderSecurity(requirements, into: &writer)
        }
        writer.line(")")
    }

    /// A `ParameterDescription` literal: how the runtime reads a parameter's text (or a form
    /// field's) as the JSON its schema validates.
    private func parameterLiteral(name: String, location: ParameterLocation, required: Bool, site: SchemaSite, style written: String?, explode: Bool?) -> String
    {
        let schema = translator.value(at: site) ?? true
        let resolved = resolveForDescription(schema, site: site)
        let type = jsonType(resolved)
        let itemType = type == "array" ? jsonType(resolveForDescription(resolved["items"] ?? true, site: site)) : nil
        let style: String
        if explode != nil, let openAPIStyle = written {
            // OpenAPI: the style as written, with its explode.
            style = "." + openAPIStyle
        } else {
            style = type == "array" ? (written == "commaSeparated" ? ".commaSeparated" : ".form") : ".single"
        }
        var line =
            "ParameterDescription(name: \(SwiftNaming.stringLiteral(name)), location: .\(location.rawValue), required: \(required), schema: \(SwiftNaming.stringLiteral(site.reference)), style: \(style), type: .\(type)"
        if let itemType { line += ", itemType: .\(itemType)" }
        if let value = resolved["default"] { line += ", defaultValue: \(SwiftNaming.stringLiteral(value.compactText))" }
        if let explode { line += ", explode: \(explode)" }
        if type == "object" {
            let properties = (resolved["properties"]?.objectValue ?? JSONObject()).map { name, schema in
                SwiftNaming.stringLiteral(name) + ": ." + jsonType(resolveForDescription(schema, site: site))
            }
            if !properties.isEmpty { line += ", propertyTypes: [" + properties.joined(separator: ", ") + "]" }
        }
        return line + ")"
    }

    /// The fields of a form body: each property of its schema, read as a query parameter of
    /// its type would be (arrays from repeated fields); OpenAPI's `encoding` gives a field's
    /// style and explode.
    /// A `FilePartDescription` literal.
    private static func fileLiteral(_ part: TypeTranslator.FilePart) -> String {
        var line = "FilePartDescription(name: \(SwiftNaming.stringLiteral(part.name)), required: \(part.required)"
        if part.multiple { line += ", multiple: true" }
        if !part.contentTypes.isEmpty { line += ", contentTypes: [" + part.contentTypes.map(SwiftNaming.stringLiteral).joined(separator: ", ") + "]" }
        if let maxBytes = part.maxBytes { line += ", maxBytes: \(maxBytes)" }
        return line + ")"
    }

    /// The entries of a `partHeaders:` dictionary literal: each multipart part's declared
    /// header fields (`encoding.<part>.headers`), as header parameters.
    private func partHeaderLiterals(_ body: BodyDeclaration) -> [String] {
        guard let encodingSite = body.encodingSite else { return [] }
        return body.encoding.compactMap { part, encoding -> String? in
            guard let headers = encoding["headers"]?.objectValue, headers.count > 0 else { return nil }
            let literals = headers.map { name, header in
                parameterLiteral(
                    name: name, location: .header, required: header["required"]?.boolValue ?? false,
                    site: encodingSite.appending(part).appending("headers").appending(name).appending("schema"), style: nil, explode: nil)
            }
            return SwiftNaming.stringLiteral(part) + ": [" + literals.joined(separator: ", ") + "]"
        }
    }

    /// A `BodyLimits` literal of a body's declared limits; nil when it declares none.
    private func limitsLiteral(_ limits: JSONObject) -> String? {
        let arguments = ["maxBytes", "maxParts", "maxFieldBytes"].compactMap { key -> String? in
            guard let value = limits[key]?.numberValue.flatMap({ Int(exactly: $0.double) }), value > 0 else { return nil }
            return "\(key): \(value)"
        }
        return arguments.isEmpty ? nil : "BodyLimits(" + arguments.joined(separator: ", ") + ")"
    }

    private func formFields(_ body: BodyDeclaration, skipping files: Set<String> = []) -> [String] {
        var site = body.schema
        for _ in 0..<8 {
            guard case .string(let reference)? = translator.value(at: site)?["$ref"], let target = translator.resolve(reference, from: site) else { break }
            site = target
        }
        guard let schema = translator.value(at: site), let properties = schema["properties"]?.objectValue else { return [] }
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        return properties.filter { name, _ in !files.contains(name) }.map { name, _ in
            let encoding = body.encoding[name]
            return parameterLiteral(
                name: name, location: .query, required: required.contains(name), site: site.appending("properties").appending(name),
                style: encoding?["style"]?.stringValue, explode: encoding?["explode"]?.boolValue ?? (encoding?["style"] != nil ? true : nil))
        }
    }

    /// A description's `security:` argument: one `SecurityRequirement` per alternative.
    private func renderSecurity(_ requirements: [JSON], into writer: inout CodeWriter) {
        writer.line("    security: [")
        for requirement in requirements {
            let schemes = (requirement.objectValue ?? JSONObject()).map { name, scopes in
                let scopes = (scopes.arrayValue ?? []).compactMap(\.stringValue).map(SwiftNaming.stringLiteral)
                return ".init(name: \(SwiftNaming.stringLiteral(name))" + (scopes.isEmpty ? ")" : ", scopes: [\(scopes.joined(separator: ", "))])")
            }
            writer.line("        SecurityRequirement([\(schemes.joined(separator: ", "))]),")
        }
        writer.line("    ]")
    }

    /// A declared status as a `ResponseDescription.Status` literal: `.code(404)`, `.range(4)`, `.default`.
    static func statusLiteral(_ status: ResponseStatus) -> String {
        switch status {
        case .code(let code): ".code(\(code))"
        case .range(let hundreds): ".range(\(hundreds))"
        case .default: ".default"
        }
    }

    /// The schema behind `$ref`s (for the JSON type of a parameter).
    private func resolveForDescription(_ schema: JSON, site: SchemaSite, depth: Int = 0) -> JSON {
        guard depth < 8, case .string(let reference)? = schema["$ref"], let target = translator.resolve(reference, from: site),
            let value = translator.value(at: target)
        else { return schema }
        return resolveForDescription(value, site: target, depth: depth + 1)
    }

    /// The JSON type a parameter's text is read as: a case of `ParameterDescription.ValueType`.
    private func jsonType(_ schema: JSON) -> String {
        let known: Set<String> = ["string", "integer", "number", "boolean", "array", "object", "null"]
        if case .string(let type)? = schema["type"] { return known.contains(type) ? type : "string" }
        if case .array(let types)? = schema["type"], let first = types.first(where: { $0 != "null" })?.stringValue {
            return known.contains(first) ? first : "string"
        }
        if schema["properties"] != nil || schema["additionalProperties"] != nil { return "object" }
        if case .array(let values)? = schema["enum"] {
            if values.allSatisfy({ $0.kind == .integer }) { return "integer" }
            if values.allSatisfy({ $0.kind == .integer || $0.kind == .real }) { return "number" }
            if values.allSatisfy({ $0.kind == .bool }) { return "boolean" }
        }
        return "string"
    }
}
