public import HTTPTypes
public import TrellisCore

/// What a generated client sends its requests through: one request in, its whole answer out.
///
/// Implementations: `InProcessTransport` in `TrellisTesting` (a `TrellisApplication` called
/// directly, for a service's own tests), `AsyncHTTPClientTransport` in
/// `TrellisAsyncHTTPClient`, ``URLSessionTransport``, and any of your own over an HTTP client
/// library. A
/// transport sends what it is given; the client has already written the path, query, headers
/// and body as the runtime reads them.
public protocol ClientTransport: Sendable {
    /// Sends `request` with `body` and returns the answer with its whole body.
    ///
    /// `request.scheme` and `request.authority` come from the client's base URL and
    /// `request.path` holds the base URL's path, the operation's path and the query.
    /// - Throws: What the connection throws (a refused connection, a timeout): the client
    ///   passes it on unchanged, for its middleware to retry.
    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse

    /// Sends `request` with `body` and returns as soon as the answer's head has arrived, its
    /// body in ``ClientResponse/stream`` as it comes: for operations whose answer is streamed
    /// (server-sent events, downloads).
    ///
    /// The default implementation calls ``send(_:body:)``, so the body arrives whole; a
    /// transport that can stream (``URLSessionTransport`` cannot on Linux, the AsyncHTTPClient
    /// one can) implements it.
    func stream(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse
}

extension ClientTransport {
    /// Sends with ``send(_:body:)``: the body arrives whole.
    public func stream(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        try await send(request, body: body)
    }
}

/// Code that runs around every request of a client: authentication headers, retries,
/// request ids, logging. Middlewares run in the order they are given, the first outermost.
///
/// ```swift
/// struct RequestID: ClientMiddleware {
///     func intercept(_ request: HTTPRequest, body: [UInt8]?, operation: OperationDescription,
///                    next: ClientMiddlewareNext) async throws -> ClientResponse {
///         var request = request
///         request.headerFields[HTTPField.Name("X-Request-ID")!] = "\(UInt64.random(in: 0...UInt64.max))"
///         return try await next(request, body)
///     }
/// }
/// ```
public protocol ClientMiddleware: Sendable {
    /// Handles `request` of `operation` (its id, method, path template and security
    /// requirements), calling `next` (zero, one or more times) to send it on.
    func intercept(_ request: HTTPRequest, body: [UInt8]?, operation: OperationDescription, next: ClientMiddlewareNext) async throws -> ClientResponse
}

/// The rest of the chain after a ``ClientMiddleware``: the next middleware, or the transport.
public typealias ClientMiddlewareNext = @Sendable (HTTPRequest, [UInt8]?) async throws -> ClientResponse
