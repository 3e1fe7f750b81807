import Foundation
import Synchronization
import Trellis
import TrellisCore

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
    public static let dependencies: [any Dependency.Type] = [StaffKeys.self, StaffTokens.self]

    public static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Staff? {
        switch credential {
        case .apiKey(let key):
            let keys = try await scope.resolve(StaffKeys.self)
            // Every key is compared, so that the time taken does not tell which one came close.
            var found: Staff?
            for (known, name) in keys where ConstantTime.equals(known, key) { found = Staff(name: name, scopes: StaffAccounts.allScopes) }
            return found
        case .bearer(let token):
            return try await scope.resolve(StaffTokens.self).staff(for: token)
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
        let text = ProcessInfo.processInfo.environment["SHELTER_STAFF_ACCOUNTS"]
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

/// The tokens issued and not yet expired (in memory: a replica knows only its own).
public final class TokenStore: Sendable {
    private struct Grant {
        var staff: Staff
        var expires: ContinuousClock.Instant
    }

    private let grants = Mutex<[String: Grant]>([:])
    /// How long a token lives.
    public let lifetime: Duration

    init(lifetime: Duration) { self.lifetime = lifetime }

    /// A new token for `staff`: 32 random bytes, base64url.
    func issue(for staff: Staff) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let now = ContinuousClock.now
        grants.withLock { grants in
            grants = grants.filter { $0.value.expires > now }
            grants[token] = Grant(staff: staff, expires: now + lifetime)
        }
        return token
    }

    /// The staff member `token` was issued to, while it lives.
    func staff(for token: String) -> Staff? {
        grants.withLock { grants in
            guard let grant = grants[token] else { return nil }
            guard grant.expires > ContinuousClock.now else {
                grants[token] = nil
                return nil
            }
            return grant.staff
        }
    }
}

/// The shelter's token store: tokens live `SHELTER_TOKEN_SECONDS` (default 3600).
public enum StaffTokens: ApplicationDependency {
    public static func start(in application: ApplicationDependencies) async throws -> TokenStore {
        let seconds = ProcessInfo.processInfo.environment["SHELTER_TOKEN_SECONDS"].flatMap(Int.init) ?? 3600
        return TokenStore(lifetime: .seconds(max(seconds, 1)))
    }
}
