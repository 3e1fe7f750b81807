internal import HTTPTypes
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema
import Synchronization

/// A service ready to serve: its operations with compiled validators, and a route trie.
struct CompiledService: Sendable {
    /// A parameter, ready to read (a class: requests pass it around, and a copy is then one
    /// retain rather than one per field).
    final class Parameter: Sendable {
        let description: ParameterDescription
        let validator: Validator
        let defaultValue: JSON?
        /// `location:name`, the key generated inputs ask for.
        let key: String
        /// Where an issue of this parameter is (`["path", "petId"]`).
        let loc: [JSON]
        /// For a path parameter, its position among the template's parameters.
        let pathIndex: Int?
        /// The header's name, for a header parameter.
        let headerName: HTTPField.Name?

        init(
            description: ParameterDescription, validator: Validator, defaultValue: JSON?, key: String, loc: [JSON],
            pathIndex: Int?, headerName: HTTPField.Name?
        ) {
            self.description = description
            self.validator = validator
            self.defaultValue = defaultValue
            self.key = key
            self.loc = loc
            self.pathIndex = pathIndex
            self.headerName = headerName
        }
    }

    struct Body: Sendable {
        let description: BodyDescription
        let validator: Validator
        let isJSON: Bool
        /// The declared media type, lowercased.
        let mediaType: String
    }

    struct Response: Sendable {
        let description: ResponseDescription
        let validator: Validator?
    }

    /// An operation, ready to serve (a class, for the same reason as ``Parameter``).
    final class Operation: Sendable {
        let description: OperationDescription
        let service: any GeneratedService
        let parameters: [Parameter]
        let body: Body?
        let responses: [String: Response]
        /// Whether serving it reads cookies (a cookie parameter, or dependencies, which may).
        let needsCookies: Bool
        /// The size of its last JSON answer: room to reserve for the next one, so that a large
        /// answer is written without growing its buffer again and again.
        let responseSizeHint = Atomic<Int>(0)
        /// The wording of its parameters' and body's schema errors, remembered.
        let issueTemplates = IssueTemplates()

        init(
            description: OperationDescription, service: any GeneratedService, parameters: [Parameter], body: Body?,
            responses: [String: Response], needsCookies: Bool
        ) {
            self.description = description
            self.service = service
            self.parameters = parameters
            self.body = body
            self.responses = responses
            self.needsCookies = needsCookies
        }
    }

    /// A WebSocket route, ready to serve.
    struct WebSocketRoute: Sendable {
        let description: WebSocketDescription
        let service: any GeneratedService
        let receive: Validator
    }

    let operations: [Operation]
    let routes: RouteTrie
    /// WebSocket routes by path.
    let webSockets: [String: WebSocketRoute]

    /// Compiles every schema of every service once, at start-up.
    /// - Throws: ``TrellisStartupError`` naming the operation and schema that do not compile.
    init(services: [any GeneratedService], configuration: TrellisConfiguration) throws(TrellisStartupError) {
        var operations: [Operation] = []
        var routes: [(method: String, path: String, index: Int)] = []
        var seen: [String: String] = [:]
        var webSockets: [String: WebSocketRoute] = [:]
        for service in services {
            let description = type(of: service).serviceDescription
            var registry = SchemaRegistry()
            for (uri, text) in description.schemaDocuments {
                do {
                    registry.register(try JSON(parsing: text, options: JSONParseOptions(maxDepth: 1024)), as: uri)
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
            for webSocket in description.webSockets {
                if webSockets[webSocket.path] != nil {
                    throw TrellisStartupError("the WebSocket \(webSocket.path) is served twice (again by \(description.name).\(webSocket.id))")
                }
                webSockets[webSocket.path] = WebSocketRoute(
                    description: webSocket, service: service, receive: try compile(webSocket.receive, "messages of the WebSocket \(webSocket.id)"))
            }
            for operation in description.operations {
                let route = operation.method + " " + operation.path
                if let other = seen[route] {
                    throw TrellisStartupError("\(route) is served twice: by \(other) and by \(description.name).\(operation.id)")
                }
                seen[route] = "\(description.name).\(operation.id)"
                var parameters: [Parameter] = []
                let pathParameterNames = RouteTrie.parameterNames(operation.path)
                for parameter in operation.parameters {
                    let validator = try compile(parameter.schema, "parameter \(parameter.name) of \(operation.id)")
                    let defaultValue = parameter.defaultValue.flatMap { try? JSON(parsing: $0) }
                    parameters.append(Parameter(
                        description: parameter, validator: validator, defaultValue: defaultValue,
                        key: parameter.location.rawValue + ":" + parameter.name,
                        loc: [.string(parameter.location.rawValue), .string(parameter.name)],
                        pathIndex: parameter.location == .path ? pathParameterNames.firstIndex(of: parameter.name) : nil,
                        headerName: parameter.location == .header ? HTTPField.Name(parameter.name) : nil))
                }
                var body: Body?
                if let declared = operation.body {
                    let mediaType = declared.contentType.lowercased()
                    body = Body(
                        description: declared, validator: try compile(declared.schema, "body of \(operation.id)"),
                        isJSON: mediaType == "application/json" || mediaType.hasSuffix("+json"), mediaType: mediaType)
                }
                var responses: [String: Response] = [:]
                for response in operation.responses {
                    let validator = try response.schema.map { reference throws(TrellisStartupError) in
                        try compile(reference, "response \(response.status) of \(operation.id)", formats: false)
                    }
                    responses[response.status] = Response(description: response, validator: validator)
                }
                routes.append((operation.method, operation.path, operations.count))
                operations.append(Operation(
                    description: operation, service: service, parameters: parameters, body: body, responses: responses,
                    needsCookies: operation.parameters.contains { $0.location == .cookie } || !operation.dependencies.isEmpty))
            }
        }
        self.operations = operations
        self.webSockets = webSockets
        do {
            self.routes = try RouteTrie(routes: routes)
        } catch {
            throw TrellisStartupError("two operations share a route: \(error)")
        }
    }
}

/// A service that cannot be served: a schema that does not compile, a route served twice.
public struct TrellisStartupError: Error, Sendable, CustomStringConvertible {
    /// What does not compile, and where.
    public var description: String
    init(_ description: String) { self.description = description }
}
