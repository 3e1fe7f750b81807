import Foundation
import HTTPTypes
import SQLiteNIO
import Testing
import Trellis
import TrellisCore
import TrellisJSON

@testable import Shelter

/// The example's second service, end to end on a SQLite file of its own.
@Suite struct ShelterTests {
    let key = HTTPField.Name("X-API-Key")!

    /// The shelter on a new database file, with a pool the test can read too.
    func withShelter(_ body: (TrellisTestClient, ConnectionPool, TrellisApplication) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shelter-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try await ConnectionPool(path: folder.appendingPathComponent("shelter.sqlite").path, size: 2)
        var app = try TrellisApplication(services: ShelterImplementation())
        app.overrideDependency(ShelterDatabase.self, value: pool)
        try await body(TrellisTestClient(app), pool, app)
        try await pool.close()
    }

    @Test func theStaffKeyIsASecuritySchemeOfTheOperationsThatNeedIt() throws {
        let document = try JSON(parsing: TrellisApplication(services: ShelterImplementation()).openAPIDocument)
        #expect(document["components"]?["securitySchemes"]?["staffKey"] == ["type": "apiKey", "in": "header", "name": "X-API-Key", "description": "A staff member's key (the example's: staff-key)."])
        #expect(document["paths"]?["/shelter/animals"]?["post"]?["security"] == [["staffKey": []]])
        #expect(document["paths"]?["/shelter/animals"]?["post"]?["responses"]?["401"] != nil)
        #expect(document["paths"]?["/shelter/animals"]?["get"]?["security"] == nil)
        #expect(document["paths"]?["/shelter/desk"]?["get"]?["x-trellis-websocket"]?["receive"] != nil)
    }

    @Test func admitFindListAndExport() async throws {
        try await withShelter { client, pool, app in
            let refused = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"])
            #expect(refused.status == .unauthorized)
            #expect(try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: [key: "wrong"]).status == .unauthorized)

            let admitted = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: [key: "staff-key"])
            #expect(admitted.status == .created)
            let tom = try admitted.json()
            #expect(tom["name"] == "Tom" && tom["admittedBy"] == "Alex")
            _ = try await client.post("/shelter/animals", json: ["name": "Rex", "species": "dog"], headers: [key: "staff-key"])

            guard case .integer(let id)? = tom["id"] else { Issue.record("no id in \(tom)"); return }
            #expect(try await client.get("/shelter/animals/\(id)").json() == tom)
            #expect(try await client.get("/shelter/animals/999").status == .notFound)
            #expect(try await client.get("/shelter/animals").json().arrayValue?.compactMap { $0["name"]?.stringValue } == ["Rex", "Tom"])
            #expect(try await client.get("/shelter/animals?species=cat").json().arrayValue?.count == 1)
            #expect(try await client.get("/shelter/animals?species=dragon").status == .unprocessableContent)
            #expect(try await client.post("/shelter/animals", json: ["name": "", "species": "cat", "wings": 2], headers: [key: "staff-key"]).status == .unprocessableContent)

            let export = try await client.get("/shelter/export", headers: [key: "staff-key"])
            #expect(export.headers[.contentType] == "text/csv")
            #expect(export.text.hasPrefix("id,name,species,admittedAt\n\(id),\"Tom\",cat,"))

            let events = try await client.get("/shelter/admissions?last=5")
            #expect(events.headers[.contentType] == "text/event-stream")
            #expect(events.text.hasPrefix("event: admission\nid: \(id)\ndata: Tom the cat, by Alex\n\n"))

            // The audit records are written after the responses, by background tasks.
            await app.waitForBackgroundTasks()
            let audit = try await pool.withConnection { try await $0.query("SELECT entry FROM audit ORDER BY at") }
            #expect(audit.compactMap { $0.column("entry")?.string } == ["Alex admitted Tom (#\(id))", "Alex admitted Rex (#\(id + 1))"])
        }
    }

    @Test(arguments: [false, true]) func theTransactionCommitsOrRollsBack(failing: Bool) async throws {
        try await withShelter { _, pool, app in
            var overrides = DependencyOverrides()
            overrides.override(ShelterDatabase.self, value: pool)
            let scope = DependencyScope(
                operationID: "test", method: "POST", path: "/", application: app.applicationDependencies, overrides: overrides,
                request: .init(headers: { _ in [] }, query: { _ in [] }, cookie: { _ in nil }, parameter: { _ in nil }))
            let transaction = try await scope.resolve(ShelterTransaction.self)
            _ = try await transaction.query(
                "INSERT INTO animals (name, species, admitted_at, admitted_by) VALUES ('Tom', 'cat', 0, 'test')")
            struct HandlerFailed: Error {}
            #expect(await scope.tearDown(after: failing ? HandlerFailed() : nil).isEmpty)
            let count = try await pool.withConnection { try await $0.query("SELECT COUNT(*) AS n FROM animals") }
            #expect(count.first?.column("n")?.integer == (failing ? 0 : 1))
        }
    }
}
