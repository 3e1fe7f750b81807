internal import TrellisJSON

/// An operation in Swift terms: what the translation stage makes of an operation of the
/// intermediate form, and all the server back end renders it from. Its nested types are
/// declarations like the models' (cycle breaking sees them before any text is written).
struct SwiftOperation {
    var declaration: OperationDeclaration
    /// The operation's namespace: `GetPet`.
    var typeName: String
    /// The input's members: parameters, body, dependencies.
    var members: [InputMember]
    /// The output's cases, one per declared response.
    var cases: [OutputCase]
    /// Types declared in the operation's namespace (inline parameter, body, header and
    /// response schemas).
    var nested: [TypeDeclaration]

    struct InputMember {
        var swiftName: String
        var type: SwiftType
        var documentation: [String]
        /// The expression that reads it from an `OperationInputSource` named `source`.
        var read: String
        var defaultValue: String?
        /// What the member is of the request (how a client writes it).
        var kind: Kind = .dependency

        enum Kind {
            /// A parameter: its key's literal (`.path("petId")`).
            case parameter(key: String)
            /// The body: JSON (or a form, or multipart), or raw bytes.
            case body(structured: Bool)
            /// A dependency: not part of the request.
            case dependency
            /// The negotiated media type of the answer (the request's `Accept`).
            case responseContentType
        }
    }

    struct OutputCase {
        var name: String
        var status: ResponseStatus
        var payload: SwiftType?
        var kind: String  // json, text, bytes, stream, empty
        var contentType: String?
        var headers: [(name: String, swiftName: String, type: SwiftType, required: Bool)]
        var headersType: String?
        /// For a body in several media types: the enum its payload is (`OkBody`), one case per
        /// media type; the payload then answers its own content type and body.
        var bodyType: String? = nil
        var bodyCases: [BodyCase] = []
    }

    /// One media type of a negotiated response body.
    struct BodyCase {
        var name: String
        var contentType: String
        var payload: SwiftType
        var kind: String  // json, text, bytes
    }

    /// The media types the operation's successful answers come in, when there are several:
    /// what the runtime negotiates with the request's `Accept`.
    var negotiatedContentTypes: [String] {
        var types: [String] = []
        for response in declaration.responses where response.status.isSuccess {
            for content in response.contents where !types.contains(content.contentType) { types.append(content.contentType) }
        }
        return types.count > 1 ? types : []
    }
}

/// A WebSocket route in Swift terms: the types of its messages.
struct SwiftWebSocket {
    var declaration: WebSocketDeclaration
    /// The route's namespace: `AdoptionDesk`.
    var typeName: String
    var receive: SwiftType
    var send: SwiftType
    var nested: [TypeDeclaration]
    /// Its input's members (parameters, dependencies), when it takes one.
    var input: [SwiftOperation.InputMember]? = nil
}

/// The translation stage for operations: the Swift types of each operation's parameters,
/// body, dependencies and responses (through the ``TypeTranslator``, which declares the
/// models they use), before anything is rendered.
struct OperationTranslator {
    let declaration: ServiceDeclaration
    let translator: TypeTranslator

    /// - Parameter dependencies: The dependencies the input reads (nil: the operation's, the
    ///   service's and its tags' included).
    func translate(_ operation: OperationDeclaration, dependencies: [DependencyDeclaration]? = nil) -> SwiftOperation {
        let name = HandlerSignature.typeName(of: operation)
        let qualified = declaration.name + "." + name
        var nested: [TypeDeclaration] = []
        var members: [SwiftOperation.InputMember] = []
        var usedNames: Set<String> = []

        for parameter in operation.parameters {
            let typeBase = Self.nestedTypeName(parameter.name)
            let type = translator.type(for: parameter.schema, name: typeBase, qualifiedName: qualified + "." + typeBase, into: &nested)
            var swiftName = SwiftNaming.memberName(parameter.name)
            if usedNames.contains(swiftName) {
                swiftName = SwiftNaming.escape(SwiftNaming.unescaped(swiftName) + SwiftNaming.typeName(parameter.location.rawValue))
            }
            usedNames.insert(swiftName)
            let schema = translator.value(at: parameter.schema) ?? true
            var defaultValue: String?
            if let value = schema["default"] {
                // The parameter's own types (an inline enum) are not declared anywhere yet.
                translator.pendingLookup = nested
                defaultValue = translator.literal(value, for: type.nonOptional, site: parameter.schema)
                translator.pendingLookup = []
            }
            let base = type.nonOptional
            let key = ".\(parameter.location.rawValue)(\(SwiftNaming.stringLiteral(parameter.name)))"
            let read = "source.parameter(\(key), as: \(base.rendered).self)"
            var stored: SwiftType = base
            var expression: String
            if let defaultValue {
                expression = "try \(read) ?? \(defaultValue)"
            } else if parameter.required {
                expression = "try source.required(\(key), as: \(base.rendered).self)"
            } else {
                stored = .optional(base)
                expression = "try \(read)"
            }
            var docs = ["The \(parameter.location) parameter `\(parameter.name)`" + (parameter.description.map { ": " + $0 } ?? ".")]
            if parameter.deprecated { docs.append("- Warning: deprecated.") }
            members.append(
                SwiftOperation.InputMember(
                    swiftName: swiftName, type: stored, documentation: docs, read: expression, defaultValue: defaultValue, kind: .parameter(key: key)))
        }
        if let body = operation.body {
            let type = translator.type(for: body.schema, name: "Body", qualifiedName: qualified + ".Body", into: &nested)
            let expression: String
            let stored: SwiftType
            if body.isStructured {
                stored = body.required ? type : .optional(type)
                expression = body.required ? "try source.requiredBody(as: \(type.rendered).self)" : "try source.body(as: \(type.rendered).self)"
            } else {
                stored = body.required ? .array(.named("UInt8")) : .optional(.array(.named("UInt8")))
                expression = body.required ? "try source.rawBody() ?? []" : "try source.rawBody()"
            }
            members.append(
                SwiftOperation.InputMember(
                    swiftName: usedNames.contains("body") ? "requestBody" : "body", type: stored,
                    documentation: [
                        "The request body (" + body.contentTypes.map { "`\($0)`" }.joined(separator: " or ") + ")" + (body.description.map { ": " + $0 } ?? ".")
                    ], read: expression,
                    kind: .body(structured: body.isStructured)))
        }
        for dependency in dependencies ?? declaration.dependencies(of: operation) {
            members.append(
                SwiftOperation.InputMember(
                    swiftName: SwiftNaming.memberName(dependency.name), type: .named(dependency.swiftType + ".Value"),
                    documentation: ["The dependency `\(dependency.name)`" + (dependency.description.map { ": " + $0 } ?? ".")],
                    read: "try await source.dependency(\(dependency.swiftType).self)"))
        }

        var cases: [SwiftOperation.OutputCase] = []
        for response in operation.responses {
            var payload: SwiftType?
            var kind = "empty"
            var bodyCases: [SwiftOperation.BodyCase] = []
            let caseName = HTTPStatus.caseName(response.status)
            var bodyType: String?
            let typeBase = "Response" + (response.status == .default ? "Default" : response.status.description)
            if response.stream {
                payload = .named("ResponseStream")
                kind = "stream"
            } else if !response.alternatives.isEmpty {
                let name = SwiftNaming.typeName(SwiftNaming.unescaped(caseName)) + "Body"
                var used: Set<String> = []
                for (index, content) in response.contents.enumerated() {
                    let (contentPayload, contentKind) = bodyPayload(
                        content.contentType, schema: content.schema ?? response.schema, typeBase: typeBase + (index == 0 ? "" : "Alternative\(index)"),
                        qualified: qualified, nested: &nested)
                    var caseName = Self.mediaTypeCaseName(content.contentType, long: false)
                    if used.contains(caseName) { caseName = Self.mediaTypeCaseName(content.contentType, long: true) }
                    while used.contains(caseName) { caseName += "Alternative" }
                    used.insert(caseName)
                    bodyCases.append(
                        SwiftOperation.BodyCase(
                            name: caseName, contentType: content.contentType, payload: contentPayload ?? .array(.named("UInt8")), kind: contentKind))
                }
                bodyType = name
                payload = .named(qualified + ".Output." + name)
                kind = "negotiated"
            } else if let schema = response.schema {
                (payload, kind) = bodyPayload(
                    response.contentType ?? "application/json", schema: schema, typeBase: typeBase, qualified: qualified, nested: &nested)
            }
            var headers: [(name: String, swiftName: String, type: SwiftType, required: Bool)] = []
            // `fields` is the headers type's own member (the header fields it writes).
            var headerNames: Set<String> = ["fields"]
            for header in response.headers {
                let typeBase = Self.nestedTypeName(header.name)
                let type = translator.type(for: header.schema, name: typeBase, qualifiedName: qualified + "." + typeBase, into: &nested)
                let base = SwiftNaming.unescaped(SwiftNaming.memberName(header.name))
                var swiftName = SwiftNaming.memberName(header.name)
                var suffix = 2
                while headerNames.contains(SwiftNaming.unescaped(swiftName)) {
                    swiftName = SwiftNaming.escape(base + (suffix == 2 ? "Header" : "Header\(suffix - 1)"))
                    suffix += 1
                }
                headerNames.insert(SwiftNaming.unescaped(swiftName))
                headers.append((header.name, swiftName, header.required ? type.nonOptional : .optional(type.nonOptional), header.required))
            }
            cases.append(
                SwiftOperation.OutputCase(
                    name: caseName, status: response.status, payload: payload, kind: kind,
                    contentType: response.schema == nil && !response.stream || bodyType != nil ? nil : response.contentType,
                    headers: headers, headersType: headers.isEmpty ? nil : SwiftNaming.typeName(SwiftNaming.unescaped(caseName)) + "Headers",
                    bodyType: bodyType, bodyCases: bodyCases))
        }
        var result = SwiftOperation(declaration: operation, typeName: name, members: members, cases: cases, nested: nested)
        let negotiated = result.negotiatedContentTypes
        if let preferred = negotiated.first {
            let swiftName = members.contains { $0.swiftName == "responseContentType" } ? "negotiatedContentType" : "responseContentType"
            result.members.append(
                SwiftOperation.InputMember(
                    swiftName: swiftName, type: .string,
                    documentation: [
                        "The media type to answer in: of those the operation answers (" + negotiated.map { "`\($0)`" }.joined(separator: ", ")
                            + "), the one the request's `Accept` prefers."
                    ],
                    read: "source.responseContentType ?? \(SwiftNaming.stringLiteral(preferred))", defaultValue: SwiftNaming.stringLiteral(preferred),
                    kind: .responseContentType))
        }
        return result
    }

    /// The Swift type of a body in `contentType` and how it is written: a JSON type's model,
    /// a `text/` type's `String`, bytes otherwise.
    private func bodyPayload(
        _ contentType: String, schema: SchemaSite?, typeBase: String, qualified: String, nested: inout [TypeDeclaration]
    ) -> (SwiftType?, String) {
        if Self.isJSON(contentType), let schema {
            return (translator.type(for: schema, name: typeBase, qualifiedName: qualified + "." + typeBase, into: &nested), "json")
        }
        if contentType.lowercased().hasPrefix("text/") { return (.string, "text") }
        return (.array(.named("UInt8")), "bytes")
    }

    /// The case of a negotiated body for a media type: its subtype (`text/csv` → `csv`,
    /// `application/problem+json` → `problemJson`), or with `long`, the whole type (`textCsv`).
    static func mediaTypeCaseName(_ contentType: String, long: Bool) -> String {
        let essence = contentType.split(separator: ";").first.map(String.init) ?? contentType
        let words = long ? essence : String(essence.split(separator: "/").last ?? Substring(essence))
        return SwiftNaming.memberName(String(words.map { $0 == "+" ? "-" : $0 }))
    }

    func translate(_ webSocket: WebSocketDeclaration) -> SwiftWebSocket {
        let name = SwiftNaming.typeName(webSocket.id)
        let qualified = declaration.name + "." + name
        var nested: [TypeDeclaration] = []
        let receive = translator.type(for: webSocket.receive, name: "ReceivedMessage", qualifiedName: qualified + ".ReceivedMessage", into: &nested)
        let send = translator.type(for: webSocket.send, name: "SentMessage", qualifiedName: qualified + ".SentMessage", into: &nested)
        var input: [SwiftOperation.InputMember]?
        if webSocket.takesInput {
            // Its input is an operation's: the same members, read from the upgrade request.
            let translated = translate(webSocket.asOperation, dependencies: webSocket.dependencies.compactMap { declaration.dependencies[$0] })
            input = translated.members
            nested += translated.nested
        }
        return SwiftWebSocket(declaration: webSocket, typeName: name, receive: receive, send: send, nested: nested, input: input)
    }

    /// The name of a type nested in an operation's namespace for a parameter or header: never
    /// one Swift reserves for member types (`Type`), nor one generated code uses there.
    static func nestedTypeName(_ jsonName: String) -> String {
        let base = SwiftNaming.typeName(jsonName)
        return SwiftNaming.reservedTypeNames.contains(base) || ["Body", "Headers"].contains(base) ? base + "Value" : base
    }

    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.lowercased()
        return type == "application/json" || type.hasSuffix("+json")
    }
}
