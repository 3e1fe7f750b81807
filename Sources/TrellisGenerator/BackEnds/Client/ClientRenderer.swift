internal import TrellisJSON

/// The client back end: renders `<Service>Client`, one `async throws` method per operation
/// that takes the operation's parameters and body (and, when the operation has no
/// dependencies, its `Input` itself) and returns its `Output`, which it reads from the answer
/// with the same types the server answers with. Requests are written by the `TrellisClient`
/// runtime from each operation's description, as the server's runtime reads them.
///
/// Bodies are sent as JSON when the operation takes JSON, else as a form or multipart body;
/// streamed answers are read as they arrive (`ResponseStream`, and its `events`).
struct ClientRenderer {
    let declaration: ServiceDeclaration
    let access: String

    var namespace: String { declaration.name }
    var clientName: String { declaration.name + "Client" }

    /// How a structured body is sent: JSON when the operation takes it, else as a form or
    /// multipart body.
    static func bodyWriter(_ operation: SwiftOperation) -> String {
        guard let body = operation.declaration.body, !body.contentTypes.contains(where: OperationTranslator.isJSON) else { return "jsonBody" }
        if body.contentTypes.contains(where: { $0.lowercased() == "application/x-www-form-urlencoded" }) { return "formBody" }
        if body.contentTypes.contains(where: { $0.lowercased() == "multipart/form-data" }) { return "multipartBody" }
        return "jsonBody"
    }

    /// The statuses whose answers are streamed, as ranges of codes (a range or `default` less
    /// the codes declared apart); empty when none is.
    static func streamedStatuses(_ operation: SwiftOperation) -> [String] {
        let declaredCodes = operation.cases.compactMap { if case .code(let code) = $0.status { code } else { nil } }
        var ranges: [String] = []
        for item in operation.cases where item.kind == "stream" {
            let (low, high): (Int, Int)
            switch item.status {
            case .code(let code):
                ranges.append("\(code)...\(code)")
                continue
            case .range(let hundreds): (low, high) = (hundreds * 100, hundreds * 100 + 99)
            case .default: (low, high) = (100, 599)
            }
            let excluded = Set(
                declaredCodes
                    + operation.cases.flatMap { other -> [Int] in
                        guard item.status == .default, case .range(let hundreds) = other.status else { return [] }
                        return Array(hundreds * 100...hundreds * 100 + 99)
                    })
            var start: Int?
            for code in low...(high + 1) {
                if code <= high, !excluded.contains(code) {
                    if start == nil { start = code }
                } else if let first = start {
                    ranges.append("\(first)...\(code - 1)")
                    start = nil
                }
            }
        }
        return ranges
    }

    func render(_ operations: [SwiftOperation]) -> String {
        var writer = CodeWriter()
        writer.line("import TrellisClient")
        writer.line()
        let supported = operations
        let names = Set(operations.map { HandlerSignature.methodName(of: $0.declaration) })
        let core = names.contains("client") ? "operationClient" : "client"
        let documentation = [
            "A client of \(declaration.info["title"]?.stringValue ?? namespace): one `async` method per operation, with the types the service is served with.",
            "",
            "```swift",
            "let client = try \(clientName)(baseURL: \"http://127.0.0.1:8080\", transport: transport)",
            "```",
        ]
        writer.documentation(documentation)
        writer.block("\(access) struct \(clientName): Sendable") { w in
            w.documentation(["Where requests go, through what, and the middleware around them."])
            w.line("\(access) let \(core): OperationClient")
            w.line()
            w.documentation([
                "A client of the server at `baseURL` (`http://host:port`, or with a path prefix), through `transport`.",
                "",
                "`validation` checks requests and answers against the service's schemas on the client's side (by default in debug builds only).",
                "- Throws: `TrellisClientError.invalidBaseURL` when it is not an absolute http(s) URL.",
            ])
            w.block(
                "\(access) init(baseURL: String, transport: any ClientTransport, middlewares: [any ClientMiddleware] = [], validation: ClientValidation = .default) throws"
            ) { b in
                b.line("self.\(core) = try OperationClient(")
                b.line(
                    "    baseURL: baseURL, transport: transport, middlewares: middlewares, service: \(namespace).serviceDescription, validation: validation)")
            }
            w.line()
            w.documentation(["A client over `client`."])
            w.line("\(access) init(_ client: OperationClient) { self.\(core) = client }")
            for operation in supported {
                w.line()
                render(operation, core: core, into: &w)
            }
        }
        for operation in supported {
            writer.line()
            renderOutputReader(operation, into: &writer)
        }
        return writer.text
    }

    private func render(_ operation: SwiftOperation, core: String, into writer: inout CodeWriter) {
        let type = namespace + "." + operation.typeName
        let method = HandlerSignature.methodName(of: operation.declaration)
        let sent = operation.members.filter { if case .dependency = $0.kind { false } else { true } }
        let parameters = sent.map { member -> String in
            var text = "\(member.swiftName): \(member.type.rendered)"
            if let value = member.defaultValue { text += " = \(value)" } else if member.type.isOptional { text += " = nil" }
            return text
        }
        writer.documentation(
            HandlerSignature.documentation(of: operation.declaration) + [
                "- Throws: `TrellisClientError` for an answer the operation does not declare, or that cannot be read; what the transport throws."
            ])
        writer.block("\(access) func \(method)(\(parameters.joined(separator: ", "))) async throws -> \(type).Output") { b in
            let streamed = Self.streamedStatuses(operation)
            b.line("\(sent.isEmpty && streamed.isEmpty ? "let" : "var") trellisRequest = OperationRequest(\(type).operationDescription)")
            if !streamed.isEmpty { b.line("trellisRequest.streamedStatuses = [\(streamed.joined(separator: ", "))]") }
            for member in sent {
                switch member.kind {
                case .parameter(let key): b.line("try trellisRequest.parameter(\(key), \(member.swiftName))")
                case .body(let structured):
                    b.line(structured ? "try trellisRequest.\(Self.bodyWriter(operation))(\(member.swiftName))" : "trellisRequest.rawBody(\(member.swiftName))")
                case .responseContentType: b.line("trellisRequest.accept(\(member.swiftName))")
                case .dependency: break
                }
            }
            b.line("return try await \(core).send(trellisRequest, as: \(type).Output.self)")
        }
        // The operation's own input, when a client can make one (no dependency in it).
        guard sent.count == operation.members.count else { return }
        writer.line()
        writer.documentation(HandlerSignature.documentation(of: operation.declaration) + ["", "Sends `input`'s parameters and body."])
        writer.block("\(access) func \(method)(_ input: \(type).Input) async throws -> \(type).Output") { b in
            let arguments = sent.map { "\($0.swiftName): input.\($0.swiftName)" }
            b.line("try await \(method)(\(arguments.joined(separator: ", ")))")
        }
    }

    /// `Output.init(clientResponse:)`: a case per declared status, codes first, then ranges,
    /// then `default`.
    private func renderOutputReader(_ operation: SwiftOperation, into writer: inout CodeWriter) {
        let type = namespace + "." + operation.typeName + ".Output"
        writer.block("extension \(type): ClientOperationOutput") { w in
            w.documentation(["Reads the answer: its status's case, with its body and headers."])
            w.block("\(access) init(clientResponse response: ClientResponse) throws(TrellisClientError)") { b in
                let ordered =
                    operation.cases.filter { !$0.status.isRange } + operation.cases.filter { if case .range = $0.status { true } else { false } }
                    + operation.cases.filter { $0.status == .default }
                b.line("switch response.statusCode {")
                for item in ordered {
                    switch item.status {
                    case .code(let code): b.line("case \(code):")
                    case .range(let hundreds): b.line("case \(hundreds * 100)...\(hundreds * 100 + 99):")
                    case .default: b.line("default:")
                    }
                    b.indent { c in
                        if item.kind == "negotiated" {
                            c.line("switch response.mediaType {")
                            for body in item.bodyCases {
                                c.line("case \(SwiftNaming.stringLiteral(body.contentType.lowercased())):")
                                c.indent { d in d.line("self = \(construct(item, payload: ".\(body.name)(\(read(kind: body.kind, payload: body.payload)))"))") }
                            }
                            c.line("default:")
                            c.indent { d in
                                let expected = item.bodyCases.map(\.contentType).joined(separator: " or ")
                                d.line(
                                    "throw .unexpectedContentType(status: response.statusCode, contentType: response.mediaType, expected: \(SwiftNaming.stringLiteral(expected)), body: response.body)"
                                )
                            }
                            c.line("}")
                        } else {
                            let payload = item.payload.map { read(kind: item.kind, payload: $0) }
                            c.line("self = \(construct(item, payload: payload))")
                        }
                    }
                }
                if !operation.cases.contains(where: { $0.status == .default }) {
                    b.line("default:")
                    b.indent { c in c.line("throw response.undeclaredStatus()") }
                }
                b.line("}")
            }
        }
    }

    /// The case with its arguments: the status of a range or `default`, the payload, the headers.
    private func construct(_ item: SwiftOperation.OutputCase, payload: String?) -> String {
        var arguments: [String] = []
        if item.status.isRange { arguments.append("statusCode: response.statusCode") }
        if let payload { arguments.append(payload) }
        if let headersType = item.headersType {
            let headers = item.headers.map { header in
                let read = header.required ? "requiredHeader" : "header"
                return "\(header.swiftName): try response.\(read)(\(SwiftNaming.stringLiteral(header.name)), as: \(header.type.nonOptional.rendered).self)"
            }
            arguments.append("headers: \(headersType)(\(headers.joined(separator: ", ")))")
        }
        return ".\(item.name)" + (arguments.isEmpty ? "" : "(" + arguments.joined(separator: ", ") + ")")
    }

    /// The expression that reads a body of `kind` as `payload`.
    private func read(kind: String, payload: SwiftType) -> String {
        switch kind {
        case "json": "try response.json(\(payload.rendered).self)"
        case "text": "try response.text()"
        case "stream": "response.streamedBody()"
        default: "response.bytes()"
        }
    }
}
