internal import HTTPTypes
import Synchronization
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// A service ready to serve: its operations with compiled validators, and a route trie.
struct CompiledService: Sendable {
    /// A parameter, ready to read (a class: requests pass it around, and a copy is then one
    /// retain rather than one per field).
    final class Parameter: Sendable {
        let description: ParameterDescription
        let validator: Validator
        let defaultValue: JSON?
        /// What generated inputs ask for it by.
        let key: ParameterKey
        /// Its member's name in the one document a request's parameter values are validated in
        /// (its position: a path and a query parameter may share a name).
        let slot: String
        /// Where an issue of this parameter is (`["path", "petId"]`).
        let loc: [JSON]
        /// For a path parameter, its position among the template's parameters.
        let pathIndex: Int?
        /// The header's name, for a header parameter.
        let headerName: HTTPField.Name?

        init(
            description: ParameterDescription, validator: Validator, defaultValue: JSON?, slot: String, loc: [JSON],
            pathIndex: Int?, headerName: HTTPField.Name?
        ) {
            self.description = description
            self.validator = validator
            self.defaultValue = defaultValue
            self.key = description.key
            self.slot = slot
            self.loc = loc
            self.pathIndex = pathIndex
            self.headerName = headerName
        }
    }

    struct Body: Sendable {
        let description: BodyDescription
        let validator: Validator
        /// The accepted media types, lowercased, each with how it is read.
        let mediaTypes: [(type: String, reading: Reading)]
        /// Whether a JSON type is among them (then `application/json` and every `+json` type is).
        let acceptsJSON: Bool
        /// Whether `multipart/form-data` is among them (read as it arrives, not collected).
        let streams: Bool

        /// How a body is read.
        enum Reading: Sendable {
            /// Parsed as JSON, validated, decoded.
            case json
            /// Read field by field into an object, validated, decoded.
            case form
            /// Read part by part as it arrives (files to disk), validated, decoded.
            case multipart
            /// Handed over as bytes.
            case raw
        }

        /// The header fields declared for multipart parts, by part name, compiled.
        let partHeaders: [String: [Parameter]]

        init(description: BodyDescription, validator: Validator, partHeaders: [String: [Parameter]] = [:]) {
            self.description = description
            self.validator = validator
            self.partHeaders = partHeaders
            self.mediaTypes = description.contentTypes.map { type in
                let type = type.lowercased()
                let reading: Reading =
                    Self.isJSON(type)
                    ? .json
                    : type == "application/x-www-form-urlencoded" ? .form : type == "multipart/form-data" ? .multipart : .raw
                return (type, reading)
            }
            self.acceptsJSON = mediaTypes.contains { $0.reading == .json }
            self.streams = mediaTypes.contains { $0.reading == .multipart }
        }

        /// How a body of `mediaType` (lowercased, without parameters) is read; nil when the
        /// operation does not accept it. A declared `image/*` or `*/*` accepts what it matches.
        func reading(of mediaType: String) -> Reading? {
            if let exact = mediaTypes.first(where: { $0.type == mediaType }) { return exact.reading }
            if acceptsJSON, Self.isJSON(mediaType) { return .json }
            guard !mediaType.isEmpty else { return nil }
            let major = mediaType.prefix { $0 != "/" }
            return mediaTypes.first { $0.type == "*/*" || $0.type == major + "/*" }?.reading
        }

        static func isJSON(_ type: String) -> Bool { type == "application/json" || type.hasSuffix("+json") }
    }

    struct Response: Sendable {
        let description: ResponseDescription
        let validator: Validator?
    }

    /// An operation's declared responses, found by the status of an answer.
    struct Responses: Sendable {
        /// Each status's responses, one per media type.
        private var byStatus: [ResponseDescription.Status: [Response]] = [:]

        init(_ responses: [Response]) {
            for response in responses { byStatus[response.description.status, default: []].append(response) }
        }

        /// The response declared for `code` (the exact status, then its range, `4XX`, then
        /// `default`) in `contentType` (its media type, else the status's first).
        func forCode(_ code: Int, contentType: String? = nil) -> Response? {
            guard let candidates = byStatus[.code(code)] ?? byStatus[.range(code / 100)] ?? byStatus[.default] else { return nil }
            guard candidates.count > 1, let contentType else { return candidates.first }
            let type = TrellisResponder.mediaType(contentType)
            return candidates.first { $0.description.contentType.map(TrellisResponder.mediaType) == type } ?? candidates.first
        }
    }

    /// An operation, ready to serve (a class, for the same reason as ``Parameter``).
    final class Operation: Sendable {
        let description: OperationDescription
        let handler: OperationHandler
        let parameters: [Parameter]
        let body: Body?
        let responses: Responses
        /// The media types its successful answers come in, when there are several (negotiated
        /// with the request's `Accept`; 406 when none suits); else empty.
        let offers: [String]
        /// Its security, checked before anything else; nil when it is open.
        let security: SecurityGate?
        /// Whether serving it reads cookies (a cookie parameter, or dependencies, which may).
        let needsCookies: Bool
        /// The size of its last JSON answer: room to reserve for the next one, so that a large
        /// answer is written without growing its buffer again and again.
        let responseSizeHint = Atomic<Int>(0)
        /// The wording of its parameters' and body's schema errors, remembered.
        let issueTemplates = IssueTemplates()

        init(handler: OperationHandler, parameters: [Parameter], body: Body?, responses: Responses, security: SecurityGate?, needsCookies: Bool) {
            self.description = handler.description
            self.security = security
            var offers: [String] = []
            for response in handler.description.responses where response.status.isSuccess {
                if let type = response.contentType, !offers.contains(type) { offers.append(type) }
            }
            self.offers = offers.count > 1 ? offers : []
            self.handler = handler
            self.parameters = parameters
            self.body = body
            self.responses = responses
            self.needsCookies = needsCookies
        }
    }

    /// A WebSocket route, ready to serve.
    struct WebSocketRoute: Sendable {
        let handler: WebSocketHandler
        let receive: Validator
        /// The upgrade request's parameters, read and validated before the upgrade.
        let parameters: [Parameter]
        let issueTemplates = IssueTemplates()
        /// Its security, checked before the upgrade; nil when it is open.
        let security: SecurityGate?
        /// The service's name (a 401's realm).
        let serviceName: String
        var description: WebSocketDescription { handler.description }
        /// Whether an upgrade request has anything to pass (security, parameters, an input)
        /// besides the application's middleware.
        var needsAdmission: Bool { security != nil || !parameters.isEmpty || handler.takesInput }
    }

    let operations: [Operation]
    /// The runtime's own routes, after the operations in the route trie (index
    /// `operations.count + i` is `builtIns[i]`): routed, and answered 405 or 404, as operations are.
    let builtIns: [BuiltIn]
    let routes: RouteTrie

    /// A route the runtime answers itself.
    enum BuiltIn: String, Sendable {
        case liveness, readiness, metrics, openAPI, asyncAPI, swaggerUI, redoc, docsAsset

        /// Its name in logs and metrics, where an operation's id would be.
        var id: String { "trellis." + rawValue }
    }
    /// The WebSocket routes, and their paths' trie (each a `GET` to its index).
    let webSockets: [WebSocketRoute]
    let webSocketRoutes: RouteTrie

    /// The WebSocket route `path` is on, with its path parameters' values.
    func webSocket(at path: String) -> (route: WebSocketRoute, pathValues: [String])? {
        guard !webSockets.isEmpty, let match = webSocketRoutes.match(path), let index = match.operations["GET"] else { return nil }
        return (webSockets[index], match.values)
    }

    /// Compiles every schema of every service once, at start-up.
    /// - Throws: ``TrellisStartupError`` naming the operation and schema that do not compile.
    init(services: [any GeneratedService], configuration: TrellisConfiguration) throws(TrellisStartupError) {
        var operations: [Operation] = []
        var routes: [(method: String, path: String, index: Int)] = []
        // Start-up only: which service serves a route, for the error when two do.
        var seen: [String: String] = [:]
        var webSockets: [WebSocketRoute] = []
        var webSocketPaths: [(method: String, path: String, index: Int)] = []
        for service in services {
            let description = type(of: service).serviceDescription
            var registry = SchemaRegistry()
            for (uri, text) in description.schemaDocuments {
                do {
                    registry.register(try JSON(parsing: text, options: .serviceDocuments), as: uri)
                } catch {
                    throw TrellisStartupError("service \(description.name): the schema document \(uri) is not JSON: \(error)")
                }
            }
            let requestOptions = ValidatorOptions(formatAssertion: configuration.assertFormats)
            func compile(_ reference: String, _ what: String, formats: Bool = true) throws(TrellisStartupError) -> Validator {
                do {
                    return try Validator(reference: reference, registry: registry, options: formats ? requestOptions : ValidatorOptions())
                } catch {
                    throw TrellisStartupError("service \(description.name), \(what): \(error)")
                }
            }
            let verifiers = service.securityVerifiers
            for name in verifiers.keys.sorted() where !description.securitySchemes.contains(where: { $0.name == name }) {
                throw TrellisStartupError("service \(description.name) binds a verifier to the security scheme \(name), which it does not declare")
            }
            /// The parameters of `owner`, whose path template is `path`, compiled.
            func compileParameters(
                _ declared: [ParameterDescription], path: String, owner: String, locPrefix: [JSON] = []
            ) throws(TrellisStartupError) -> [Parameter] {
                var parameters: [Parameter] = []
                let pathParameterNames = RouteTrie.parameterNames(path)
                for (position, parameter) in declared.enumerated() {
                    if let other = declared[..<position].first(where: { $0.key == parameter.key }) {
                        throw TrellisStartupError("\(description.name).\(owner) declares the \(other.key) parameter twice")
                    }
                    let validator = try compile(parameter.schema, "parameter \(parameter.name) of \(owner)")
                    let defaultValue = parameter.defaultValue.flatMap { try? JSON(parsing: $0) }
                    parameters.append(
                        Parameter(
                            description: parameter, validator: validator, defaultValue: defaultValue,
                            slot: String(position),
                            loc: locPrefix + [.string(parameter.location.rawValue), .string(parameter.name)],
                            pathIndex: parameter.location == .path ? pathParameterNames.firstIndex(of: parameter.name) : nil,
                            headerName: parameter.location == .header ? HTTPField.Name(parameter.name) : nil))
                }
                return parameters
            }
            for handler in service.webSocketHandlers {
                let webSocket = handler.description
                if webSocketPaths.contains(where: { $0.path == webSocket.path }) {
                    throw TrellisStartupError("the WebSocket \(webSocket.path) is served twice (again by \(description.name).\(webSocket.id))")
                }
                webSocketPaths.append(("GET", webSocket.path, webSockets.count))
                webSockets.append(
                    WebSocketRoute(
                        handler: handler, receive: try compile(webSocket.receive, "messages of the WebSocket \(webSocket.id)"),
                        parameters: try compileParameters(webSocket.parameters, path: webSocket.path, owner: webSocket.id),
                        security: try SecurityGate(what: "WebSocket \(webSocket.id)", security: webSocket.security, service: description, verifiers: verifiers),
                        serviceName: description.name))
            }
            for handler in service.operationHandlers {
                let operation = handler.description
                let route = operation.method.rawValue + " " + operation.path
                if let other = seen[route] {
                    throw TrellisStartupError("\(route) is served twice: by \(other) and by \(description.name).\(operation.id)")
                }
                seen[route] = "\(description.name).\(operation.id)"
                let parameters = try compileParameters(operation.parameters, path: operation.path, owner: operation.id)
                var body: Body?
                if let declared = operation.body {
                    var partHeaders: [String: [Parameter]] = [:]
                    for (part, headers) in declared.partHeaders {
                        partHeaders[part] = try compileParameters(
                            headers, path: "", owner: "\(operation.id), part \(part)", locPrefix: [.string("body"), .string(part)])
                    }
                    body = Body(description: declared, validator: try compile(declared.schema, "body of \(operation.id)"), partHeaders: partHeaders)
                }
                var responses: [Response] = []
                for response in operation.responses {
                    let validator = try response.schema.map { reference throws(TrellisStartupError) in
                        try compile(reference, "response \(response.status) of \(operation.id)", formats: false)
                    }
                    responses.append(Response(description: response, validator: validator))
                }
                routes.append((operation.method.rawValue, operation.path, operations.count))
                operations.append(
                    Operation(
                        handler: handler, parameters: parameters, body: body, responses: Responses(responses),
                        security: try SecurityGate(operation: operation, service: description, verifiers: verifiers),
                        needsCookies: operation.parameters.contains { $0.location == .cookie } || !operation.dependencies.isEmpty || !operation.security.isEmpty
                    ))
            }
        }
        // The runtime's own routes: a GET each (HEAD and OPTIONS follow), which no operation
        // may take.
        var builtIns: [BuiltIn] = []
        let docs = configuration.docs
        let openAPIPath = docs.openAPIPath
        var own: [(path: String?, route: BuiltIn, setting: String)] = [
            (configuration.livenessPath, .liveness, "livenessPath"), (configuration.readinessPath, .readiness, "readinessPath"),
            (configuration.metricsPath, .metrics, "metricsPath"), (openAPIPath, .openAPI, "docs.openAPIPath"),
            (docs.asyncAPIPath, .asyncAPI, "docs.asyncAPIPath"),
        ]
        if openAPIPath != nil {
            own += [(docs.swaggerUIPath, .swaggerUI, "docs.swaggerUIPath"), (docs.redocPath, .redoc, "docs.redocPath")]
        }
        own.append((DocsResponder.assetsPath + "{file}", .docsAsset, "the docs' local assets"))
        for (path, route, setting) in own {
            guard let path else { continue }
            if let operation = seen["GET " + path] {
                throw TrellisStartupError("GET \(path) is served by \(operation) and by the runtime (configuration.\(setting)): give one of them another path")
            }
            routes.append(("GET", path, operations.count + builtIns.count))
            builtIns.append(route)
        }
        self.builtIns = builtIns
        self.operations = operations
        self.webSockets = webSockets
        do {
            self.webSocketRoutes = try RouteTrie(routes: webSocketPaths)
        } catch {
            throw TrellisStartupError("the WebSocket routes conflict: \(error)")
        }
        do {
            self.routes = try RouteTrie(routes: routes)
        } catch {
            throw TrellisStartupError("two operations share a route: \(error)")
        }
    }
}

extension JSONParseOptions {
    /// For the documents a service ships (its schemas and OpenAPI document): deep, and with
    /// integers beyond 64 bits read as the nearest double (a schema's bound may be one), which
    /// compares exactly with every 64-bit value.
    static let serviceDocuments = JSONParseOptions(maxDepth: 1024, largeIntegers: .approximate)
}

/// A service that cannot be served: a schema that does not compile, a route served twice.
public struct TrellisStartupError: Error, Sendable, CustomStringConvertible {
    /// What does not compile, and where.
    public var description: String
    init(_ description: String) { self.description = description }
}

extension ResponseDescription.Status {
    /// A `2XX` code or range.
    var isSuccess: Bool {
        switch self {
        case .code(let code): (200...299).contains(code)
        case .range(let hundreds): hundreds == 2
        case .default: false
        }
    }
}
