import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisTesting

/// A service whose handler sets cookies.
struct CookieService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "Cookies", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "C", "version": "1"}, "paths": {}}"#, schemaDocuments: [:])

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "login", method: .post, path: "/login", parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(204), contentType: nil, schema: nil)], dependencies: ["cookies"]),
        OperationDescription(
            id: "fail", method: .post, path: "/fail", parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(204), contentType: nil, schema: nil)], dependencies: ["cookies"]),
    ]

    static var dependencyTypes: [any Dependency.Type] { [ResponseCookies.self] }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        let cookies = try await source.dependency(ResponseCookies.self)
        try cookies.set(Cookie(name: "session", value: "abc123", maxAge: 3600))
        try cookies.set(Cookie(name: "theme", value: "dark", path: nil, domain: "example.com", secure: false, httpOnly: false, sameSite: .strict))
        cookies.delete("old")
        if id == "fail" { throw HTTPError(.conflict) }
        return PlainOutput(status: 204, body: .empty)
    }
}

@Suite struct CookieTests {
    @Test func cookiesAreSetWithTheirAttributes() async throws {
        let client = TrellisTestClient(try TrellisApplication(services: CookieService()))
        let response = try await client.execute(.post, "/login")
        #expect(response.status == .noContent)
        #expect(
            response.headers[values: .setCookie] == [
                "session=abc123; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax",
                "theme=dark; Domain=example.com; SameSite=Strict",
                "old=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax",
            ])
        // A handler that throws sets none.
        let failed = try await client.execute(.post, "/fail")
        #expect(failed.status == .conflict && failed.headers[values: .setCookie].isEmpty)
    }

    @Test func whatACookieCannotCarryIsRefused() throws {
        #expect(throws: CookieError.self) { try Cookie(name: "a b", value: "x").headerValue() }
        #expect(throws: CookieError.self) { try Cookie(name: "a", value: "x;y").headerValue() }
        #expect(throws: CookieError.self) { try Cookie(name: "a", value: "two words").headerValue() }
        #expect(throws: CookieError.self) { try Cookie(name: "a", value: "x", path: "/a;b").headerValue() }
        #expect(throws: CookieError.self) { try Cookie(name: "", value: "x").headerValue() }
        // SameSite=None is only honoured with Secure.
        #expect(
            try Cookie(name: "a", value: "1", path: nil, secure: false, httpOnly: false, sameSite: SameSite.none).headerValue() == "a=1; Secure; SameSite=None")
    }
}

private typealias SameSite = Cookie.SameSite
