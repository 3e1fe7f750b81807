internal import Foundation
internal import HTTPTypes
public import TrellisCore

/// The token of an `Authorization: Bearer <token>` header: HTTP Bearer, and OAuth2's password
/// flow (whose tokens arrive the same way). A request without one is refused with 401 and
/// `WWW-Authenticate: Bearer`.
///
/// Use it from your own dependency, which checks the token:
///
/// ```swift
/// enum CurrentUser: Dependency {
///     static func resolve(in scope: DependencyScope) async throws -> User {
///         let token = try await scope.resolve(BearerToken.self)
///         guard let user = Users.find(token: token) else { throw HTTPError(.unauthorized, detail: "bad token") }
///         return user
///     }
/// }
/// ```
///
/// For a scheme the declaration requires (`security`), bind a `SecurityVerifier` instead: the
/// runtime then checks the token before anything else (see <doc:Security>). This dependency
/// reads a token that no declared requirement covers.
public enum BearerToken: Dependency {
    /// The token.
    public static func resolve(in scope: DependencyScope) async throws -> String {
        guard let header = scope.header("Authorization"), let token = Authorization.credentials(header, scheme: "bearer"), !token.isEmpty else {
            throw HTTPError(.unauthorized, detail: "Not authenticated", headers: [.wwwAuthenticate: "Bearer"])
        }
        return token
    }
}

/// A user name and password sent with HTTP Basic authentication.
public struct BasicCredentials: Sendable, Hashable {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String

    /// Credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// The credentials of an `Authorization: Basic <base64(user:password)>` header. A request
/// without them (or with malformed ones) is refused with 401 and `WWW-Authenticate: Basic`;
/// checking them is your dependency's work (compare in constant time).
public enum HTTPBasic: Dependency {
    /// The credentials.
    public static func resolve(in scope: DependencyScope) async throws -> BasicCredentials {
        let refusal = HTTPError(.unauthorized, detail: "Not authenticated", headers: [.wwwAuthenticate: "Basic"])
        guard let header = scope.header("Authorization"), let encoded = Authorization.credentials(header, scheme: "basic"),
            let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw refusal }
        return BasicCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}

/// An API key sent in a header, a query parameter or a cookie. Conform a type of yours, name
/// the key and where it is sent; a request without it is refused with 401.
///
/// ```swift
/// enum ServiceKey: APIKeyDependency {
///     static let keyName = "X-API-Key"
///     static let location = ParameterLocation.header
/// }
/// ```
///
/// For a scheme the declaration requires (`security`), bind a `SecurityVerifier` instead: the
/// runtime then checks the key before anything else (see <doc:Security>). This protocol reads
/// a key that no declared requirement covers.
public protocol APIKeyDependency: Dependency where Value == String {
    /// The header, query parameter or cookie that carries the key.
    static var keyName: String { get }
    /// Where the key is sent (`.header`, `.query` or `.cookie`).
    static var location: ParameterLocation { get }
}

extension APIKeyDependency {
    /// The key, as sent.
    public static func resolve(in scope: DependencyScope) async throws -> String {
        let key: String? =
            switch location {
            case .header: scope.header(keyName)
            case .query: scope.query(keyName)
            case .cookie: scope.cookie(keyName)
            case .path: nil
            }
        guard let key, !key.isEmpty else { throw HTTPError(.unauthorized, detail: "Not authenticated") }
        return key
    }
}

/// Parsing of `Authorization` headers.
enum Authorization {
    /// The credentials after `scheme` (compared case-insensitively), or nil for another scheme.
    static func credentials(_ header: String, scheme: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == scheme else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
