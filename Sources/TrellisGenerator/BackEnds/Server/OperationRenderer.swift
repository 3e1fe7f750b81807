internal import TrellisJSON

/// Renders a service's operations (inputs and outputs), its protocol, and the glue the
/// runtime calls.
struct OperationRenderer {
    let declaration: ServiceDeclaration
    let translator: TypeTranslator
    let access = "public"

    var namespace: String { declaration.name }
    var protocolName: String { HandlerSignature.protocolName(forService: declaration.name) }

    func typeName(of operation: OperationDeclaration) -> String { HandlerSignature.typeName(of: operation) }
    func methodName(of operation: OperationDeclaration) -> String { HandlerSignature.methodName(of: operation) }

    /// The dependencies of an operation: service-wide, then its tags', then its own.
    func dependencies(of operation: OperationDeclaration) -> [DependencyDeclaration] {
        var names = declaration.globalDependencies
        for tag in operation.tags { names += declaration.tags.first { $0.name == tag }?.dependencies ?? [] }
        names += operation.dependencies
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }.compactMap { declaration.dependencies[$0] }
    }

    /// The Swift types of the declared dependencies, each once: in the order operations use
    /// them, then the unused ones by name.
    func dependencyTypes() -> [String] {
        var names: [String] = []
        for operation in declaration.operations { names += dependencies(of: operation).map(\.name) }
        names += declaration.dependencies.keys.sorted()
        var seen: Set<String> = []
        return names.compactMap { declaration.dependencies[$0]?.swiftType }.filter { seen.insert($0).inserted }
    }

    // MARK: - Operations file

    func renderOperations() -> String {
        var writer = CodeWriter()
        writer.documentation(["The operations of \(declaration.info["title"]?.stringValue ?? namespace): one namespace each, with its input and output.", "", "Generated from the service declaration."])
        writer.block("\(access) enum \(namespace)") { w in
            for (index, operation) in declaration.operations.enumerated() {
                if index > 0 { w.line() }
                renderOperation(operation, into: &w)
            }
            for webSocket in declaration.webSockets {
                w.line()
                renderWebSocket(webSocket, into: &w)
            }
        }
        return writer.text
    }

    /// The service's namespace alone (its operations in extensions of it, one file each
    /// group; see ``renderOperation(_:)``), for large services split across files.
    func renderNamespace() -> String {
        var writer = CodeWriter()
        writer.documentation(["The operations of \(declaration.info["title"]?.stringValue ?? namespace): one namespace each, with its input and output.", "", "Generated from the service declaration."])
        writer.line("\(access) enum \(namespace) {}")
        return writer.text
    }

    /// One operation's namespace, in an extension of the service's.
    func renderOperation(_ operation: OperationDeclaration) -> String {
        var writer = CodeWriter()
        writer.block("extension \(namespace)") { w in renderOperation(operation, into: &w) }
        return writer.text
    }

    // MARK: WebSockets

    /// A WebSocket's namespace: its id and the types of the messages each way.
    private func renderWebSocket(_ webSocket: WebSocketDeclaration, into writer: inout CodeWriter) {
        let name = SwiftNaming.typeName(webSocket.id)
        let qualified = namespace + "." + name
        var nested: [TypeDeclaration] = []
        let receive = translator.type(for: webSocket.receive, name: "ReceivedMessage", qualifiedName: qualified + ".ReceivedMessage", into: &nested)
        let send = translator.type(for: webSocket.send, name: "SentMessage", qualifiedName: qualified + ".SentMessage", into: &nested)
        writer.documentation(HandlerSignature(webSocket: webSocket, namespace: namespace).documentation)
        writer.block("\(access) enum \(name)") { w in
            w.documentation(["The route's id."])
            w.line("\(access) static let id = \(SwiftNaming.stringLiteral(webSocket.id))")
            w.line()
            w.documentation(["A message from the client (validated against the declared `receive` schema before it is decoded)."])
            w.line("\(access) typealias Receive = \(receive.rendered)")
            w.documentation(["A message to the client."])
            w.line("\(access) typealias Send = \(send.rendered)")
            let renderer = ModelRenderer()
            for declaration in nested {
                w.line()
                renderer.render(declaration, into: &w)
            }
        }
    }

    private func summary(_ operation: OperationDeclaration) -> [String] { HandlerSignature.documentation(of: operation) }

    private struct InputMember {
        var swiftName: String
        var type: SwiftType
        var documentation: [String]
        var read: String
        var defaultValue: String?
    }

    private func renderOperation(_ operation: OperationDeclaration, into writer: inout CodeWriter) {
        let name = typeName(of: operation)
        let qualified = namespace + "." + name
        var nested: [TypeDeclaration] = []
        var members: [InputMember] = []
        var usedNames: Set<String> = []

        for parameter in operation.parameters {
            let typeBase = Self.nestedTypeName(parameter.name)
            let type = translator.type(for: parameter.schema, name: typeBase, qualifiedName: qualified + "." + typeBase, into: &nested)
            var swiftName = SwiftNaming.memberName(parameter.name)
            if usedNames.contains(swiftName) { swiftName = SwiftNaming.escape(SwiftNaming.unescaped(swiftName) + SwiftNaming.typeName(parameter.location)) }
            usedNames.insert(swiftName)
            let schema = translator.value(at: parameter.schema) ?? true
            var defaultValue: String?
            if let value = schema["default"] { defaultValue = translator.literal(value, for: type.nonOptional, site: parameter.schema) }
            let base = type.nonOptional
            let read = "source.parameter(\(SwiftNaming.stringLiteral(parameter.name)), in: .\(parameter.location), as: \(base.rendered).self)"
            var stored: SwiftType = base
            var expression: String
            if let defaultValue {
                expression = "try \(read) ?? \(defaultValue)"
            } else if parameter.required {
                expression = "try source.required(\(SwiftNaming.stringLiteral(parameter.name)), in: .\(parameter.location), as: \(base.rendered).self)"
            } else {
                stored = .optional(base)
                expression = "try \(read)"
            }
            var docs = ["The \(parameter.location) parameter `\(parameter.name)`" + (parameter.description.map { ": " + $0 } ?? ".")]
            if parameter.deprecated { docs.append("- Warning: deprecated.") }
            members.append(InputMember(swiftName: swiftName, type: stored, documentation: docs, read: expression, defaultValue: defaultValue))
        }
        if let body = operation.body {
            let type = bodyType(body, operationName: name, qualified: qualified, nested: &nested)
            let expression: String
            let stored: SwiftType
            if isJSON(body.contentType) {
                stored = body.required ? type : .optional(type)
                expression = body.required ? "try source.requiredBody(as: \(type.rendered).self)" : "try source.body(as: \(type.rendered).self)"
            } else {
                stored = body.required ? .array(.named("UInt8")) : .optional(.array(.named("UInt8")))
                expression = body.required ? "try source.rawBody() ?? []" : "try source.rawBody()"
            }
            members.append(InputMember(
                swiftName: usedNames.contains("body") ? "requestBody" : "body", type: stored,
                documentation: ["The request body (`\(body.contentType)`)" + (body.description.map { ": " + $0 } ?? ".")], read: expression))
        }
        for dependency in dependencies(of: operation) {
            members.append(InputMember(
                swiftName: SwiftNaming.memberName(dependency.name), type: .named(dependency.swiftType + ".Value"),
                documentation: ["The dependency `\(dependency.name)`" + (dependency.description.map { ": " + $0 } ?? ".")],
                read: "try await source.dependency(\(dependency.swiftType).self)"))
        }

        writer.documentation(summary(operation))
        writer.block("\(access) enum \(name)") { w in
            w.documentation(["The operation's id."])
            w.line("\(access) static let id = \(SwiftNaming.stringLiteral(operation.id))")
            w.line()
            w.documentation(["What the handler receives: parameters, body and dependencies, validated and typed."])
            w.block("\(access) struct Input: Sendable") { i in
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
            w.line()
            renderOutput(operation, qualified: qualified, nested: &nested, into: &w)
            let renderer = ModelRenderer()
            for declaration in nested {
                w.line()
                renderer.render(declaration, into: &w)
            }
        }
    }

    /// The name of a type nested in an operation's namespace for a parameter or header: never
    /// one Swift reserves for member types (`Type`), nor one generated code uses there.
    static func nestedTypeName(_ jsonName: String) -> String {
        let base = SwiftNaming.typeName(jsonName)
        return SwiftNaming.reservedTypeNames.contains(base) || ["Body", "Headers"].contains(base) ? base + "Value" : base
    }

    private func isJSON(_ contentType: String) -> Bool {
        let type = contentType.lowercased()
        return type == "application/json" || type.hasSuffix("+json")
    }

    private func bodyType(_ body: BodyDeclaration, operationName: String, qualified: String, nested: inout [TypeDeclaration]) -> SwiftType {
        translator.type(for: body.schema, name: "Body", qualifiedName: qualified + ".Body", into: &nested)
    }

    // MARK: Output

    private struct OutputCase {
        var name: String
        var status: String
        var payload: SwiftType?
        var kind: String  // json, text, bytes, empty
        var contentType: String?
        var headers: [(name: String, swiftName: String, type: SwiftType, required: Bool)]
        var headersType: String?
    }

    private func renderOutput(_ operation: OperationDeclaration, qualified: String, nested: inout [TypeDeclaration], into writer: inout CodeWriter) {
        var cases: [OutputCase] = []
        for response in operation.responses {
            var payload: SwiftType?
            var kind = "empty"
            if response.stream {
                payload = .named("ResponseStream")
                kind = "stream"
            } else if let schema = response.schema {
                let contentType = response.contentType ?? "application/json"
                let typeBase = "Response" + (response.status == "default" ? "Default" : response.status)
                if isJSON(contentType) {
                    payload = translator.type(for: schema, name: typeBase, qualifiedName: qualified + "." + typeBase, into: &nested)
                    kind = "json"
                } else if contentType.lowercased().hasPrefix("text/") {
                    payload = .string
                    kind = "text"
                } else {
                    payload = .array(.named("UInt8"))
                    kind = "bytes"
                }
            }
            var headers: [(name: String, swiftName: String, type: SwiftType, required: Bool)] = []
            for header in response.headers {
                let typeBase = Self.nestedTypeName(header.name)
                let type = translator.type(for: header.schema, name: typeBase, qualifiedName: qualified + "." + typeBase, into: &nested)
                headers.append((header.name, SwiftNaming.memberName(header.name), header.required ? type.nonOptional : .optional(type.nonOptional), header.required))
            }
            let caseName = HTTPStatus.caseName(response.status)
            cases.append(OutputCase(
                name: caseName, status: response.status, payload: payload, kind: kind, contentType: response.schema == nil && !response.stream ? nil : response.contentType,
                headers: headers, headersType: headers.isEmpty ? nil : SwiftNaming.typeName(SwiftNaming.unescaped(caseName)) + "Headers"))
        }

        writer.documentation(["What the handler answers: one case per declared response."])
        writer.block("\(access) enum Output: OperationOutput") { w in
            for item in cases {
                let reason = HTTPStatus.reason(item.status)
                w.documentation(["`\(item.status)` \(reason)" + (operation.responses.first { $0.status == item.status }.map { $0.description == reason ? "" : ": " + $0.description } ?? "")])
                var associated: [String] = []
                if HTTPStatus.isRange(item.status) { associated.append("statusCode: Int") }
                if let payload = item.payload { associated.append(payload.rendered) }
                if let headersType = item.headersType { associated.append("headers: \(headersType)") }
                w.line("case \(item.name)" + (associated.isEmpty ? "" : "(" + associated.joined(separator: ", ") + ")"))
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
                }
            }

            func pattern(_ item: OutputCase, binding: [String]) -> String {
                var parts: [String] = []
                if HTTPStatus.isRange(item.status) { parts.append(binding.contains("status") ? "let status" : "_") }
                if item.payload != nil { parts.append(binding.contains("value") ? "let value" : "_") }
                if item.headersType != nil { parts.append(binding.contains("headers") ? "let headers" : "_") }
                if parts.allSatisfy({ $0 == "_" }) { return ".\(item.name)" }
                return ".\(item.name)(" + parts.joined(separator: ", ") + ")"
            }

            w.line()
            w.block("\(access) var statusCode: Int") { p in
                p.switchBlock("self") { s in
                    for item in cases {
                        s.line("case \(pattern(item, binding: ["status"])): \(HTTPStatus.isRange(item.status) ? "status" : item.status)")
                    }
                }
            }
            w.line()
            w.block("\(access) var contentType: String?") { p in
                p.switchBlock("self") { s in
                    for item in cases {
                        s.line("case \(pattern(item, binding: [])): \(item.contentType.map(SwiftNaming.stringLiteral) ?? "nil")")
                    }
                }
            }
            w.line()
            w.block("\(access) var headers: [(name: String, value: String)]") { p in
                p.switchBlock("self") { s in
                    for item in cases {
                        if item.headers.isEmpty {
                            s.line("case \(pattern(item, binding: [])): return []")
                        } else {
                            s.line("case \(pattern(item, binding: ["headers"])):")
                            s.line("    var result: [(name: String, value: String)] = []")
                            for header in item.headers {
                                if header.type.isOptional {
                                    s.line("    if let value = headers.\(header.swiftName) { result.append((\(SwiftNaming.stringLiteral(header.name)), String(describing: value))) }")
                                } else {
                                    s.line("    result.append((\(SwiftNaming.stringLiteral(header.name)), String(describing: headers.\(header.swiftName))))")
                                }
                            }
                            s.line("    return result")
                        }
                    }
                }
            }
            w.line()
            w.block("\(access) var body: OutputBody") { p in
                p.switchBlock("self") { s in
                    for item in cases {
                        switch item.kind {
                        case "json": s.line("case \(pattern(item, binding: ["value"])): .json(value)")
                        case "text": s.line("case \(pattern(item, binding: ["value"])): .text(value)")
                        case "bytes": s.line("case \(pattern(item, binding: ["value"])): .bytes(value)")
                        case "stream": s.line("case \(pattern(item, binding: ["value"])): .stream(value)")
                        default: s.line("case \(pattern(item, binding: [])): .empty")
                        }
                    }
                }
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
            w.documentation(["Runs the operation `id` with this implementation, reading its input from `source`.", "This is what the runtime calls for every request."])
            w.block("\(access) func handle<Source: OperationInputSource>(operation id: String, from source: Source) async throws -> any OperationOutput") { b in
                // The switch picks a closure and the function awaits once: an `await` per case
                // in one async function makes its coroutine splitting grow with the service.
                b.line("let run: (Self, Source) async throws -> any OperationOutput")
                b.switchBlock("id") { s in
                    for operation in declaration.operations {
                        let type = namespace + "." + typeName(of: operation)
                        s.line("case \(type).id: run = { try await $0.\(methodName(of: operation))(try await \(type).Input(from: $1)) }")
                    }
                    s.line("default: throw NotImplementedError(operation: id)")
                }
                b.line("return try await run(self, source)")
            }
            if !declaration.webSockets.isEmpty {
                w.line()
                w.documentation(["Runs the WebSocket route `id` with this implementation on an upgraded connection."])
                w.block("\(access) func handleWebSocket(_ id: String, transport: some WebSocketTransport) async throws") { b in
                    b.switchBlock("id") { s in
                        for webSocket in declaration.webSockets {
                            let type = namespace + "." + SwiftNaming.typeName(webSocket.id)
                            s.line("case \(type).id: try await \(SwiftNaming.memberName(webSocket.id))(WebSocketSession(transport: transport))")
                        }
                        s.line("default: throw NotImplementedError(operation: id)")
                    }
                }
            }
        }
        writer.line()
        writer.block("extension \(namespace)") { w in
            w.documentation(["The service as data: operations, parameters, schemas and the OpenAPI document."])
            w.line("\(access) static let serviceDescription = ServiceDescription(")
            w.line("    name: \(SwiftNaming.stringLiteral(namespace)),")
            w.line("    openAPIDocument: openAPIDocument,")
            w.line("    schemaDocuments: schemaDocuments,")
            w.line("    operations: [")
            // One `static let` per operation: one small expression each for the type checker,
            // where a single literal of hundreds of operations costs gigabytes to check.
            for operation in declaration.operations { w.line("        \(namespace).\(typeName(of: operation)).operationDescription,") }
            if declaration.webSockets.isEmpty {
                w.line("    ]")
            } else {
                w.line("    ],")
                w.line("    webSockets: [")
                for webSocket in declaration.webSockets {
                    w.line("        WebSocketDescription(id: \(SwiftNaming.stringLiteral(webSocket.id)), path: \(SwiftNaming.stringLiteral(webSocket.path)), receive: \(SwiftNaming.stringLiteral(webSocket.receive.reference)), send: \(SwiftNaming.stringLiteral(webSocket.send.reference))),")
                }
                w.line("    ]")
            }
            w.line(")")
        }
        for operation in declaration.operations {
            writer.line()
            writer.block("extension \(namespace).\(typeName(of: operation))") { w in
                w.documentation(["`\(operation.method) \(operation.path)` as data, for the runtime."])
                renderDescription(operation, into: &w)
            }
        }
        return writer.text
    }

    private func serviceDocumentation() -> [String] {
        guard let description = declaration.info["description"]?.stringValue else { return [] }
        return [""] + description.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    private func renderDescription(_ operation: OperationDeclaration, into writer: inout CodeWriter) {
        writer.line("\(access) static let operationDescription = OperationDescription(")
        writer.line("    id: \(SwiftNaming.stringLiteral(operation.id)), method: \(SwiftNaming.stringLiteral(operation.method)), path: \(SwiftNaming.stringLiteral(operation.path)),")
        var parameters = operation.parameters
        for dependency in dependencies(of: operation) { parameters += dependency.parameters }
        if parameters.isEmpty {
            writer.line("    parameters: [],")
        } else {
            writer.line("    parameters: [")
            for parameter in parameters {
                let schema = translator.value(at: parameter.schema) ?? true
                let resolved = resolveForDescription(schema, site: parameter.schema)
                let type = jsonType(resolved)
                let itemType = type == "array" ? jsonType(resolveForDescription(resolved["items"] ?? true, site: parameter.schema)) : nil
                let style: String
                if parameter.explode != nil, let openAPIStyle = parameter.style {
                    // OpenAPI: the style as written, with its explode.
                    style = "." + openAPIStyle
                } else {
                    style = type == "array" ? (parameter.style == "commaSeparated" ? ".commaSeparated" : ".form") : ".single"
                }
                var line = "        ParameterDescription(name: \(SwiftNaming.stringLiteral(parameter.name)), location: .\(parameter.location), required: \(parameter.required), schema: \(SwiftNaming.stringLiteral(parameter.schema.reference)), style: \(style), type: \(SwiftNaming.stringLiteral(type))"
                if let itemType { line += ", itemType: \(SwiftNaming.stringLiteral(itemType))" }
                if let value = resolved["default"] { line += ", defaultValue: \(SwiftNaming.stringLiteral(value.compactText))" }
                if let explode = parameter.explode { line += ", explode: \(explode)" }
                if type == "object" {
                    let properties = (resolved["properties"]?.objectValue ?? JSONObject()).map { name, schema in
                        SwiftNaming.stringLiteral(name) + ": " + SwiftNaming.stringLiteral(jsonType(resolveForDescription(schema, site: parameter.schema)))
                    }
                    if !properties.isEmpty { line += ", propertyTypes: [" + properties.joined(separator: ", ") + "]" }
                }
                writer.line(line + "),")
            }
            writer.line("    ],")
        }
        if let body = operation.body {
            writer.line("    body: BodyDescription(contentType: \(SwiftNaming.stringLiteral(body.contentType)), required: \(body.required), schema: \(SwiftNaming.stringLiteral(body.schema.reference))),")
        } else {
            writer.line("    body: nil,")
        }
        writer.line("    responses: [")
        for response in operation.responses {
            writer.line("        ResponseDescription(status: \(SwiftNaming.stringLiteral(response.status)), contentType: \(response.contentType.map(SwiftNaming.stringLiteral) ?? "nil"), schema: \(response.schema.map { SwiftNaming.stringLiteral($0.reference) } ?? "nil")),")
        }
        writer.line("    ],")
        writer.line("    dependencies: [\(dependencies(of: operation).map { SwiftNaming.stringLiteral($0.name) }.joined(separator: ", "))]")
        writer.line(")")
    }

    /// The schema behind `$ref`s (for the JSON type of a parameter).
    private func resolveForDescription(_ schema: JSON, site: SchemaSite, depth: Int = 0) -> JSON {
        guard depth < 8, case .string(let reference)? = schema["$ref"], let target = translator.resolve(reference, from: site),
            let value = translator.value(at: target)
        else { return schema }
        return resolveForDescription(value, site: target, depth: depth + 1)
    }

    private func jsonType(_ schema: JSON) -> String {
        if case .string(let type)? = schema["type"] { return type }
        if case .array(let types)? = schema["type"], let first = types.first(where: { $0 != "null" })?.stringValue { return first }
        if schema["properties"] != nil || schema["additionalProperties"] != nil { return "object" }
        if case .array(let values)? = schema["enum"] {
            if values.allSatisfy({ $0.kind == .integer }) { return "integer" }
            if values.allSatisfy({ $0.kind == .integer || $0.kind == .real }) { return "number" }
            if values.allSatisfy({ $0.kind == .bool }) { return "boolean" }
        }
        return "string"
    }
}
