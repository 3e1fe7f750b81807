public import HTTPTypes

#if canImport(FoundationNetworking)
    internal import Foundation
    public import FoundationNetworking
#else
    public import Foundation
#endif

/// A transport over Foundation's `URLSession`: on Apple platforms, and on Linux through
/// FoundationNetworking (libcurl).
public struct URLSessionTransport: ClientTransport {
    /// The session requests go through.
    public let session: URLSession
    /// How long a request may take in all, or nil for the session's own bound.
    public var timeout: Duration?

    /// A transport over `session` (by default the shared one).
    public init(session: URLSession = .shared, timeout: Duration? = nil) {
        self.session = session
        self.timeout = timeout
    }

    /// Sends `request` with the session and collects the answer.
    public func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        let text = (request.scheme ?? "http") + "://" + (request.authority ?? "localhost") + (request.path ?? "/")
        guard let url = URL(string: text) else { throw TrellisClientError.invalidRequest("'\(text)' is not a URL") }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        for field in request.headerFields where field.name != .contentLength {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name.rawName)
        }
        if let timeout {
            urlRequest.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        }
        if let body { urlRequest.httpBody = Data(body) }
        let (data, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else { throw TrellisClientError.invalidRequest("the answer to \(text) is not HTTP") }
        var fields = HTTPFields()
        for (name, value) in http.allHeaderFields {
            guard let text = name as? String, let name = HTTPField.Name(text), let value = value as? String else { continue }
            fields.append(HTTPField(name: name, value: value))
        }
        return ClientResponse(status: HTTPResponse.Status(code: http.statusCode), headerFields: fields, body: Array(data))
    }
}
