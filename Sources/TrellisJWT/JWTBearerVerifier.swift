public import JWTKit
public import TrellisCore

/// A verifier of JWT bearer tokens (RFC 7519, RFC 9068), on vapor's
/// [jwt-kit](https://github.com/vapor/jwt-kit): the token's signature is checked with the keys
/// of a `JWTKeyCollection` (HMAC, RSA, ECDSA, EdDSA; a JWKS), then its claims' own
/// `verify(using:)` (``AccessTokenClaims`` checks `exp` and `nbf`), then ``accepts(_:)`` (the
/// issuer and audience you expect). A token that fails any check — malformed, signed with
/// another key, expired, not yet valid, for another audience — is answered 401 with
/// `WWW-Authenticate: Bearer error="invalid_token"`; a valid one without an operation's scope,
/// 403. Tokens are checked where they arrive, with no state shared between replicas.
///
/// ```swift
/// /// The keys tokens are signed with, from the environment, once at start-up.
/// enum SigningKeys: ApplicationDependency {
///     static func start(in application: ApplicationDependencies) async throws -> JWTKeyCollection {
///         await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
///     }
/// }
///
/// enum StaffTokens: JWTBearerVerifier {
///     static let dependencies: [any Dependency.Type] = [SigningKeys.self]
///     static func keys(in scope: DependencyScope) async throws -> JWTKeyCollection {
///         try await scope.resolve(SigningKeys.self)
///     }
///     static func accepts(_ claims: AccessTokenClaims) -> Bool {
///         claims.isIssued(by: "https://shelter.example", for: "shelter")
///     }
/// }
/// ```
///
/// Bind it to the scheme (`bearer` HTTP, OAuth2 or OpenID Connect) in the service's
/// `securityVerifiers`: `["staffToken": StaffTokens.self]`.
public protocol JWTBearerVerifier: SecurityVerifier where Value == Claims {
    /// The token's payload (``AccessTokenClaims`` unless the verifier names another).
    associatedtype Claims: JWTPayload = AccessTokenClaims
    /// The keys tokens may be signed with (usually an `ApplicationDependency`'s value).
    static func keys(in scope: DependencyScope) async throws -> JWTKeyCollection
    /// Whether claims whose signature and own checks passed are for this service (its
    /// issuer, its audience); default: yes.
    static func accepts(_ claims: Claims) -> Bool
}

extension JWTBearerVerifier {
    /// Yes.
    public static func accepts(_ claims: Claims) -> Bool { true }

    /// The claims of a valid bearer token; nil (401) for any other credential or token.
    /// - Throws: What ``keys(in:)`` throws.
    public static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Claims? {
        guard case .bearer(let token) = credential else { return nil }
        let keys = try await keys(in: scope)
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self)
        } catch {
            // Malformed, badly signed, expired, not yet valid: the client's token, not a fault.
            return nil
        }
        return accepts(claims) ? claims : nil
    }
}

extension JWTBearerVerifier where Claims == AccessTokenClaims {
    /// The token's `scope` claim, split at spaces.
    public static func grantedScopes(of identity: AccessTokenClaims) -> Set<String> { identity.scopes }
}
