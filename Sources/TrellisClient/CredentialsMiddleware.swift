internal import Foundation
public import HTTPTypes
public import TrellisCore

/// Sends credentials where the declaration's security schemes say: an API key in its header,
/// query item or cookie, a bearer token or a user and password in `Authorization`. For each
/// request it takes the operation's first security requirement whose every scheme it has
/// credentials for (an operation that requires none gets none).
///
/// ```swift
/// let client = try PetstoreClient(
///     baseURL: "http://127.0.0.1:8080", transport: transport,
///     middlewares: [CredentialsMiddleware(schemes: Petstore.serviceDescription.securitySchemes,
///                                         credentials: ["apiKey": .apiKey("staff-key")])])
/// ```
public struct CredentialsMiddleware: ClientMiddleware {
    /// A credential for one scheme.
    public enum Credential: Sendable, Hashable {
        /// The value of an `apiKey` scheme.
        case apiKey(String)
        /// The token of an `http` `bearer` scheme (or an OAuth 2 / OpenID Connect access token).
        case bearer(String)
        /// The user and password of an `http` `basic` scheme.
        case basic(user: String, password: String)
    }

    /// The declared schemes, by name.
    public let schemes: [String: SecuritySchemeDescription.Kind]
    /// The credentials, by scheme name.
    public let credentials: [String: Credential]

    /// Credentials for `schemes` (a service description's `securitySchemes`), by scheme name.
    public init(schemes: [SecuritySchemeDescription], credentials: [String: Credential]) {
        self.schemes = Dictionary(schemes.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        self.credentials = credentials
    }

    /// Adds the credentials of the operation's first satisfiable security requirement.
    public func intercept(_ request: HTTPRequest, body: [UInt8]?, operation: OperationDescription, next: ClientMiddlewareNext) async throws -> ClientResponse {
        guard
            let requirement = operation.security.first(where: { requirement in
                requirement.schemes.allSatisfy { credentials[$0.name] != nil && schemes[$0.name] != nil }
            })
        else { return try await next(request, body) }
        var request = request
        for scheme in requirement.schemes {
            guard let kind = schemes[scheme.name], let credential = credentials[scheme.name] else { continue }
            apply(credential, as: kind, to: &request)
        }
        return try await next(request, body)
    }

    private func apply(_ credential: Credential, as kind: SecuritySchemeDescription.Kind, to request: inout HTTPRequest) {
        switch (kind, credential) {
        case (.apiKey(let name, let location), .apiKey(let value)):
            switch location {
            case .header:
                if let field = HTTPField.Name(name) { request.headerFields[field] = value }
            case .query:
                let item = PercentEncoding.encode(name, allowed: .queryComponent) + "=" + PercentEncoding.encode(value, allowed: .queryComponent)
                let path = request.path ?? "/"
                request.path = path + (path.contains("?") ? "&" : "?") + item
            case .cookie:
                let cookie = name + "=" + PercentEncoding.encode(value, allowed: .cookieValue)
                request.headerFields[.cookie] = request.headerFields[.cookie].map { $0 + "; " + cookie } ?? cookie
            case .path:
                break
            }
        case (_, .bearer(let token)):
            request.headerFields[.authorization] = "Bearer " + token
        case (_, .basic(let user, let password)):
            request.headerFields[.authorization] = "Basic " + Data((user + ":" + password).utf8).base64EncodedString()
        case (_, .apiKey(let value)):
            request.headerFields[.authorization] = value
        }
    }
}
