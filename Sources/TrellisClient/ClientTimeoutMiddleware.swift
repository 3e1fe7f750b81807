public import HTTPTypes
public import TrellisCore

/// Bounds how long a request may wait for its answer: after ``timeout`` the request's task is
/// cancelled and ``TrellisClientError/timedOut(operation:after:)`` is thrown. Placed after a
/// ``RetryMiddleware`` it bounds each attempt (and a timed-out idempotent request is retried);
/// placed before, all attempts together.
///
/// For a streamed answer it bounds the wait for the answer's head, not the stream.
///
/// ```swift
/// let client = try PetstoreClient(baseURL: url, transport: transport,
///                                 middlewares: [RetryMiddleware(), ClientTimeoutMiddleware(.seconds(2))])
/// ```
public struct ClientTimeoutMiddleware: ClientMiddleware {
    /// How long a request may take.
    public var timeout: Duration

    /// Requests that take at most `timeout`.
    public init(_ timeout: Duration) { self.timeout = timeout }

    /// Sends `request`, cancelling it after ``timeout``.
    public func intercept(_ request: HTTPRequest, body: [UInt8]?, operation: OperationDescription, next: ClientMiddlewareNext) async throws -> ClientResponse {
        let timeout = self.timeout
        // The group ends (both tasks done) before this returns, so `next` does not outlive the call.
        return try await withoutActuallyEscaping(next) { next in
            try await withThrowingTaskGroup(of: ClientResponse?.self) { group in
                group.addTask { try await next(request, body) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw TrellisClientError.timedOut(operation: operation.id, after: timeout)
                }
                return response
            }
        }
    }
}

/// Gives every request an id in a header (`X-Request-Id`, the header the Trellis runtime's
/// `RequestIDMiddleware` reads and answers with), unless it carries one already, so that a
/// request can be found in the server's logs. Retries of a request keep its id when this
/// middleware comes before the ``RetryMiddleware``.
public struct ClientRequestIDMiddleware: ClientMiddleware {
    /// The header the id is sent in.
    public var headerName: HTTPField.Name
    /// Makes an id.
    public var makeID: @Sendable () -> String

    /// Ids in `headerName`, made by `makeID` (by default 128 random bits in hexadecimal).
    public init(headerName: HTTPField.Name = HTTPField.Name("X-Request-Id")!, makeID: @escaping @Sendable () -> String = ClientRequestIDMiddleware.randomID) {
        self.headerName = headerName
        self.makeID = makeID
    }

    /// 128 random bits as 32 hexadecimal digits.
    public static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return [generator.next() as UInt64, generator.next() as UInt64].map { number in
            let digits = String(number, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    /// Sends `request` with an id.
    public func intercept(_ request: HTTPRequest, body: [UInt8]?, operation: OperationDescription, next: ClientMiddlewareNext) async throws -> ClientResponse {
        guard request.headerFields[headerName] == nil else { return try await next(request, body) }
        var request = request
        request.headerFields[headerName] = makeID()
        return try await next(request, body)
    }
}
