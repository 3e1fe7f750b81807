public import Hummingbird

/// A request that failed validation: every issue found in its parameters and body.
/// The runtime answers it with a 422 in the configured format, unless an error handler
/// for this type answers it otherwise (see ``TrellisApplication/handleErrors(of:_:)-(_,(E)->HTTPError)``).
public struct RequestValidationError: Error, Sendable {
    /// Every issue, in the order found: parameters first, then the body.
    public var issues: [ValidationIssue]

    /// An error with these issues.
    public init(issues: [ValidationIssue]) { self.issues = issues }
}

/// A request that took longer than ``TrellisConfiguration/requestTimeout``; answered 503.
public struct RequestTimeoutError: Error, Sendable, CustomStringConvertible {
    /// The limit that was exceeded.
    public var timeout: Duration

    /// "the request took longer than …".
    public var description: String { "the request took longer than \(timeout)" }
}

/// How one error type is answered: registered with ``TrellisApplication/handleErrors(of:_:)-(_,(E)->HTTPError)``.
struct ErrorHandler: Sendable {
    /// The answer for `error`, or nil when the error is not of the handler's type.
    let answer: @Sendable (any Error, Request) async -> ErrorAnswer?
}

/// What an error handler answers.
enum ErrorAnswer: Sendable {
    /// Written in the configured error format.
    case error(HTTPError)
    /// Sent as it is.
    case response(Response)
}

extension TrellisApplication {
    /// Answers errors of type `E` — thrown by handlers, or the runtime's own
    /// ``RequestValidationError`` — with an ``HTTPError``, written in the configured format.
    /// Handlers are tried in the order they were added; the first whose type matches answers.
    ///
    /// ```swift
    /// app.handleErrors(of: PetStore.NotFound.self) { error in
    ///     HTTPError(.notFound, detail: "no pet \(error.id)")
    /// }
    /// ```
    public mutating func handleErrors<E: Error>(of type: E.Type, _ handler: @escaping @Sendable (E) async -> HTTPError) {
        responder.errorHandlers.append(
            ErrorHandler { error, _ in
                guard let error = error as? E else { return nil }
                return .error(await handler(error))
            })
    }

    /// Answers errors of type `E` with a response of your own making (any status, headers
    /// and body), given the request that failed.
    public mutating func handleErrors<E: Error>(of type: E.Type, _ handler: @escaping @Sendable (E, Request) async -> Response) {
        responder.errorHandlers.append(
            ErrorHandler { error, request in
                guard let error = error as? E else { return nil }
                return .response(await handler(error, request))
            })
    }
}
