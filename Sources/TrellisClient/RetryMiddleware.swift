public import HTTPTypes
public import TrellisCore

/// Retries idempotent requests (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, `TRACE`) that fail
/// in the transport or are answered 502, 503 or 504, with exponential backoff and full
/// jitter; a `Retry-After` in seconds is honoured (up to ``maximumDelay``). `POST` and `PATCH`
/// are never retried: the server may have acted on them.
public struct RetryMiddleware: ClientMiddleware {
    /// Attempts in all, the first included.
    public var maximumAttempts: Int
    /// The delay before the first retry; each next one doubles it (before jitter).
    public var baseDelay: Duration
    /// The longest delay between two attempts.
    public var maximumDelay: Duration

    /// Retries up to `maximumAttempts` in all (default 3), waiting about `baseDelay`
    /// (100 ms), then twice that, and so on, never more than `maximumDelay` (5 s).
    public init(maximumAttempts: Int = 3, baseDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5)) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    static let idempotent: Set<HTTPRequest.Method> = [.get, .head, .options, .put, .delete, .trace]
    static let retriedStatuses: Set<Int> = [502, 503, 504]

    /// Sends `request`, again after a delay while it fails and may be retried.
    public func intercept(_ request: HTTPRequest, body: [UInt8]?, operation: OperationDescription, next: ClientMiddlewareNext) async throws -> ClientResponse {
        guard Self.idempotent.contains(request.method) else { return try await next(request, body) }
        var attempt = 1
        while true {
            let delay: Duration
            do {
                let response = try await next(request, body)
                guard Self.retriedStatuses.contains(response.statusCode), attempt < maximumAttempts else { return response }
                delay = retryAfter(response) ?? backoff(attempt)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard attempt < maximumAttempts else { throw error }
                delay = backoff(attempt)
            }
            try await Task.sleep(for: delay)
            attempt += 1
        }
    }

    /// The delay before retry number `attempt`: up to `baseDelay · 2^(attempt-1)`, at random
    /// (full jitter, so that many clients do not retry in step).
    func backoff(_ attempt: Int) -> Duration {
        let ceiling = min(baseDelay * (1 << min(attempt - 1, 20)), maximumDelay)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(0, nanoseconds)))
    }

    /// A `Retry-After` of whole seconds, capped at ``maximumDelay``.
    func retryAfter(_ response: ClientResponse) -> Duration? {
        guard let text = response.headerFields[.retryAfter], let seconds = Int(text.trimmingSpaces), seconds >= 0 else { return nil }
        return min(.seconds(seconds), maximumDelay)
    }
}
