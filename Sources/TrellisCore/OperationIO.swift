/// What a generated operation input reads its values from. The runtime implements it
/// over a validated request; tests can implement it directly.
public protocol OperationInputSource: Sendable {
    /// The decoded value of the parameter `key` (after validation and defaults), or nil if absent.
    func parameter<T: Decodable>(_ key: ParameterKey, as type: T.Type) throws -> T?
    /// The decoded body, or nil if there is none.
    func body<T: Decodable>(as type: T.Type) throws -> T?
    /// The raw body bytes, for non-JSON bodies.
    func rawBody() throws -> [UInt8]?
    /// The value of a dependency, resolved at most once per request.
    func dependency<D: Dependency>(_ type: D.Type) async throws -> D.Value
    /// The identity `verifier` verified for this request, or nil when it verified none (an
    /// operation whose security is optional, asked without credentials).
    func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value?
    /// The media type the answer is to be in, when the operation answers in several: the one
    /// the request's `Accept` prefers; nil otherwise.
    var responseContentType: String? { get }
}

extension OperationInputSource {
    /// None.
    public func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value? { nil }

    /// None: the operation's preferred media type.
    public var responseContentType: String? { nil }
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

/// An operation's answer as data: what the runtime writes.
public struct OutputResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The declared `Content-Type`, if the response has a body.
    public var contentType: String?
    /// Declared response headers, by name.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: OutputBody

    /// An answer; generated outputs make one per case.
    public init(status: Int, contentType: String? = nil, headers: [(name: String, value: String)] = [], body: OutputBody = .empty) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }
}

/// A generated operation output: one case per declared response, each of which knows its
/// answer (one `switch` in generated code, one call for the runtime).
public protocol OperationOutput: Sendable {
    /// The status, content type, headers and body of this answer; throws when a typed header
    /// cannot be written as text.
    var response: OutputResponse { get throws }
}

extension OperationOutput {
    /// The HTTP status code.
    public var statusCode: Int { get throws { try response.status } }
    /// The declared `Content-Type`, if the response has a body.
    public var contentType: String? { get throws { try response.contentType } }
    /// Declared response headers, by name, as written.
    public var headers: [(name: String, value: String)] { get throws { try response.headers } }
    /// The body.
    public var body: OutputBody { get throws { try response.body } }
}

/// Thrown by a handler stub that has not been written yet; the runtime answers 501.
public struct NotImplementedError: Error, Sendable, CustomStringConvertible {
    /// The operation that is not implemented.
    public var operation: String

    /// Creates the error for the operation `operation` (its id in the service declaration).
    /// Scaffolded stubs throw it.
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

    /// Creates the error. ``OperationInputSource/required(_:as:)`` and
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
    public func required<T: Decodable>(_ key: ParameterKey, as type: T.Type) throws -> T {
        guard let value = try parameter(key, as: type) else {
            throw MissingInputError(name: key.name, location: key.location.rawValue)
        }
        return value
    }

    /// A required body.
    public func requiredBody<T: Decodable>(as type: T.Type) throws -> T {
        guard let value = try body(as: type) else { throw MissingInputError(name: "body", location: "request") }
        return value
    }
}

/// A generated operation input: the handler's parameters, body and dependencies, read from
/// a validated request.
public protocol OperationInput: Sendable {
    /// Reads the input from `source` (the runtime's validated request, or a test's values).
    init(from source: some OperationInputSource) async throws
}

/// An operation of a declaration as types: its input, its output and its description. The
/// generator makes one namespace per operation (`Petstore.GetPet`) that conforms.
public protocol DeclaredOperation {
    /// What the handler receives.
    associatedtype Input: OperationInput
    /// What the handler answers.
    associatedtype Output: OperationOutput
    /// The operation as data: method, path, parameters, body, responses, dependencies.
    static var operationDescription: OperationDescription { get }
}

/// A WebSocket route of a declaration as types: the messages each way and its description.
public protocol DeclaredWebSocket {
    /// A message from the client.
    associatedtype Receive: Decodable & Sendable
    /// A message to the client.
    associatedtype Send: Encodable & Sendable
    /// The route as data: its path and its messages' schemas.
    static var webSocketDescription: WebSocketDescription { get }
}

/// One operation bound to the code that answers it: what a service gives the runtime to serve.
///
/// Generated code makes one per operation from the operation's types and the implementation's
/// method, so the compiler checks that the handler takes the operation's input and answers
/// its output:
///
/// ```swift
/// OperationHandler(Petstore.GetPet.self, handler: getPet)
/// ```
public struct OperationHandler: Sendable {
    /// The operation as data, compiled by the runtime at start-up.
    public let description: OperationDescription
    @usableFromInline let run: any OperationRunner

    /// The handler of the operation `operation`.
    public init<Operation: DeclaredOperation>(
        _ operation: Operation.Type, handler: @escaping @Sendable (Operation.Input) async throws -> Operation.Output
    ) {
        description = Operation.operationDescription
        run = TypedRunner<Operation>(handler: handler)
    }

    /// A handler that reads what it needs from the source itself, for a service written
    /// without the generator (the runtime's own tests).
    public init(
        _ description: OperationDescription, handler: @escaping @Sendable (any OperationInputSource) async throws -> any OperationOutput
    ) {
        self.description = description
        run = UntypedRunner(handler: handler)
    }

    /// Reads the input from `source` and runs the handler.
    @inlinable  // in the runtime's responder: one async frame fewer per request
    public func callAsFunction(_ source: some OperationInputSource) async throws -> any OperationOutput {
        try await run.run(source)
    }
}

/// The type-erased half of an ``OperationHandler``. A generic method rather than a closure
/// that takes `any OperationInputSource`: the runtime's source is passed as it is, not boxed.
@usableFromInline protocol OperationRunner: Sendable {
    func run<Source: OperationInputSource>(_ source: Source) async throws -> any OperationOutput
}

private struct TypedRunner<Operation: DeclaredOperation>: OperationRunner {
    let handler: @Sendable (Operation.Input) async throws -> Operation.Output
    func run<Source: OperationInputSource>(_ source: Source) async throws -> any OperationOutput {
        try await handler(try await Operation.Input(from: source))
    }
}

private struct UntypedRunner: OperationRunner {
    let handler: @Sendable (any OperationInputSource) async throws -> any OperationOutput
    func run<Source: OperationInputSource>(_ source: Source) async throws -> any OperationOutput { try await handler(source) }
}

/// One WebSocket route bound to the code that serves a session on it.
public struct WebSocketHandler: Sendable {
    /// The route as data.
    public let description: WebSocketDescription
    /// Reads the route's input (its parameters and dependencies) from the upgrade request; nil
    /// when the route declares none.
    private let input: (@Sendable (any OperationInputSource) async throws -> any Sendable)?
    private let run: @Sendable ((any Sendable)?, any WebSocketTransport) async throws -> Void

    /// The handler of the route `route`: generated code passes the implementation's method.
    public init<Route: DeclaredWebSocket>(
        _ route: Route.Type, handler: @escaping @Sendable (WebSocketSession<Route.Receive, Route.Send>) async throws -> Void
    ) {
        description = Route.webSocketDescription
        input = nil
        run = { _, transport in try await handler(WebSocketSession(transport: transport)) }
    }

    /// The handler of the route `route`, whose parameters and dependencies are read into
    /// `Input` before the upgrade: generated code passes the implementation's method.
    public init<Route: DeclaredWebSocket, Input: OperationInput>(
        _ route: Route.Type, input: Input.Type,
        handler: @escaping @Sendable (Input, WebSocketSession<Route.Receive, Route.Send>) async throws -> Void
    ) {
        description = Route.webSocketDescription
        self.input = { source in try await Input(from: source) }
        let location = "WebSocket \(Route.webSocketDescription.id)"
        run = { value, transport in
            guard let input = value as? Input else { throw MissingInputError(name: "input", location: location) }
            try await handler(input, WebSocketSession(transport: transport))
        }
    }

    /// Whether the route reads an input before the upgrade.
    public var takesInput: Bool { input != nil }

    /// The route's input read from `source` (the validated upgrade request, or a test's);
    /// nil when it takes none.
    /// - Throws: What reading it throws (a dependency's refusal, say).
    public func readInput(from source: some OperationInputSource) async throws -> (any Sendable)? {
        guard let input else { return nil }
        return try await input(source)
    }

    /// Runs a session over `transport` (an upgraded connection, or a test's), with the input
    /// ``readInput(from:)`` read.
    public func callAsFunction(_ transport: some WebSocketTransport, input: (any Sendable)? = nil) async throws {
        try await run(input, transport)
    }
}

/// What every generated service protocol refines: the runtime serves any value of a type
/// that conforms (the user's implementation), through its description and its handlers.
public protocol GeneratedService: Sendable {
    /// The service as data: its schema documents and the OpenAPI document.
    static var serviceDescription: ServiceDescription { get }
    /// Every operation, in declaration order, bound to this implementation's method for it.
    var operationHandlers: [OperationHandler] { get }
    /// Every WebSocket route, bound to this implementation's method for it.
    var webSocketHandlers: [WebSocketHandler] { get }
    /// Every dependency type the declaration names (the runtime starts the application-wide
    /// ones before serving and stops them after).
    static var dependencyTypes: [any Dependency.Type] { get }
    /// The verifier of each security scheme the service's operations require, by the
    /// scheme's name: a scheme required without one stops the application's start.
    var securityVerifiers: [String: any SecurityVerifier.Type] { get }
}

extension GeneratedService {
    /// None.
    public static var dependencyTypes: [any Dependency.Type] { [] }

    /// A service without WebSockets has none.
    public var webSocketHandlers: [WebSocketHandler] { [] }

    /// None: a service that requires security binds its schemes' verifiers.
    public var securityVerifiers: [String: any SecurityVerifier.Type] { [:] }
}
