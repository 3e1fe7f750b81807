import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisJSON
import TrellisSchema
import TrellisTesting

@testable import Petstore
@testable import Shelter

/// The services' channels as an AsyncAPI 3.0 document.
@Suite struct AsyncAPITests {
    static let schemaFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/AsyncAPI/asyncapi-3.0.0.schema.json")

    @Test func theChannelsAreAnAsyncAPIDocumentThatValidates() async throws {
        let app = try TrellisApplication(services: PetstoreImplementation(), ShelterImplementation())
        let document = try JSON(parsing: try #require(app.asyncAPIDocument))
        let schema = try JSON(parsing: Array(try Data(contentsOf: Self.schemaFile)), options: JSONParseOptions(maxDepth: 1024))
        let validator = try Validator(schema: schema, options: ValidatorOptions(defaultDialect: .draft7))
        let errors = validator.validate(document)
        #expect(errors.isEmpty, "\(errors.prefix(5).map(\.description))")
        // The schema does refuse what is not AsyncAPI 3.0 (so that the check above can fail).
        #expect(!validator.validate(["asyncapi": "3.0.0", "channels": ["x": ["address": 7]]]).isEmpty)
        var withoutAction = document
        if case .object(var root) = withoutAction, case .object(var operations)? = root["operations"], case .object(var first)? = operations["admissions"] {
            first["action"] = "publish"  // AsyncAPI 2's word
            operations["admissions"] = .object(first)
            root["operations"] = .object(operations)
            withoutAction = .object(root)
        }
        #expect(!validator.validate(withoutAction).isEmpty)

        // The WebSocket: a channel with both messages, each way an operation, its security.
        #expect(document["channels"]?["adoptionDesk"]?["address"] == "/shelter/desk")
        // The upgrade request's query parameters are the WebSocket binding's.
        let binding = document["channels"]?["adoptionDesk"]?["bindings"]?["ws"]
        #expect(binding?["method"] == "GET")
        #expect(binding?["query"]?["properties"]?["limit"]?["maximum"] == 20)
        #expect(document["channels"]?["adoptionDesk"]?["messages"]?["received"]?["payload"] == ["$ref": "#/components/schemas/DeskQuestion"])
        #expect(document["operations"]?["adoptionDeskReceive"]?["action"] == "receive")
        #expect(document["operations"]?["adoptionDeskSend"]?["security"] == [["$ref": "#/components/securitySchemes/staffToken"]])
        #expect(document["components"]?["securitySchemes"]?["staffToken"]?["flows"]?["password"]?["availableScopes"]?["animals:write"] != nil)
        // The server-sent events: a channel the server sends on.
        #expect(document["channels"]?["admissions"]?["address"] == "/shelter/admissions")
        #expect(document["operations"]?["admissions"]?["action"] == "send")

        // The WebSocket is no longer an HTTP GET of the OpenAPI document; the stream still is.
        let openAPI = try JSON(parsing: app.openAPIDocument)
        #expect(openAPI["paths"]?["/shelter/desk"] == nil)
        #expect(openAPI["paths"]?["/shelter/admissions"]?["get"] != nil)

        // Served, and linked from the docs pages.
        let client = TrellisTestClient(app)
        #expect(try await client.get("/asyncapi.json").json() == document)
        #expect(try await client.get("/docs").text.contains(#"<a href="/asyncapi.json">"#))
        #expect(try await client.get("/redoc").text.contains(#"<a href="/asyncapi.json">"#))
    }

    @Test func aServiceWithoutChannelsHasNone() async throws {
        let app = try TrellisApplication(services: PetstoreImplementation())
        #expect(app.asyncAPIDocument == nil)
        #expect(try await TrellisTestClient(app).get("/asyncapi.json").status == .notFound)
        #expect(try await !TrellisTestClient(app).get("/docs").text.contains("asyncapi"))
    }
}
