import Foundation
import HTTPTypes
import JWTKit
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisJWT
import TrellisTesting

/// The keys the test's tokens are signed with.
enum TestSigningKeys: ApplicationDependency {
    static func start(in application: ApplicationDependencies) async throws -> JWTKeyCollection {
        await JWTKeyCollection().add(hmac: HMACKey(from: "a secret of the test's, long enough for HS256"), digestAlgorithm: .sha256)
    }
}

/// Bearer tokens of the test's issuer, for its audience.
enum TestJWTVerifier: JWTBearerVerifier {
    static let dependencies: [any Dependency.Type] = [TestSigningKeys.self]
    static func keys(in scope: DependencyScope) async throws -> JWTKeyCollection { try await scope.resolve(TestSigningKeys.self) }
    static func accepts(_ claims: AccessTokenClaims) -> Bool { claims.isIssued(by: "https://issuer.test", for: "pets") }
}

/// Operations that take JWT bearer tokens, with and without a scope.
struct JWTGuardedService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "JWTGuarded", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "J", "version": "1"}, "paths": {}}"#, schemaDocuments: [:],
        securitySchemes: [SecuritySchemeDescription(name: "jwt", kind: .http(scheme: "bearer"))])

    static let operations: [OperationDescription] = ["me": [], "write": ["pets:write"]].map { id, scopes in
        OperationDescription(
            id: id, method: .get, path: "/" + id, parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: [],
            security: [SecurityRequirement([.init(name: "jwt", scopes: scopes)])])
    }

    var securityVerifiers: [String: any SecurityVerifier.Type] { ["jwt": TestJWTVerifier.self] }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        let claims = try await source.dependency(TestJWTVerifier.self)
        return PlainOutput(type: "text/plain", body: .text(claims.subject.value))
    }
}

@Suite struct JWTTests {
    let client: TrellisTestClient
    let keys: JWTKeyCollection

    init() async throws {
        client = TrellisTestClient(try TrellisApplication(services: JWTGuardedService()))
        keys = try await TestSigningKeys.start(in: ApplicationDependencies())
    }

    func token(
        _ subject: String = "alice", scopes: Set<String> = [], lifetime: Duration = .seconds(60), issuer: String = "https://issuer.test",
        audience: String = "pets", now: Date = Date(), keys: JWTKeyCollection? = nil
    ) async throws -> HTTPFields {
        let claims = AccessTokenClaims(subject: subject, scopes: scopes, lifetime: lifetime, issuer: issuer, audience: audience, now: now)
        return [.authorization: "Bearer " + (try await (keys ?? self.keys).sign(claims))]
    }

    @Test func aValidTokenIsTheCallersIdentity() async throws {
        let response = try await client.get("/me", headers: try await token())
        #expect(response.status == .ok)
        #expect(response.text == "alice")
        #expect(try await client.get("/write", headers: try await token("bob", scopes: ["pets:read", "pets:write"])).text == "bob")
    }

    @Test func everyBadTokenIs401() async throws {
        let other = await JWTKeyCollection().add(hmac: HMACKey(from: "another secret entirely, just as long"), digestAlgorithm: .sha256)
        let cases: [(String, HTTPFields)] = [
            ("none", [:]),
            ("malformed", [.authorization: "Bearer not.a.jwt"]),
            ("garbage", [.authorization: "Bearer " + String(repeating: "x", count: 5000)]),
            ("another key", try await token(keys: other)),
            ("expired", try await token(lifetime: .seconds(60), now: Date().addingTimeInterval(-120))),
            ("another issuer", try await token(issuer: "https://evil.test")),
            ("another audience", try await token(audience: "cats")),
        ]
        for (name, headers) in cases {
            let response = try await client.get("/me", headers: headers)
            #expect(response.status == .unauthorized, "\(name)")
            if name != "none" { #expect(response.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true, "\(name)") }
        }
        // "alg": "none" is no signature at all.
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6NDEwMjQ0NDgwMH0."
        #expect(try await client.get("/me", headers: [.authorization: "Bearer " + unsigned]).status == .unauthorized)
    }

    @Test func aTokenWithoutTheScopeIs403() async throws {
        let response = try await client.get("/write", headers: try await token(scopes: ["pets:read"]))
        #expect(response.status == .forbidden)
        #expect(try response.json() == ["detail": "Not enough permissions: the scope pets:write is required"])
    }
}
