internal import TrellisJSON

/// A service declaration, read and checked: what the translators work from.
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

/// A schema as the declaration gives it: a location (file URI and JSON pointer) and
/// where in the declaration it was written (for diagnostics).
struct SchemaSite: Hashable {
    /// `file:///<relative path>` of the document.
    var document: String
    var pointer: JSONPointer

    /// `document#pointer`, for the runtime's registry.
    var reference: String { document + "#" + pointer.description }
}

struct OperationDeclaration {
    var id: String
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
    var example: JSON?
    var pointer: JSONPointer
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
