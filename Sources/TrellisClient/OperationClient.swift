internal import HTTPTypes
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
    public var middlewares: [any ClientMiddleware]
    /// What is validated on the client's side (nothing when the client was made without the
    /// service's description).
    public var validation: ClientValidation
    /// The service's schemas, compiled as they are first needed.
    private let validators: ServiceValidators?

    /// A client of the server at `baseURL` (`http://127.0.0.1:8080`, or with a path prefix).
    ///
    /// - Parameters:
    ///   - service: The service's description (its schemas): needed for `validation`.
    ///   - validation: What is checked against the schemas on the client's side.
    /// - Throws: ``TrellisClientError/invalidBaseURL(_:)`` when it is not an absolute http(s) URL.
    public init(
        baseURL: String, transport: any ClientTransport, middlewares: [any ClientMiddleware] = [], service: ServiceDescription? = nil,
        validation: ClientValidation = .none
    ) throws(TrellisClientError) {
        self.baseURL = try BaseURL(baseURL)
        self.transport = transport
        self.middlewares = middlewares
        self.validation = validation
        self.validators = service.map(ServiceValidators.init)
    }

    /// Sends `request` through the middleware and the transport, and reads the answer as `Output`.
    /// - Throws: ``TrellisClientError`` for a request that cannot be written or an answer that
    ///   cannot be read; what the transport or a middleware throws, unchanged.
    public func send<Output: ClientOperationOutput>(_ request: OperationRequest, as output: Output.Type) async throws -> Output {
        let response = try await send(request)
        if let validators, validation.checks.contains(.answers), response.stream == nil {
            let issues = try validators.issues(of: response, operation: request.operation)
            if !issues.isEmpty { throw TrellisClientError.answerNotValid(status: response.statusCode, issues: issues, body: response.body) }
        }
        return try Output(clientResponse: response)
    }

    /// Sends `request` through the middleware and the transport, and returns the raw answer:
    /// its body whole, unless its status is one of the request's
    /// ``OperationRequest/streamedStatuses`` and the transport streams.
    /// - Throws: ``TrellisClientError/requestNotValid(operation:issues:)`` when requests are
    ///   validated and this one does not validate; what the transport or a middleware throws.
    public func send(_ request: OperationRequest) async throws -> ClientResponse {
        if let validators, validation.checks.contains(.requests) {
            let issues = try validators.issues(of: request)
            if !issues.isEmpty { throw TrellisClientError.requestNotValid(operation: request.operation.id, issues: issues) }
        }
        let head = try request.httpRequest(base: baseURL)
        let operation = request.operation
        let streamed = request.streamedStatuses
        let transport = self.transport
        var next: ClientMiddlewareNext
        if streamed.isEmpty {
            next = { request, body in try await transport.send(request, body: body) }
        } else {
            next = { request, body in
                let response = try await transport.stream(request, body: body)
                if streamed.contains(where: { $0.contains(response.statusCode) }) { return response }
                return try await response.collected()
            }
        }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { request, body in try await middleware.intercept(request, body: body, operation: operation, next: inner) }
        }
        return try await next(head, request.body)
    }
}
