internal import TrellisJSON

/// The intermediate form of a service: what a front end (service.json, OpenAPI) reads a
/// declaration into, and what the back ends (Swift code, the OpenAPI document) render from.
struct ServiceDeclaration {
    var name: String
    var info: JSON
    var servers: JSON?
    var tags: [TagDeclaration]
    var securitySchemes: JSON?
    /// The Swift verifier type each security scheme names (service.json's `"verifier"`, an
    /// OpenAPI document's `x-trellis-verifier`), by the scheme's name: generated code binds
    /// them, so that the implementation does not have to.
    var securityVerifiers: [String: String] = [:]
    var security: JSON?
    var dependencies: [String: DependencyDeclaration]
    var globalDependencies: [String]
    var models: [String]
    var operations: [OperationDeclaration]
    var webSockets: [WebSocketDeclaration] = []
    /// The document to serve as `/openapi.json`, when the declaration is an OpenAPI document
    /// (the user's own, bundled into one); nil: the OpenAPI back end builds it.
    var openAPIDocument: JSON? = nil
}

extension ServiceDeclaration {
    /// Every schema the service uses directly, in declaration order: its operations'
    /// parameters, bodies, responses and response headers, its dependencies' parameters and
    /// responses, its WebSockets' messages (where the naming stage starts).
    var schemaSites: [SchemaSite] {
        func sites(_ responses: [ResponseDeclaration]) -> [SchemaSite] {
            responses.flatMap { response in (response.schema.map { [$0] } ?? []) + response.headers.map(\.schema) }
        }
        var result: [SchemaSite] = []
        for operation in operations {
            result += operation.parameters.map(\.schema)
            if let body = operation.body { result.append(body.schema) }
            result += sites(operation.responses)
        }
        for name in dependencies.keys.sorted() {
            guard let dependency = dependencies[name] else { continue }
            result += dependency.parameters.map(\.schema) + sites(dependency.responses)
        }
        for webSocket in webSockets { result += [webSocket.receive, webSocket.send] }
        return result
    }

    /// Every parameter an operation reads: its own, then its dependencies', each location and
    /// name once (two dependencies may read the same header; the first declaration is kept).
    func parameters(of operation: OperationDeclaration) -> [ParameterDeclaration] {
        var seen: Set<String> = []
        return (operation.parameters + dependencies(of: operation).flatMap(\.parameters)).filter {
            seen.insert($0.location.rawValue + "\u{0}" + $0.name).inserted
        }
    }

    /// The security requirements that apply to an operation (OpenAPI's `security`): its own,
    /// else the first of its dependencies' that declares some, else the service's.
    func security(of operation: OperationDeclaration) -> JSON? {
        operation.security ?? dependencies(of: operation).lazy.compactMap(\.security).first ?? security
    }

    /// The dependencies of an operation: service-wide, then its tags', then its own.
    func dependencies(of operation: OperationDeclaration) -> [DependencyDeclaration] {
        var names = globalDependencies
        for tag in operation.tags { names += tags.first { $0.name == tag }?.dependencies ?? [] }
        names += operation.dependencies
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }.compactMap { dependencies[$0] }
    }
}

/// A WebSocket route: typed JSON messages both ways.
struct WebSocketDeclaration {
    var id: String
    var path: String
    var summary: String?
    var description: String?
    var tags: [String]
    var receive: SchemaSite
    var send: SchemaSite
    /// Its own security requirements (nil: the service's).
    var security: JSON? = nil
    /// The upgrade request's parameters.
    var parameters: [ParameterDeclaration] = []
    /// Its dependencies' names (its own only: the service's and its tags' are an operation's).
    var dependencies: [String] = []
    var pointer: JSONPointer

    /// Whether the handler takes an input (parameters, dependencies) besides the session.
    var takesInput: Bool { !parameters.isEmpty || !dependencies.isEmpty }

    /// The route as an operation: a `GET` of its path with its parameters, for the translation
    /// of its input.
    var asOperation: OperationDeclaration {
        OperationDeclaration(
            id: id, method: .get, path: path, summary: summary, description: description, tags: [], deprecated: false, parameters: parameters,
            body: nil, responses: [], dependencies: dependencies, security: security, pointer: pointer)
    }
}

struct TagDeclaration {
    var name: String
    var description: String?
    var dependencies: [String]
}

struct DependencyDeclaration {
    var name: String
    var swiftType: String
    var description: String?
    var parameters: [ParameterDeclaration]
    var responses: [ResponseDeclaration]
    var security: JSON?
}

struct OperationDeclaration {
    /// The operation's id: the runtime's key for it, and its OpenAPI `operationId`.
    var id: String
    /// The Swift name the naming stage gave it (`GetPet`); unique in the service, and never a
    /// model's name.
    var swiftName: String = ""
    /// The handler's Swift name the naming stage gave it (`getPet`).
    var swiftMethodName: String = ""
    var method: HTTPMethod
    var path: String
    var summary: String?
    var description: String?
    var tags: [String]
    var deprecated: Bool
    var parameters: [ParameterDeclaration]
    var body: BodyDeclaration?
    var responses: [ResponseDeclaration]
    var dependencies: [String]
    var security: JSON?
    /// Where the operation is in the declaration.
    var pointer: JSONPointer
}

struct ParameterDeclaration {
    var name: String
    var location: ParameterLocation
    var schema: SchemaSite
    var required: Bool
    var description: String?
    var deprecated: Bool
    var style: String?
    /// OpenAPI's `explode` (nil: the style's default).
    var explode: Bool? = nil
    var example: JSON?
    var pointer: JSONPointer
    /// The file the parameter is written in (nil: the declaration), for diagnostics.
    var file: String? = nil
}

struct BodyDeclaration {
    var schema: SchemaSite
    /// The media types the body is accepted in, the preferred first.
    var contentTypes: [String]
    var contentType: String { contentTypes.first ?? "application/octet-stream" }
    /// Whether every media type is read into the typed body (JSON and forms); else the body
    /// arrives as bytes.
    var isStructured: Bool { contentTypes.allSatisfy(Self.isStructured) }
    /// OpenAPI's `encoding` of a form body: each field's `style`, `explode`, `contentType`,
    /// and a multipart part's `headers`.
    var encoding: JSONObject = JSONObject()
    /// Where ``encoding`` is (its parts' header schemas are found from there).
    var encodingSite: SchemaSite? = nil
    /// The bounds of a `multipart/form-data` body: `maxBytes`, `maxParts`, `maxFieldBytes`
    /// (service.json's `limits`, OpenAPI's `x-trellis-limits`).
    var limits: JSONObject = JSONObject()
    var required: Bool
    var description: String?
    var pointer: JSONPointer
}

extension BodyDeclaration {
    init(schema: SchemaSite, contentType: String, required: Bool, description: String?, pointer: JSONPointer) {
        self.init(schema: schema, contentTypes: [contentType], required: required, description: description, pointer: pointer)
    }

    /// JSON (`application/json`, `+json`), `application/x-www-form-urlencoded` and `multipart/form-data`.
    static func isStructured(_ contentType: String) -> Bool {
        let type = contentType.lowercased()
        return type == "application/json" || type.hasSuffix("+json") || isForm(type)
    }

    /// `application/x-www-form-urlencoded` and `multipart/form-data`: read field by field.
    static func isForm(_ contentType: String) -> Bool {
        let type = contentType.lowercased()
        return type == "application/x-www-form-urlencoded" || type == "multipart/form-data"
    }

    /// Whether the body may arrive as `multipart/form-data` (its file properties are then
    /// ``UploadedFile`` values).
    var isMultipart: Bool { contentTypes.contains { $0.lowercased() == "multipart/form-data" } }
}

struct ResponseDeclaration {
    var status: ResponseStatus
    var description: String
    var schema: SchemaSite?
    var contentType: String?
    /// The body's other media types, each with its schema: the answer's media type is then
    /// negotiated (the primary one is ``contentType``).
    var alternatives: [ResponseContent] = []
    /// Whether the body is streamed (`ResponseStream`).
    var stream: Bool = false
    var headers: [ParameterDeclaration]
    var pointer: JSONPointer
}

/// One media type of a response body, with its schema.
struct ResponseContent {
    var contentType: String
    var schema: SchemaSite?
}

extension ResponseDeclaration {
    /// Every media type of the body with its schema, the primary first (none without a body).
    var contents: [ResponseContent] {
        guard let contentType, schema != nil || stream else { return [] }
        return [ResponseContent(contentType: contentType, schema: schema)] + alternatives
    }
}

/// An operation's HTTP method.
enum HTTPMethod: String, CaseIterable, CustomStringConvertible {
    case get = "GET"
    case put = "PUT"
    case post = "POST"
    case delete = "DELETE"
    case options = "OPTIONS"
    case head = "HEAD"
    case patch = "PATCH"
    case trace = "TRACE"

    /// `GET`: as messages and documentation write it.
    var description: String { rawValue }

    /// As OpenAPI's path items key it, and as Swift's `OperationDescription.Method` names its case: `get`.
    var lowercased: String { rawValue.lowercased() }

    /// Whether a request of this method is not expected to carry a body.
    var expectsNoBody: Bool { [.get, .head, .delete, .options, .trace].contains(self) }
}

/// Where a parameter is read from.
enum ParameterLocation: String, CaseIterable {
    case path, query, header, cookie
}

/// The statuses a declared response describes: a code, a class of codes (`4XX`), or `default`.
enum ResponseStatus: Hashable, CustomStringConvertible {
    /// A `2XX` code or range: a successful answer.
    var isSuccess: Bool {
        switch self {
        case .code(let code): (200...299).contains(code)
        case .range(let hundreds): hundreds == 2
        case .default: false
        }
    }

    case code(Int)
    /// `4XX`: `.range(4)`.
    case range(Int)
    case `default`

    /// A status as OpenAPI and service.json write it (`404`, `4XX` or `4xx`, `default`); nil
    /// for anything else (a code outside 100...599 included).
    init?(_ text: String) {
        if text == "default" {
            self = .default
        } else if text.count == 3, let code = Int(text), (100...599).contains(code), text.allSatisfy(\.isASCII) {
            self = .code(code)
        } else if text.count == 3, text.uppercased().hasSuffix("XX"), let first = text.first?.wholeNumberValue, (1...5).contains(first),
            text.first?.isASCII == true
        {
            self = .range(first)
        } else {
            return nil
        }
    }

    /// `404`, `4XX`, `default`.
    var description: String {
        switch self {
        case .code(let code): String(code)
        case .range(let hundreds): "\(hundreds)XX"
        case .default: "default"
        }
    }

    /// Whether answers under it carry their code (a range or `default`).
    var isRange: Bool { if case .code = self { false } else { true } }
}
