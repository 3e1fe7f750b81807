public import Hummingbird
public import TrellisCore

/// An error that knows its own answer: the runtime asks it instead of deciding by its type.
/// ``HTTPError``, ``RequestValidationError`` and the runtime's other errors conform; conform
/// your own error types to answer them without an error handler.
///
/// ```swift
/// struct OutOfStock: AnsweringError {
///     var item: String
///     func response(format: TrellisConfiguration.ErrorFormat) -> Response {
///         HTTPError(.conflict, detail: "\(item) is out of stock").response(format: format)
///     }
/// }
/// ```
///
/// Errors that conform to Hummingbird's `HTTPResponseError` answer as Hummingbird writes them.
/// Any other error is a 500 that says nothing of it (and is logged).
public protocol AnsweringError: Error {
    /// The answer, with its body in `format`.
    func response(format: TrellisConfiguration.ErrorFormat) -> Response
}

extension HTTPError: AnsweringError {
    /// Its status and headers, with `{"detail": …}` (or problem details).
    public func response(format: TrellisConfiguration.ErrorFormat) -> Response {
        var response = ErrorBody.response(status, detail: detail, format: format)
        for field in headers { response.headers.append(field) }
        return response
    }
}

extension RequestValidationError: AnsweringError {
    /// 422 with every issue.
    public func response(format: TrellisConfiguration.ErrorFormat) -> Response {
        ErrorBody.validationResponse(issues, format: format)
    }
}

extension RequestTimeoutError: AnsweringError {
    /// 503.
    public func response(format: TrellisConfiguration.ErrorFormat) -> Response {
        ErrorBody.response(.serviceUnavailable, detail: "Request took longer than \(timeout)", format: format)
    }
}

extension NotImplementedError: AnsweringError {
    /// 501, naming the operation.
    public func response(format: TrellisConfiguration.ErrorFormat) -> Response {
        ErrorBody.response(.notImplemented, detail: description, format: format)
    }
}

extension NotAuthenticatedError: AnsweringError {
    /// 401.
    public func response(format: TrellisConfiguration.ErrorFormat) -> Response {
        ErrorBody.response(.unauthorized, detail: "Not authenticated", format: format)
    }
}
