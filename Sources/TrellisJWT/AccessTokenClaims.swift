public import Foundation
public import JWTKit

/// The claims of an OAuth2 access token in JWT form (RFC 9068): who it is for (`sub`), until
/// when (`exp`), from when (`nbf`), who issued it (`iss`) and for whom (`aud`), and the scopes
/// it grants (`scope`, separated by spaces).
public struct AccessTokenClaims: JWTPayload, Equatable {
    /// The subject: the caller's identifier.
    public var subject: SubjectClaim
    /// When the token expires.
    public var expiration: ExpirationClaim
    /// When it was issued.
    public var issuedAt: IssuedAtClaim?
    /// Before when it is not valid.
    public var notBefore: NotBeforeClaim?
    /// Who issued it.
    public var issuer: IssuerClaim?
    /// Whom it is for.
    public var audience: AudienceClaim?
    /// The scopes it grants, separated by spaces.
    public var scope: String?

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case expiration = "exp"
        case issuedAt = "iat"
        case notBefore = "nbf"
        case issuer = "iss"
        case audience = "aud"
        case scope
    }

    /// Claims for `subject`, valid for `lifetime` from `now`, granting `scopes`.
    public init(
        subject: String, scopes: Set<String> = [], lifetime: Duration, issuer: String? = nil, audience: String? = nil, now: Date = Date()
    ) {
        self.subject = SubjectClaim(value: subject)
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        self.expiration = ExpirationClaim(value: now.addingTimeInterval(seconds))
        self.issuedAt = IssuedAtClaim(value: now)
        self.issuer = issuer.map { IssuerClaim(value: $0) }
        self.audience = audience.map { AudienceClaim(value: [$0]) }
        self.scope = scopes.isEmpty ? nil : scopes.sorted().joined(separator: " ")
    }

    /// The scopes it grants.
    public var scopes: Set<String> { Set((scope ?? "").split(separator: " ").map(String.init)) }

    /// Whether `issuer` issued it (when given) and `audience` is among its audiences (when given).
    public func isIssued(by issuer: String? = nil, for audience: String? = nil) -> Bool {
        if let issuer, self.issuer?.value != issuer { return false }
        if let audience, !(self.audience?.value.contains(audience) ?? false) { return false }
        return true
    }

    /// Refuses a token that has expired or is not valid yet.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
        try notBefore?.verifyNotBefore()
    }
}
