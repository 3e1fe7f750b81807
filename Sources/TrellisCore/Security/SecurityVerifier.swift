/// The credential a request carries for one security scheme, as the runtime read it: what a
/// ``SecurityVerifier`` checks.
public enum SecurityCredential: Sendable, Hashable {
    /// An API key (the value of the scheme's header, query parameter or cookie).
    case apiKey(String)
    /// A bearer token (`Authorization: Bearer …`: HTTP bearer, OAuth2, OpenID Connect).
    case bearer(String)
    /// HTTP Basic's user name and password, decoded.
    case basic(username: String, password: String)
    /// Another HTTP authentication scheme (lowercased) and its credentials, as sent.
    case authorization(scheme: String, credentials: String)
    /// Mutual TLS: nothing the runtime reads; the verifier looks at the request through the
    /// scope (for example the header a terminating proxy sets).
    case mutualTLS
}

/// Checks the credential of a security scheme and yields the caller's identity: what makes a
/// declared `security` requirement enforced.
///
/// Every scheme an operation requires must be bound to a verifier in the service's
/// ``GeneratedService/securityVerifiers``, or the application does not start. The runtime reads
/// the credential where the scheme says, then calls ``verify(_:in:)`` — before the request's
/// parameters and body are read or validated. A request without the credential is answered
/// 401 with a `WWW-Authenticate` challenge; a credential the verifier refuses (returns nil) is
/// a 401 as well; a verified identity without a required scope is a 403 naming the scope.
///
/// A verifier is a ``Dependency`` whose value is the identity: once verified, resolving it (from
/// a handler or from another dependency) gives the identity the runtime verified.
///
/// ```swift
/// enum StaffVerifier: SecurityVerifier {
///     static let dependencies: [any Dependency.Type] = [StaffKeys.self]
///
///     static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Staff? {
///         guard case .apiKey(let key) = credential else { return nil }
///         let keys = try await scope.resolve(StaffKeys.self)
///         return keys.first { ConstantTime.equals($0.key, key) }.map { Staff(name: $0.value) }
///     }
/// }
/// ```
public protocol SecurityVerifier: Dependency {
    /// The caller's identity (inferred from ``verify(_:in:)``).
    associatedtype Value
    /// The identity for `credential`, or nil when the credential is not valid (answered 401).
    /// Throwing answers the request as a handler's error would.
    static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Value?

    /// The scopes `identity` was granted, checked against the scopes an operation requires
    /// (OAuth2's). By default none: an operation that requires a scope then refuses every identity.
    static func grantedScopes(of identity: Value) -> Set<String>
}

extension SecurityVerifier {
    /// None.
    public static func grantedScopes(of identity: Value) -> Set<String> { [] }

    /// The identity the runtime verified for this request; ``NotAuthenticatedError`` when it
    /// verified none (an operation whose security is optional, asked without credentials).
    public static func resolve(in scope: DependencyScope) async throws -> Value {
        throw NotAuthenticatedError()
    }
}

/// A verifier's identity asked for on a request that carried none (answered 401).
public struct NotAuthenticatedError: Error, Sendable, CustomStringConvertible {
    /// An error.
    public init() {}

    /// "not authenticated".
    public var description: String { "not authenticated" }
}

/// Comparison of secrets in time that does not depend on where they differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, comparing every byte of the longer (a timing attack
    /// learns at most the length).
    public static func equals(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && left.count == right.count
    }

    /// The value whose key equals `secret` (an API key's table: key → client), nil when none
    /// does. `secret` is compared with every key, each comparison as ``equals(_:_:)``: the
    /// time taken tells neither which key matched nor where a wrong one differs.
    public static func value<Value>(for secret: some StringProtocol, in table: [String: Value]) -> Value? {
        var found: Value?
        for (key, value) in table where equals(key, secret) { found = value }
        return found
    }
}

/// A verifier's verdict on one credential, before the runtime keeps it.
package struct Verification: Sendable {
    /// The scopes the identity was granted.
    package let grantedScopes: Set<String>
    /// Keeps the identity as the request's value of the verifier.
    package let keep: @Sendable (DependencyScope) -> Void
}

extension SecurityVerifier {
    /// Verifies `credential`; nil when the verifier refuses it, or when there is none and the
    /// verifier is not overridden (a test's override meets the scheme without a credential).
    package static func verification(of credential: SecurityCredential?, in scope: DependencyScope) async throws -> Verification? {
        if scope.isOverridden(Self.self) {
            // A test's replacement identity: the scheme is met, credential or not.
            let identity = try await scope.resolve(Self.self)
            return Verification(grantedScopes: grantedScopes(of: identity)) { _ in }
        }
        guard let credential, let identity = try await verify(credential, in: scope) else { return nil }
        return Verification(grantedScopes: grantedScopes(of: identity)) { scope in scope.store(identity, forKey: ObjectIdentifier(Self.self)) }
    }
}

extension DependencyScope {
    /// The identity `verifier` verified for this request, or nil when it verified none (an
    /// operation whose security is optional, asked without credentials); never verifies.
    public func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value? { resolvedValue(of: verifier) }
}
