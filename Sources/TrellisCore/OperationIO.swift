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

/// A dependency an operation declares: a type that produces a value from the request.
/// (The runtime resolves it; see the runtime's documentation for how.)
public protocol Dependency: Sendable {
    /// The value the operation receives.
    associatedtype Value: Sendable
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

    public init(operation: String) { self.operation = operation }

    public var description: String { "operation \(operation) is not implemented yet" }
}

/// A required parameter or body that a source did not provide (the runtime's validation
/// reports it as a 422 before an input is ever built).
public struct MissingInputError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var location: String

    public init(name: String, location: String) {
        self.name = name
        self.location = location
    }

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
}
