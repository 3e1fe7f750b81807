import Foundation
import JWTKit
import Trellis
import TrellisCore
import TrellisJWT

/// Someone who works at the shelter, as a request proved it.
public struct Staff: Sendable, Hashable {
    /// Their name.
    public var name: String
    /// What they may do: all of it with a staff key; a token's scopes with a token.
    public var scopes: Set<String>
}

/// The staff member whose credential the request carries: the verifier of both the
/// `staffKey` scheme (an `X-API-Key` header) and the `staffToken` scheme (a bearer token from
/// `POST /shelter/token`, with its scopes).
public enum StaffMember: SecurityVerifier {
    public static let dependencies: [any Dependency.Type] = [StaffKeys.self, StaffJWT.self]

    public static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Staff? {
        switch credential {
        case .apiKey(let key):
            let keys = try await scope.resolve(StaffKeys.self)
            // Every key is compared, so that the time taken does not tell which one came close.
            return ConstantTime.value(for: key, in: keys).map { Staff(name: $0, scopes: StaffAccounts.allScopes) }
        case .bearer:
            return try await StaffJWT.verify(credential, in: scope).map { Staff(name: $0.subject.value, scopes: $0.scopes) }
        default:
            return nil
        }
    }

    public static func grantedScopes(of staff: Staff) -> Set<String> { staff.scopes }
}

/// The known staff keys, read once at start-up from `SHELTER_STAFF_KEYS`
/// (`key:name,key:name`; default `staff-key:Alex`).
public enum StaffKeys: ApplicationDependency {
    public static func start(in application: ApplicationDependencies) async throws -> [String: String] {
        let text = ProcessInfo.processInfo.environment["SHELTER_STAFF_KEYS"] ?? "staff-key:Alex"
        var keys: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { keys[String(parts[0])] = String(parts[1]) }
        }
        return keys
    }
}

/// A staff account that may ask for tokens.
public struct StaffAccount: Sendable {
    /// The user name.
    public var username: String
    /// The password (an example's: a real service keeps a slow hash).
    public var password: String
    /// The scopes its tokens may have.
    public var scopes: Set<String>
}

/// The staff accounts, read once at start-up from `SHELTER_STAFF_ACCOUNTS`
/// (`user:password:scope scope,…`; by default `alex`, with every scope, and `sam`, who may
/// admit animals but not export them).
public enum StaffAccounts: ApplicationDependency {
    /// Every scope the shelter defines.
    public static let allScopes: Set<String> = ["animals:write", "animals:export"]

    public static func start(in application: ApplicationDependencies) async throws -> [StaffAccount] {
        let text =
            ProcessInfo.processInfo.environment["SHELTER_STAFF_ACCOUNTS"]
            ?? "alex:shelter-password:animals:write animals:export,sam:sam-password:animals:write"
        return text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            return StaffAccount(username: String(parts[0]), password: String(parts[1]), scopes: Set(parts[2].split(separator: " ").map(String.init)))
        }
    }

    /// The account whose user name and password these are; every account is compared.
    static func account(_ username: String, _ password: String, in accounts: [StaffAccount]) -> StaffAccount? {
        var found: StaffAccount?
        for account in accounts where ConstantTime.equals(account.username, username) && ConstantTime.equals(account.password, password) { found = account }
        return found
    }
}

/// Issues and checks the shelter's access tokens: JWTs (HS256) signed with
/// `SHELTER_TOKEN_SECRET`, so that every replica given the same secret accepts every token
/// (without one, a random secret of the process's own: tokens then die with it).
public struct TokenSigner: Sendable {
    /// The signing key.
    let keys: JWTKeyCollection
    /// How long a token lives.
    public let lifetime: Duration
    /// The issuer and audience written into tokens and required of them.
    static let issuer = "trellis-shelter"
    static let audience = "shelter"

    /// A new token for `staff`.
    func issue(for staff: Staff) async throws -> String {
        try await keys.sign(AccessTokenClaims(subject: staff.name, scopes: staff.scopes, lifetime: lifetime, issuer: Self.issuer, audience: Self.audience))
    }
}

/// The shelter's token signer: tokens live `SHELTER_TOKEN_SECONDS` (default 3600).
public enum StaffTokens: ApplicationDependency {
    public static func start(in application: ApplicationDependencies) async throws -> TokenSigner {
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["SHELTER_TOKEN_SECONDS"].flatMap(Int.init) ?? 3600
        let secret =
            environment["SHELTER_TOKEN_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return TokenSigner(keys: keys, lifetime: .seconds(max(seconds, 1)))
    }
}

/// The bearer tokens of `POST /shelter/token`: signed by the shelter, for the shelter, not expired.
enum StaffJWT: JWTBearerVerifier {
    static let dependencies: [any Dependency.Type] = [StaffTokens.self]
    static func keys(in scope: DependencyScope) async throws -> JWTKeyCollection { try await scope.resolve(StaffTokens.self).keys }
    static func accepts(_ claims: AccessTokenClaims) -> Bool { claims.isIssued(by: TokenSigner.issuer, for: TokenSigner.audience) }
}
