public import HTTPTypes

/// An answer a handler (or a dependency) gives instead of its declared output:
/// the status, a detail, and headers, written as `{"detail": ...}` (or as RFC 9457
/// problem details, following ``TrellisConfiguration/errorFormat``).
///
/// ```swift
/// throw HTTPError(.forbidden, detail: "not your pet")
/// ```
public struct HTTPError: Error, Sendable {
    /// The status code.
    public var status: HTTPResponse.Status
    /// What went wrong, as a sentence for the client.
    public var detail: String
    /// Extra headers (`WWW-Authenticate`, `Retry-After`, ...).
    public var headers: HTTPFields

    /// Creates an error answer.
    public init(_ status: HTTPResponse.Status, detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail ?? status.reasonPhrase
        self.headers = headers
    }
}
