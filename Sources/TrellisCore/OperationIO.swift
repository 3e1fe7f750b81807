/// What a generated operation input reads its values from. The runtime implements it
/// over a validated request; tests can implement it directly.
public protocol OperationInputSource: Sendable {
    /// The decoded value of a parameter (after validation and defaults), or nil if absent.
    func parameter<T: Decodable>(_ name: String, in location: ParameterLocation, as type: T.Type) throws -> T?
    /// The decoded body, or nil if there is none.
    func body<T: Decodable>(as type: T.Type) throws -> T?
    /// The raw body bytes, for non-JSON bodies.
    func rawBody() throws -> [UInt8]?
    /// The value of a dependency, resolved at most once per request.
    func dependency<D: Dependency>(_ type: D.Type) async throws -> D.Value
}

/// The body of an operation's answer.
public enum OutputBody: Sendable {
    /// No body.
    case empty
    /// A value written as JSON.
    case json(any Encodable & Sendable)
    /// Text, written as UTF-8.
    case text(String)
    /// Bytes, written as they are.
    case bytes([UInt8])
    /// Pieces written as they are produced (a response declared with `"stream": true`).
    case stream(ResponseStream)
}

/// A generated operation output: one case per declared response.
public protocol OperationOutput: Sendable {
    /// The HTTP status code.
    var statusCode: Int { get }
    /// The declared `Content-Type`, if the response has a body.
    var contentType: String? { get }
    /// Declared response headers, by name.
    var headers: [(name: String, value: String)] { get }
    /// The body.
    var body: OutputBody { get }
}

/// Thrown by a handler stub that has not been written yet; the runtime answers 501.
public struct NotImplementedError: Error, Sendable, CustomStringConvertible {
    /// The operation that is not implemented.
    public var operation: String

    /// Creates the error for the operation `operation` (its id in the service declaration).
    /// Scaffolded stubs throw it; so does a generated `handle(operation:from:)` for an unknown id.
    public init(operation: String) { self.operation = operation }

    /// `operation <id> is not implemented yet`: the detail of the runtime's 501 answer.
    public var description: String { "operation \(operation) is not implemented yet" }
}

/// A required parameter or body that a source did not provide (the runtime's validation
/// reports it as a 422 before an input is ever built).
public struct MissingInputError: Error, Sendable, CustomStringConvertible {
    /// The parameter's name, or `body` for a missing request body.
    public var name: String
    /// Where it was expected: a ``ParameterLocation`` raw value (`path`, `query`, `header`,
    /// `cookie`), or `request` for the body.
    public var location: String

    /// Creates the error. ``OperationInputSource/required(_:in:as:)`` and
    /// ``OperationInputSource/requiredBody(as:)`` throw it when the source returns nil, so a
    /// generated input's `init(from:)` throws it for a missing required parameter or body;
    /// a test source may throw it too (for a dependency it does not provide, say). The runtime
    /// has no answer of its own for it: unless an error handler answers it, it becomes a 500.
    public init(name: String, location: String) {
        self.name = name
        self.location = location
    }

    /// `missing <location> <name>`, e.g. `missing query limit` or `missing request body`.
    public var description: String { "missing \(location) \(name)" }
}

extension OperationInputSource {
    /// A required parameter.
    public func required<T: Decodable>(_ name: String, in location: ParameterLocation, as type: T.Type) throws -> T {
        guard let value = try parameter(name, in: location, as: type) else {
            throw MissingInputError(name: name, location: location.rawValue)
        }
        return value
    }

    /// A required body.
    public func requiredBody<T: Decodable>(as type: T.Type) throws -> T {
        guard let value = try body(as: type) else { throw MissingInputError(name: "body", location: "request") }
        return value
    }
}

/// What every generated service protocol refines: the runtime serves any value of a type
/// that conforms (the user's implementation), through its description and dispatcher.
public protocol GeneratedService: Sendable {
    /// The service as data: operations, parameters, schemas and the OpenAPI document.
    static var serviceDescription: ServiceDescription { get }
    /// Runs the operation `id`, reading its input from `source`.
    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput
    /// Every dependency type the declaration names (the runtime starts the application-wide
    /// ones before serving and stops them after).
    static var dependencyTypes: [any Dependency.Type] { get }
    /// Runs the WebSocket route `id` with this implementation, on an upgraded connection.
    func handleWebSocket(_ id: String, transport: some WebSocketTransport) async throws
}

extension GeneratedService {
    /// None.
    public static var dependencyTypes: [any Dependency.Type] { [] }

    /// A service without WebSockets has none to handle.
    public func handleWebSocket(_ id: String, transport: some WebSocketTransport) async throws {
        throw NotImplementedError(operation: id)
    }
}
