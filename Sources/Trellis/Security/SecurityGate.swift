internal import Foundation
internal import HTTPTypes
internal import TrellisCore

/// An operation's security, compiled at start-up: the ways of meeting it, each scheme with its
/// verifier and where its credential is read; checked before anything else of the request.
struct SecurityGate: Sendable {
    /// A scheme an operation requires, with the scopes it must grant.
    struct Scheme: Sendable {
        let name: String
        let kind: SecuritySchemeDescription.Kind
        let scopes: [String]
        let verifier: any SecurityVerifier.Type
    }

    /// The requirements, any one of which lets a request in (an empty one: every request).
    let requirements: [[Scheme]]
    /// The `WWW-Authenticate` challenges of a 401, one per scheme that has one.
    let challenges: [String]

    /// The gate of `operation`, or nil when it is open.
    /// - Throws: ``TrellisStartupError`` for a required scheme that is undeclared or has no verifier.
    init?(
        operation: OperationDescription, service: ServiceDescription, verifiers: [String: any SecurityVerifier.Type]
    ) throws(TrellisStartupError) {
        try self.init(what: "operation \(operation.id)", security: operation.security, service: service, verifiers: verifiers)
    }

    /// The gate of a route (`what` names it in errors) with `security`, or nil when it is open.
    init?(
        what: String, security: [SecurityRequirement], service: ServiceDescription, verifiers: [String: any SecurityVerifier.Type]
    ) throws(TrellisStartupError) {
        guard !security.isEmpty else { return nil }
        var requirements: [[Scheme]] = []
        var challenges: [String] = []
        for requirement in security {
            var schemes: [Scheme] = []
            for required in requirement.schemes {
                guard let declared = service.securitySchemes.first(where: { $0.name == required.name }) else {
                    throw TrellisStartupError("service \(service.name), \(what): the security scheme \(required.name) is not declared")
                }
                guard let verifier = verifiers[required.name] else {
                    throw TrellisStartupError(
                        "service \(service.name), \(what): the security scheme \(required.name) has no verifier; "
                            + "bind one in the implementation's securityVerifiers, or the operation would be open")
                }
                schemes.append(Scheme(name: required.name, kind: declared.kind, scopes: required.scopes, verifier: verifier))
                if let challenge = Self.challenge(declared.kind, realm: service.name), !challenges.contains(challenge) { challenges.append(challenge) }
            }
            requirements.append(schemes)
        }
        self.requirements = requirements
        self.challenges = challenges
    }

    /// The challenge a 401 sends for a scheme (RFC 9110 §11.6.1; RFC 6750 for bearer tokens).
    static func challenge(_ kind: SecuritySchemeDescription.Kind, realm: String) -> String? {
        switch kind {
        case .http("basic"): "Basic realm=\"\(realm)\", charset=\"UTF-8\""
        case .http("bearer"), .oauth2, .openIdConnect: "Bearer realm=\"\(realm)\""
        case .http(let scheme): scheme.prefix(1).uppercased() + scheme.dropFirst() + " realm=\"\(realm)\""
        case .apiKey(let name, let location): "APIKey realm=\"\(realm)\", in=\"\(location.rawValue)\", name=\"\(name)\""
        case .mutualTLS: nil
        }
    }

    /// Where the runtime reads credentials from.
    struct Credentials: Sendable {
        let headers: HTTPFields
        let query: [(name: String, value: String)]
        let cookies: @Sendable () -> [(name: String, value: String)]

        /// The credential `scheme` reads, or nil when the request carries none for it.
        func credential(for kind: SecuritySchemeDescription.Kind) -> SecurityCredential? {
            switch kind {
            case .apiKey(let name, let location):
                let value: String? =
                    switch location {
                    case .header: HTTPField.Name(name).flatMap { headers[$0] }
                    case .query: query.first { $0.name == name }?.value
                    case .cookie: cookies().first { $0.name == name }?.value
                    case .path: nil
                    }
                return value.flatMap { $0.isEmpty ? nil : .apiKey($0) }
            case .http("basic"):
                guard let encoded = authorization(scheme: "basic") else { return nil }
                guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else {
                    // Malformed: sent, but no credential a verifier could accept.
                    return .basic(username: "", password: "")
                }
                return .basic(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
            case .http("bearer"), .oauth2, .openIdConnect:
                return authorization(scheme: "bearer").map(SecurityCredential.bearer)
            case .http(let scheme):
                return authorization(scheme: scheme).map { .authorization(scheme: scheme, credentials: $0) }
            case .mutualTLS:
                return .mutualTLS
            }
        }

        private func authorization(scheme: String) -> String? {
            for value in headers[values: .authorization] {
                if let credentials = Authorization.credentials(value, scheme: scheme), !credentials.isEmpty { return credentials }
            }
            return nil
        }
    }

    /// Lets the request in, keeping the verified identities in `scope`, or throws the answer:
    /// 401 without a credential or with one refused, 403 for a verified identity without a
    /// required scope (the most specific answer of all the requirements tried).
    func check(_ credentials: Credentials, in scope: DependencyScope) async throws {
        var refusal: Refusal?
        var verdicts: [String: Verification?] = [:]
        // `{}` makes the rest optional, wherever it stands: the others are tried first, so
        // that a caller who has credentials is still known.
        requirements: for requirement in requirements where !requirement.isEmpty {
            var kept: [Verification] = []
            for scheme in requirement {
                let credential = credentials.credential(for: scheme.kind)
                let verdict: Verification?
                if let known = verdicts[scheme.name] {
                    verdict = known
                } else {
                    verdict = try await scheme.verifier.verification(of: credential, in: scope)
                    verdicts[scheme.name] = verdict
                }
                guard let verdict else {
                    refusal = max(refusal, credential == nil ? .missing : .invalid(bearer: scheme.kind.readsBearerToken))
                    continue requirements
                }
                if let missing = scheme.scopes.first(where: { !verdict.grantedScopes.contains($0) }) {
                    refusal = max(refusal, .insufficientScope(missing))
                    continue requirements
                }
                kept.append(verdict)
            }
            for verdict in kept { verdict.keep(scope) }
            return
        }
        if requirements.contains(where: \.isEmpty) { return }
        throw error(refusal ?? .missing)
    }

    /// Why a requirement was not met, from the least specific.
    enum Refusal: Comparable {
        static func < (a: Refusal, b: Refusal) -> Bool { a.rank < b.rank }

        private var rank: Int {
            switch self {
            case .missing: 0
            case .invalid: 1
            case .insufficientScope: 2
            }
        }

        case missing
        /// A credential the verifier refused (of a bearer scheme: RFC 6750's `invalid_token`).
        case invalid(bearer: Bool)
        case insufficientScope(String)
    }

    private func max(_ a: Refusal?, _ b: Refusal) -> Refusal { a.map { Swift.max($0, b) } ?? b }

    private func error(_ refusal: Refusal) -> HTTPError {
        switch refusal {
        case .missing:
            return HTTPError(.unauthorized, detail: "Not authenticated", headers: challengeFields(error: nil))
        case .invalid(let bearer):
            return HTTPError(
                .unauthorized, detail: "Invalid authentication credentials", headers: challengeFields(error: bearer ? "error=\"invalid_token\"" : nil))
        case .insufficientScope(let scope):
            var headers = HTTPFields()
            if let bearer = challenges.first(where: { $0.hasPrefix("Bearer ") }) {
                headers.append(HTTPField(name: .wwwAuthenticate, value: bearer + ", error=\"insufficient_scope\", scope=\"\(scope)\""))
            }
            return HTTPError(.forbidden, detail: "Not enough permissions: the scope \(scope) is required", headers: headers)
        }
    }

    private func challengeFields(error: String?) -> HTTPFields {
        var fields = HTTPFields()
        for challenge in challenges {
            // RFC 6750 §3.1: a bearer token that was sent and refused is `invalid_token`.
            let value = if let error, challenge.hasPrefix("Bearer ") { challenge + ", " + error } else { challenge }
            fields.append(HTTPField(name: .wwwAuthenticate, value: value))
        }
        return fields
    }
}

extension SecuritySchemeDescription.Kind {
    /// Whether the scheme's credential is an `Authorization: Bearer` token.
    var readsBearerToken: Bool {
        switch self {
        case .http("bearer"), .oauth2, .openIdConnect: true
        default: false
        }
    }
}
