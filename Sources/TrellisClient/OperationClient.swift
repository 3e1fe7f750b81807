public import HTTPTypes
public import TrellisCore

/// A generated operation output that reads itself from an answer: one case per declared
/// status (codes first, then ranges, then `default`), its body read with the runtime's JSON
/// readers. Generated clients conform each operation's `Output`.
public protocol ClientOperationOutput: OperationOutput {
    /// Reads the output from `response`.
    /// - Throws: ``TrellisClientError`` for an undeclared status, an unexpected content type,
    ///   or a body or header that cannot be read — each with the status and the raw body.
    init(clientResponse response: ClientResponse) throws(TrellisClientError)
}

/// What every generated client is built on: where the server is, the transport, and the
/// middleware each request passes through.
public struct OperationClient: Sendable {
    /// Where the server is.
    public let baseURL: BaseURL
    /// What requests go through.
    public let transport: any ClientTransport
    /// What runs around every request, the first outermost.
    public let middlewares: [any ClientMiddleware]

    /// A client of the server at `baseURL` (`http://127.0.0.1:8080`, or with a path prefix).
    /// - Throws: ``TrellisClientError/invalidBaseURL(_:)`` when it is not an absolute http(s) URL.
    public init(baseURL: String, transport: any ClientTransport, middlewares: [any ClientMiddleware] = []) throws(TrellisClientError) {
        self.baseURL = try BaseURL(baseURL)
        self.transport = transport
        self.middlewares = middlewares
    }

    /// Sends `request` through the middleware and the transport, and reads the answer as `Output`.
    /// - Throws: ``TrellisClientError`` for a request that cannot be written or an answer that
    ///   cannot be read; what the transport or a middleware throws, unchanged.
    public func send<Output: ClientOperationOutput>(_ request: OperationRequest, as output: Output.Type) async throws -> Output {
        let response = try await send(request)
        return try Output(clientResponse: response)
    }

    /// Sends `request` through the middleware and the transport, and returns the raw answer.
    public func send(_ request: OperationRequest) async throws -> ClientResponse {
        let head = try request.httpRequest(base: baseURL)
        let operation = request.operation
        var next: ClientMiddlewareNext = { [transport] request, body in try await transport.send(request, body: body) }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { request, body in try await middleware.intercept(request, body: body, operation: operation, next: inner) }
        }
        return try await next(head, request.body)
    }
}
