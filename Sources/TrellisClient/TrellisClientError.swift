/// Why a generated client could not turn an answer into its operation's output, or could not
/// write a request. Every case about an answer carries its status and raw body, so that
/// nothing the server said is lost.
public enum TrellisClientError: Error, Sendable, CustomStringConvertible {
    /// The answer's status is not one the operation declares (and it declares no `default`).
    case undeclaredStatus(status: Int, contentType: String?, body: [UInt8])
    /// The answer's body is not of the media type the operation declares for its status.
    case unexpectedContentType(status: Int, contentType: String?, expected: String, body: [UInt8])
    /// The answer's body does not parse, or does not decode into the declared type.
    case malformedBody(status: Int, reason: String, body: [UInt8])
    /// A declared response header is missing (`value` nil) or cannot be read as its type.
    case malformedHeader(status: Int, name: String, value: String?, body: [UInt8])
    /// A parameter or body of the request cannot be written (a value JSON cannot hold, a
    /// required path parameter that is absent, an object where the style allows none).
    case invalidRequest(String)
    /// The base URL is not an absolute `http` or `https` URL.
    case invalidBaseURL(String)
    /// Client-side validation (``ClientValidation``): the request's parameters or body do not
    /// satisfy the operation's schemas; it was not sent. Each issue is `where: what`.
    case requestNotValid(operation: String, issues: [String])
    /// Client-side validation (``ClientValidation``): the answer's JSON body does not satisfy
    /// the schema declared for its status. Each issue is `where: what`.
    case answerNotValid(status: Int, issues: [String], body: [UInt8])
    /// No answer came within the time ``ClientTimeoutMiddleware`` allows.
    case timedOut(operation: String, after: Duration)

    /// The answer's status, when the error is about an answer.
    public var status: Int? {
        switch self {
        case .undeclaredStatus(let status, _, _), .unexpectedContentType(let status, _, _, _), .malformedBody(let status, _, _),
            .malformedHeader(let status, _, _, _),
            .answerNotValid(let status, _, _):
            status
        case .invalidRequest, .invalidBaseURL, .requestNotValid, .timedOut: nil
        }
    }

    /// The answer's raw body, when the error is about an answer.
    public var body: [UInt8]? {
        switch self {
        case .undeclaredStatus(_, _, let body), .unexpectedContentType(_, _, _, let body), .malformedBody(_, _, let body), .malformedHeader(_, _, _, let body),
            .answerNotValid(_, _, let body):
            body
        case .invalidRequest, .invalidBaseURL, .requestNotValid, .timedOut: nil
        }
    }

    /// What went wrong, with the status and the start of the body.
    public var description: String {
        func excerpt(_ body: [UInt8]) -> String {
            guard !body.isEmpty else { return "an empty body" }
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return "body \"" + text + (body.count > 200 ? "…" : "") + "\""
        }
        switch self {
        case .undeclaredStatus(let status, let contentType, let body):
            return "the answer's status \(status) is not declared by the operation (\(contentType ?? "no content type"), \(excerpt(body)))"
        case .unexpectedContentType(let status, let contentType, let expected, let body):
            return "the \(status) answer is \(contentType ?? "of no content type"), not \(expected) (\(excerpt(body)))"
        case .malformedBody(let status, let reason, let body):
            return "the \(status) answer's body cannot be read: \(reason) (\(excerpt(body)))"
        case .malformedHeader(let status, let name, let value, _):
            return value.map { "the \(status) answer's header \(name): '\($0)' cannot be read as its declared type" }
                ?? "the \(status) answer has no \(name) header"
        case .invalidRequest(let reason):
            return "the request cannot be written: \(reason)"
        case .invalidBaseURL(let url):
            return "the base URL '\(url)' is not an absolute http or https URL"
        case .requestNotValid(let operation, let issues):
            return "the request of \(operation) does not validate, so it was not sent: " + issues.joined(separator: "; ")
        case .answerNotValid(let status, let issues, let body):
            return "the \(status) answer does not validate: " + issues.joined(separator: "; ") + " (\(excerpt(body)))"
        case .timedOut(let operation, let after):
            return "\(operation) had no answer within \(after)"
        }
    }
}
