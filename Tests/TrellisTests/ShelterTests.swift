import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Shelter

/// The example's second service, end to end on a SQLite file of its own.
@Suite struct ShelterTests {
    let key = HTTPField.Name("X-API-Key")!

    /// The shelter on a new database of `kind`, with a store the test can read too.
    func withShelter(_ kind: StoreKind, _ body: (TrellisTestClient, any ShelterStore, TrellisApplication) async throws -> Void) async throws {
        try await kind.withStore { store in
            var app = try TrellisApplication(services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: store)
            try await body(TrellisTestClient(app), store, app)
        }
    }

    @Test func theStaffKeyIsASecuritySchemeOfTheOperationsThatNeedIt() throws {
        let document = try JSON(parsing: TrellisApplication(services: ShelterImplementation()).openAPIDocument)
        #expect(
            document["components"]?["securitySchemes"]?["staffKey"] == [
                "type": "apiKey", "in": "header", "name": "X-API-Key", "description": "A staff member's key.",
            ])
        #expect(document["paths"]?["/shelter/animals"]?["post"]?["security"] == [["staffKey": []], ["staffToken": ["animals:write"]]])
        #expect(document["paths"]?["/shelter/token"]?["post"]?["requestBody"]?["content"]?["application/x-www-form-urlencoded"] != nil)
        // The example's credentials are in the README only, never in the served document.
        let text = try TrellisApplication(services: ShelterImplementation()).openAPIDocument
        #expect(!text.contains("staff-key") && !text.contains("shelter-password"))
        #expect(document["paths"]?["/shelter/animals"]?["post"]?["responses"]?["401"] != nil)
        #expect(document["paths"]?["/shelter/animals"]?["get"]?["security"] == nil)
        // The WebSocket is a channel of the AsyncAPI document, not an HTTP GET.
        #expect(document["paths"]?["/shelter/desk"] == nil)
    }

    /// A name that a spreadsheet would run as a formula is exported as text; the example's
    /// credentials are not in the document it serves (hostile-clients issue, class 6).
    @Test(arguments: StoreKind.available) func theExportIsSafeInASpreadsheetAndTheDocumentHoldsNoSecret(_ kind: StoreKind) async throws {
        try await withShelter(kind) { client, _, _ in
            for name in ["=HYPERLINK(\"http://evil.example\")", "+1", "@SUM(A1)", "-2"] {
                #expect(
                    try await client.post("/shelter/animals", json: ["name": .string(name), "species": "cat"], headers: [key: "staff-key"]).status == .created)
            }
            let export = try await client.get("/shelter/export", headers: [key: "staff-key"]).text
            let names = export.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
            #expect(names == [#""'=HYPERLINK(""http://evil.example"")""#, #""'+1""#, #""'@SUM(A1)""#, #""'-2""#])
            let document = try await client.get("/openapi.json").text
            #expect(!document.contains("staff-key") && !document.contains("Alex"))
        }
    }

    @Test(arguments: StoreKind.available) func admitFindListAndExport(_ kind: StoreKind) async throws {
        try await withShelter(kind) { client, store, app in
            let refused = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"])
            #expect(refused.status == .unauthorized)
            #expect(try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: [key: "wrong"]).status == .unauthorized)

            let admitted = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: [key: "staff-key"])
            #expect(admitted.status == .created)
            let tom = try admitted.json()
            #expect(tom["name"] == "Tom" && tom["admittedBy"] == "Alex")
            _ = try await client.post("/shelter/animals", json: ["name": "Rex", "species": "dog"], headers: [key: "staff-key"])

            guard case .integer(let id)? = tom["id"] else {
                Issue.record("no id in \(tom)")
                return
            }
            #expect(try await client.get("/shelter/animals/\(id)").json() == tom)
            #expect(try await client.get("/shelter/animals/999").status == .notFound)
            #expect(try await client.get("/shelter/animals").json().arrayValue?.compactMap { $0["name"]?.stringValue } == ["Rex", "Tom"])
            #expect(try await client.get("/shelter/animals?species=cat").json().arrayValue?.count == 1)
            #expect(try await client.get("/shelter/animals?species=dragon").status == .unprocessableContent)
            #expect(
                try await client.post("/shelter/animals", json: ["name": "", "species": "cat", "wings": 2], headers: [key: "staff-key"]).status
                    == .unprocessableContent)

            let export = try await client.get("/shelter/export", headers: [key: "staff-key"])
            #expect(export.headers[.contentType] == "text/csv")
            #expect(export.text.hasPrefix("id,name,species,admittedAt\n\(id),\"Tom\",cat,"))

            let events = try await client.get("/shelter/admissions?last=5")
            #expect(events.headers[.contentType] == "text/event-stream")
            #expect(events.text.hasPrefix("event: admission\nid: \(id)\ndata: Tom the cat, by Alex\n\n"))

            // The audit records are written after the responses, by background tasks.
            await app.waitForBackgroundTasks()
            // (Background tasks run concurrently: in either order.)
            let audit = try await store.withTransaction { try await $0.auditLog() }
            #expect(audit.sorted() == ["Alex admitted Rex (#\(id + 1))", "Alex admitted Tom (#\(id))"])
        }
    }

    @Test(arguments: StoreKind.available, [false, true]) func theTransactionCommitsOrRollsBack(_ kind: StoreKind, failing: Bool) async throws {
        try await withShelter(kind) { _, store, app in
            var overrides = DependencyOverrides()
            overrides.override(ShelterDatabase.self, value: store)
            let scope = DependencyScope(
                operationID: "test", method: "POST", path: "/", application: app.applicationDependencies, overrides: overrides,
                request: .init(headers: { _ in [] }, query: { _ in [] }, cookie: { _ in nil }, parameter: { _ in nil }))
            let transaction = try await scope.resolve(ShelterTransaction.self)
            _ = try await transaction.admit(name: "Tom", species: .cat, at: Date(), by: "test")
            struct HandlerFailed: Error {}
            #expect(await scope.tearDown(after: failing ? HandlerFailed() : nil).isEmpty)
            let count = try await store.withTransaction { try await $0.allAnimals().count }
            #expect(count == (failing ? 0 : 1))
        }
    }
}

/// The shelter's OAuth2 token endpoint (a form body) and its bearer tokens with scopes.
@Suite struct ShelterTokenTests {
    func withShelter(_ body: (TrellisTestClient) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shelter-token-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try await SQLiteStore(path: folder.appendingPathComponent("shelter.sqlite").path, size: 2)
        var app = try TrellisApplication(services: ShelterImplementation())
        app.overrideDependency(ShelterDatabase.self, value: pool)
        try await body(TrellisTestClient(app))
        try await pool.close()
    }

    func token(_ client: TrellisTestClient, _ username: String, _ password: String, scope: String? = nil) async throws -> String {
        let response = try await client.post(
            "/shelter/token",
            form: scope.map { ["grant_type": "password", "username": username, "password": password, "scope": $0] }
                ?? ["grant_type": "password", "username": username, "password": password])
        #expect(response.status == .ok, "\(response.text)")
        #expect(response.headers[.cacheControl] == "no-store")
        return try #require(try response.json()["access_token"]?.stringValue)
    }

    @Test func thePasswordGrantGivesATokenThatStaffOperationsAccept() async throws {
        try await withShelter { client in
            let response = try await client.post("/shelter/token", form: ["grant_type": "password", "username": "alex", "password": "shelter-password"])
            let answer = try response.json()
            #expect(answer["token_type"] == "bearer" && answer["expires_in"] == 3600 && answer["scope"] == "animals:export animals:write")
            let token = try #require(answer["access_token"]?.stringValue)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let admitted = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: bearer)
            #expect(admitted.status == .created)
            #expect(try admitted.json()["admittedBy"] == "alex")
            #expect(try await client.get("/shelter/export", headers: bearer).status == .ok)
        }
    }

    @Test func scopesAreEnforced() async throws {
        try await withShelter { client in
            // Sam may admit animals, not export them.
            let sam = try await token(client, "sam", "sam-password")
            #expect(
                try await client.post("/shelter/animals", json: ["name": "Rex", "species": "dog"], headers: [.authorization: "Bearer \(sam)"]).status
                    == .created)
            let export = try await client.get("/shelter/export", headers: [.authorization: "Bearer \(sam)"])
            #expect(export.status == .forbidden)
            #expect(try export.json() == ["detail": "Not enough permissions: the scope animals:export is required"])
            // A token asked with fewer scopes than the account has.
            let narrow = try await token(client, "alex", "shelter-password", scope: "animals:export")
            #expect(
                try await client.post("/shelter/animals", json: ["name": "Rex", "species": "dog"], headers: [.authorization: "Bearer \(narrow)"]).status
                    == .forbidden)
            #expect(try await client.get("/shelter/export", headers: [.authorization: "Bearer \(narrow)"]).status == .ok)
            let forged = try await client.get("/shelter/export", headers: [.authorization: "Bearer forged"])
            #expect(forged.status == .unauthorized)
            #expect(forged.headers[values: .wwwAuthenticate].contains(#"Bearer realm="AnimalShelter", error="invalid_token""#))
        }
    }

    @Test func refusalsAreRFC6749s() async throws {
        try await withShelter { client in
            let wrong = try await client.post("/shelter/token", form: ["grant_type": "password", "username": "alex", "password": "guess"])
            #expect(wrong.status == .badRequest)
            #expect(try wrong.json()["error"] == "invalid_grant")
            let grant = try await client.post("/shelter/token", form: ["grant_type": "client_credentials", "username": "alex", "password": "shelter-password"])
            #expect(try grant.json()["error"] == "unsupported_grant_type")
            let scope = try await client.post(
                "/shelter/token", form: ["grant_type": "password", "username": "sam", "password": "sam-password", "scope": "animals:export"])
            #expect(try scope.json()["error"] == "invalid_scope")
        }
    }

    @Test func theFormIsValidatedLikeAJSONBody() async throws {
        try await withShelter { client in
            let missing = try await client.post("/shelter/token", form: ["grant_type": "password", "username": "alex"])
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } == [["body", "password"]])
            let long = try await client.post(
                "/shelter/token", form: ["grant_type": "password", "username": String(repeating: "a", count: 65), "password": "x"])
            #expect(try long.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } == [["body", "username"]])
            // Escapes and `+` decoded.
            let escaped = try await client.execute(
                .post, "/shelter/token", headers: [.contentType: "application/x-www-form-urlencoded"],
                body: Array("grant_type=password&username=al%65x&password=shelter%2Dpassword&scope=animals%3Awrite+animals:export".utf8))
            #expect(escaped.status == .ok, "\(escaped.text)")
            let json = try await client.post("/shelter/token", json: ["grant_type": "password", "username": "alex", "password": "shelter-password"])
            #expect(json.status == .unsupportedMediaType)
            #expect(try json.json() == ["detail": "Unsupported Media Type: send application/x-www-form-urlencoded, not application/json"])
            #expect(json.headers[HTTPField.Name("Accept-Post")!] == "application/x-www-form-urlencoded")
        }
    }

    @Test func credentialsComeBeforeTheBody() async throws {
        try await withShelter { client in
            let response = try await client.post("/shelter/animals", json: ["name": "", "wings": 2])
            #expect(response.status == .unauthorized)
            #expect(
                response.headers[values: .wwwAuthenticate] == [
                    #"APIKey realm="AnimalShelter", in="header", name="X-API-Key""#, #"Bearer realm="AnimalShelter""#,
                ])
        }
    }
}

/// The shelter's export answers CSV or JSON, as the request's `Accept` prefers.
@Suite struct ShelterNegotiationTests {
    @Test func acceptChoosesTheMediaType() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shelter-accept-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try await SQLiteStore(path: folder.appendingPathComponent("shelter.sqlite").path, size: 2)
        var app = try TrellisApplication(services: ShelterImplementation())
        app.overrideDependency(ShelterDatabase.self, value: pool)
        let client = TrellisTestClient(app)
        let key: HTTPFields = [HTTPField.Name("X-API-Key")!: "staff-key"]
        _ = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: key)
        func export(_ accept: String?) async throws -> TestResponse {
            var headers = key
            if let accept { headers[.accept] = accept }
            return try await client.get("/shelter/export", headers: headers)
        }
        let plain = try await export(nil)
        #expect(plain.headers[.contentType] == "text/csv" && plain.headers[.vary] == "Accept")
        let json = try await export("application/json")
        #expect(json.headers[.contentType] == "application/json")
        #expect(try json.json().arrayValue?.first?["name"] == "Tom")
        // Qualities, then the server's order among equals; ranges and wildcards.
        #expect(try await export("application/json;q=0.5, text/csv;q=0.9").headers[.contentType] == "text/csv")
        #expect(try await export("text/csv;q=0.1, application/*").headers[.contentType] == "application/json")
        #expect(try await export("*/*").headers[.contentType] == "text/csv")
        #expect(try await export("text/*;q=0, */*;q=0.2").headers[.contentType] == "application/json")
        let refused = try await export("application/xml, text/html;q=0.9")
        #expect(refused.status == .notAcceptable)
        #expect(try refused.json() == ["detail": "Not Acceptable: this operation answers in text/csv or application/json"])
        #expect(try await export("text/csv;q=0, application/json;q=0").status == .notAcceptable)
        // Security still comes first.
        #expect(try await client.get("/shelter/export", headers: [.accept: "application/xml"]).status == .unauthorized)
        try await pool.close()
    }
}
