internal import TrellisJSON

/// The intermediate form of a service: what a front end (service.json, OpenAPI) reads a
/// declaration into, and what the back ends (Swift code, the OpenAPI document) render from.
struct ServiceDeclaration {
    var name: String
    var info: JSON
    var servers: JSON?
    var tags: [TagDeclaration]
    var securitySchemes: JSON?
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

/// A WebSocket route: typed JSON messages both ways.
struct WebSocketDeclaration {
    var id: String
    var path: String
    var summary: String?
    var description: String?
    var tags: [String]
    var receive: SchemaSite
    var send: SchemaSite
    var pointer: JSONPointer
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
    var method: String
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
    var location: String
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
    var contentType: String
    var required: Bool
    var description: String?
    var pointer: JSONPointer
}

struct ResponseDeclaration {
    var status: String
    var description: String
    var schema: SchemaSite?
    var contentType: String?
    /// Whether the body is streamed (`ResponseStream`).
    var stream: Bool = false
    var headers: [ParameterDeclaration]
    var pointer: JSONPointer
}
