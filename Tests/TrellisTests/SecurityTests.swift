import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// A caller, as the test verifiers know them.
struct Caller: Sendable, Hashable {
    var name: String
    var scopes: Set<String> = []
}

/// `X-Key: k-alice` is Alice.
enum KeyVerifier: SecurityVerifier {
    static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Caller? {
        guard case .apiKey(let key) = credential, ConstantTime.equals(key, "k-alice") else { return nil }
        return Caller(name: "alice")
    }
}

/// `Bearer t-read` reads; `Bearer t-write` reads and writes.
enum TokenVerifier: SecurityVerifier {
    static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> Caller? {
        guard case .bearer(let token) = credential else { return nil }
        switch token {
        case "t-read": return Caller(name: "reader", scopes: ["pets:read"])
        case "t-write": return Caller(name: "writer", scopes: ["pets:read", "pets:write"])
        default: return nil
        }
    }

    static func grantedScopes(of identity: Caller) -> Set<String> { identity.scopes }
}

/// `Basic u:p`.
enum BasicVerifier: SecurityVerifier {
    static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> String? {
        guard case .basic(let username, let password) = credential, ConstantTime.equals(username, "u") && ConstantTime.equals(password, "p") else { return nil }
        return username
    }
}

/// A service whose operations require security in every way OpenAPI allows.
struct GuardedService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "Guarded", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "G", "version": "1"}, "paths": {}}"#,
        schemaDocuments: [
            "file:///g.json":
                #"{"$defs": {"Thing": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}, "n": {"type": "integer"}}}"#
        ],
        securitySchemes: [
            SecuritySchemeDescription(name: "key", kind: .apiKey(name: "X-Key", location: .header)),
            SecuritySchemeDescription(name: "cookieKey", kind: .apiKey(name: "session", location: .cookie)),
            SecuritySchemeDescription(name: "token", kind: .oauth2),
            SecuritySchemeDescription(name: "basic", kind: .http(scheme: "basic")),
        ])

    static func operation(_ id: String, _ security: [SecurityRequirement], method: OperationDescription.Method = .get) -> OperationDescription {
        OperationDescription(
            id: id, method: method, path: "/" + id,
            parameters: method == .post
                ? [ParameterDescription(name: "n", location: .query, required: true, schema: "file:///g.json#/$defs/n", type: .integer)] : [],
            body: method == .post ? BodyDescription(contentType: "application/json", required: true, schema: "file:///g.json#/$defs/Thing") : nil,
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: [], security: security)
    }

    static let operations: [OperationDescription] = [
        operation("keyed", [SecurityRequirement([.init(name: "key")])]),
        operation("cookie", [SecurityRequirement([.init(name: "cookieKey")])]),
        operation("scoped", [SecurityRequirement([.init(name: "token", scopes: ["pets:write"])])]),
        operation("either", [SecurityRequirement([.init(name: "key")]), SecurityRequirement([.init(name: "token", scopes: ["pets:read"])])]),
        operation("both", [SecurityRequirement([.init(name: "key"), .init(name: "basic")])]),
        operation("optional", [SecurityRequirement([.init(name: "token")]), SecurityRequirement([])]),
        operation("optionalFirst", [SecurityRequirement([]), SecurityRequirement([.init(name: "token")])]),
        operation("validated", [SecurityRequirement([.init(name: "key")])], method: .post),
        operation("open", []),
    ]

    var securityVerifiers: [String: any SecurityVerifier.Type] {
        ["key": KeyVerifier.self, "cookieKey": KeyVerifier.self, "token": TokenVerifier.self, "basic": BasicVerifier.self]
    }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        let text: String
        switch id {
        case "keyed", "cookie", "validated": text = try await source.dependency(KeyVerifier.self).name
        case "scoped": text = try await source.dependency(TokenVerifier.self).name
        case "either":
            text = source.identity(KeyVerifier.self)?.name ?? source.identity(TokenVerifier.self)?.name ?? "?"
        case "both": text = try await source.dependency(KeyVerifier.self).name + "+" + source.dependency(BasicVerifier.self)
        case "optional", "optionalFirst": text = source.identity(TokenVerifier.self)?.name ?? "anonymous"
        default: text = "open"
        }
        return PlainOutput(type: "text/plain", body: .text(text))
    }
}

@Suite struct SecurityTests {
    let client: TrellisTestClient

    init() throws { client = TrellisTestClient(try TrellisApplication(services: GuardedService())) }

    static let key = HTTPField.Name("X-Key")!

    @Test func withoutCredentialsIs401WithAChallenge() async throws {
        let response = try await client.get("/keyed")
        #expect(response.status == .unauthorized)
        #expect(try response.json() == ["detail": "Not authenticated"])
        #expect(response.headers[values: .wwwAuthenticate] == [#"APIKey realm="Guarded", in="header", name="X-Key""#])
        let scoped = try await client.get("/scoped")
        #expect(scoped.headers[values: .wwwAuthenticate] == [#"Bearer realm="Guarded""#])
    }

    @Test func aValidCredentialLetsTheRequestInWithItsIdentity() async throws {
        #expect(try await client.get("/keyed", headers: [Self.key: "k-alice"]).text == "alice")
        #expect(try await client.get("/cookie", headers: [.cookie: "a=b; session=k-alice"]).text == "alice")
        #expect(try await client.get("/scoped", headers: [.authorization: "Bearer t-write"]).text == "writer")
        #expect(try await client.get("/open").text == "open")
    }

    @Test func aRefusedCredentialIs401() async throws {
        let key = try await client.get("/keyed", headers: [Self.key: "k-mallory"])
        #expect(key.status == .unauthorized)
        #expect(try key.json() == ["detail": "Invalid authentication credentials"])
        let token = try await client.get("/scoped", headers: [.authorization: "Bearer forged"])
        #expect(token.status == .unauthorized)
        #expect(token.headers[.wwwAuthenticate] == #"Bearer realm="Guarded", error="invalid_token""#)
        // Another scheme's credentials are no credentials for this one.
        #expect(try await client.get("/scoped", headers: [.authorization: "Basic dTpw"]).status == .unauthorized)
    }

    @Test func aMissingScopeIs403NamingIt() async throws {
        let response = try await client.get("/scoped", headers: [.authorization: "Bearer t-read"])
        #expect(response.status == .forbidden)
        #expect(try response.json() == ["detail": "Not enough permissions: the scope pets:write is required"])
        #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="Guarded", error="insufficient_scope", scope="pets:write""#)
    }

    @Test func alternativesAnyOneOfWhichIsEnough() async throws {
        #expect(try await client.get("/either", headers: [Self.key: "k-alice"]).text == "alice")
        #expect(try await client.get("/either", headers: [.authorization: "Bearer t-read"]).text == "reader")
        let neither = try await client.get("/either")
        #expect(neither.status == .unauthorized)
        #expect(neither.headers[values: .wwwAuthenticate].count == 2)
        // The most specific refusal of all the alternatives: a bad key, a good token without the scope.
        let refused = try await client.get("/either", headers: [Self.key: "bad", .authorization: "Bearer nope"])
        #expect(refused.status == .unauthorized)
    }

    @Test func everySchemeOfARequirementMustBeMet() async throws {
        let basic = "Basic " + Data("u:p".utf8).base64EncodedString()
        #expect(try await client.get("/both", headers: [Self.key: "k-alice", .authorization: basic]).text == "alice+u")
        #expect(try await client.get("/both", headers: [Self.key: "k-alice"]).status == .unauthorized)
        #expect(try await client.get("/both", headers: [.authorization: basic]).status == .unauthorized)
        let wrong = "Basic " + Data("u:q".utf8).base64EncodedString()
        #expect(try await client.get("/both", headers: [Self.key: "k-alice", .authorization: wrong]).status == .unauthorized)
        #expect(try await client.get("/both", headers: [Self.key: "k-alice", .authorization: "Basic %%%"]).status == .unauthorized)
    }

    @Test func anEmptyRequirementMakesSecurityOptional() async throws {
        #expect(try await client.get("/optional").text == "anonymous")
        #expect(try await client.get("/optional", headers: [.authorization: "Bearer t-read"]).text == "reader")
        // A bad token on an optional operation: anonymous, as OpenAPI's `{}` alternative says.
        #expect(try await client.get("/optional", headers: [.authorization: "Bearer forged"]).text == "anonymous")
        // `{}` first: the caller who has a token is still known.
        #expect(try await client.get("/optionalFirst", headers: [.authorization: "Bearer t-read"]).text == "reader")
        #expect(try await client.get("/optionalFirst").text == "anonymous")
    }

    @Test func credentialsAreCheckedBeforeParametersAndBody() async throws {
        let response = try await client.post("/validated", json: ["wrong": true])
        #expect(response.status == .unauthorized)
        let refused = try await client.post("/validated", json: ["wrong": true], headers: [Self.key: "bad"])
        #expect(refused.status == .unauthorized)
        let invalid = try await client.post("/validated", json: ["wrong": true], headers: [Self.key: "k-alice"])
        #expect(invalid.status == .unprocessableContent)
        #expect(try invalid.json()["detail"]?.arrayValue?.count == 2)
        #expect(try await client.post("/validated?n=1", json: ["name": "x"], headers: [Self.key: "k-alice"]).text == "alice")
    }

    @Test func anOverriddenVerifierMeetsItsSchemeInTests() async throws {
        var app = try TrellisApplication(services: GuardedService())
        app.overrideDependency(TokenVerifier.self, value: Caller(name: "tester", scopes: ["pets:write"]))
        #expect(try await TrellisTestClient(app).get("/scoped").text == "tester")
    }

    @Test func aRequiredSchemeWithoutAVerifierStopsTheStart() throws {
        struct Unbound: HandWrittenService {
            static var serviceDescription: ServiceDescription { GuardedService.serviceDescription }
            static var operations: [OperationDescription] { GuardedService.operations }
            var securityVerifiers: [String: any SecurityVerifier.Type] {
                ["key": KeyVerifier.self, "cookieKey": KeyVerifier.self, "basic": BasicVerifier.self]
            }
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                throw NotImplementedError(operation: id)
            }
        }
        #expect {
            try TrellisApplication(services: Unbound())
        } throws: { error in
            "\(error)"
                == "service Guarded, operation scoped: the security scheme token has no verifier; bind one in the implementation's securityVerifiers, or the operation would be open"
        }
        struct Misbound: HandWrittenService {
            static var serviceDescription: ServiceDescription { GuardedService.serviceDescription }
            static var operations: [OperationDescription] { [] }
            var securityVerifiers: [String: any SecurityVerifier.Type] { ["tokn": TokenVerifier.self] }
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                throw NotImplementedError(operation: id)
            }
        }
        #expect {
            try TrellisApplication(services: Misbound())
        } throws: { error in
            "\(error)" == "service Guarded binds a verifier to the security scheme tokn, which it does not declare"
        }
    }

    @Test func overASocket() async throws {
        try await TrellisTestClient.withLiveServer(try TrellisApplication(services: GuardedService())) { client in
            let refused = try await client.post("/validated", json: ["wrong": true])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] != nil)
            #expect(try await client.get("/scoped", headers: [.authorization: "Bearer t-read"]).status == .forbidden)
            #expect(try await client.get("/scoped", headers: [.authorization: "Bearer t-write"]).text == "writer")
        }
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("secret", "secret"))
        #expect(!ConstantTime.equals("secret", "secreT"))
        #expect(!ConstantTime.equals("secret", "secret!"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(ConstantTime.equals("", ""))
    }

    @Test func constantTimeLookUpFindsTheKeysValue() {
        let keys = ["k-ann": "Ann", "k-bob": "Bob"]
        #expect(ConstantTime.value(for: "k-bob", in: keys) == "Bob")
        #expect(ConstantTime.value(for: "k-bo", in: keys) == nil)
        #expect(ConstantTime.value(for: "K-BOB", in: keys) == nil)
        #expect(ConstantTime.value(for: "", in: keys) == nil)
        #expect(ConstantTime.value(for: "k-ann", in: [String: Int]()) == nil)
    }
}
