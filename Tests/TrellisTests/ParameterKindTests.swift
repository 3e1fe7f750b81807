import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON

/// A service written by hand (as the generator would) with a parameter of every kind; it
/// answers the values it received, as JSON.
struct ParameterEchoService: GeneratedService {
    struct Output: OperationOutput {
        var statusCode: Int { 200 }
        var contentType: String? { "application/json" }
        var headers: [(name: String, value: String)] { [] }
        var body: OutputBody
    }

    static let schemas = #"""
        {"$defs": {
          "id": {"type": "integer", "minimum": 1},
          "requestId": {"type": "string", "pattern": "^[a-f0-9]{4,}$"},
          "session": {"type": "string", "minLength": 3},
          "tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "uniqueItems": true},
          "ids": {"type": "array", "items": {"type": "integer"}, "maxItems": 3},
          "verbose": {"type": "boolean", "default": false}
        }}
        """#

    static let serviceDescription = ServiceDescription(
        name: "Echo",
        openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "Echo", "version": "1"}, "paths": {}}"#,
        schemaDocuments: ["file:///echo.json": schemas],
        operations: [
            OperationDescription(
                id: "echo", method: "GET", path: "/things/{id}",
                parameters: [
                    ParameterDescription(name: "id", location: .path, required: true, schema: "file:///echo.json#/$defs/id", type: "integer"),
                    ParameterDescription(name: "X-Request-Id", location: .header, required: true, schema: "file:///echo.json#/$defs/requestId", type: "string"),
                    ParameterDescription(name: "session", location: .cookie, required: false, schema: "file:///echo.json#/$defs/session", type: "string"),
                    ParameterDescription(name: "tag", location: .query, required: false, schema: "file:///echo.json#/$defs/tags", style: .form, type: "array", itemType: "string"),
                    ParameterDescription(name: "ids", location: .query, required: false, schema: "file:///echo.json#/$defs/ids", style: .commaSeparated, type: "array", itemType: "integer"),
                    ParameterDescription(name: "verbose", location: .query, required: false, schema: "file:///echo.json#/$defs/verbose", type: "boolean", defaultValue: "false"),
                ],
                body: nil, responses: [ResponseDescription(status: "200", contentType: "application/json", schema: nil)], dependencies: []),
        ])

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        var echo: [String: JSON] = [:]
        echo["id"] = try source.parameter("id", in: .path, as: Int.self).map { .integer(Int64($0)) }
        echo["requestId"] = try source.parameter("X-Request-Id", in: .header, as: String.self).map(JSON.string)
        echo["session"] = try source.parameter("session", in: .cookie, as: String.self).map(JSON.string)
        echo["tag"] = try source.parameter("tag", in: .query, as: [String].self).map { .array($0.map(JSON.string)) }
        echo["ids"] = try source.parameter("ids", in: .query, as: [Int].self).map { .array($0.map { .integer(Int64($0)) }) }
        echo["verbose"] = try source.parameter("verbose", in: .query, as: Bool.self).map(JSON.bool)
        return Output(body: .json(echo))
    }
}

/// Path, query (repeated keys and comma form, defaults), header and cookie parameters,
/// in process and over a socket.
@Suite struct ParameterKindTests {
    func withClient(over transport: Transport, _ body: (TrellisTestClient) async throws -> Void) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        let application = try TrellisApplication(configuration: configuration, services: ParameterEchoService())
        switch transport {
        case .inProcess: try await body(TrellisTestClient(application))
        case .socket: try await TrellisTestClient.withLiveServer(application, body)
        }
    }

    @Test(arguments: Transport.allCases) func everyKindIsCoercedAndTyped(over transport: Transport) async throws {
        try await withClient(over: transport) { client in
            let response = try await client.get(
                "/things/5?tag=a&tag=c&ids=1,2,3&verbose=true", headers: [HTTPField.Name("X-Request-Id")!: "beef01", .cookie: "theme=dark; session=\"s3cret\""])
            #expect(response.status == .ok)
            #expect(try response.json() == ["id": 5, "requestId": "beef01", "session": "s3cret", "tag": ["a", "c"], "ids": [1, 2, 3], "verbose": true])
            // Defaults apply to absent parameters; absent optional ones stay absent.
            let plain = try await client.get("/things/5", headers: [HTTPField.Name("x-request-id")!: "beef01"])
            #expect(try plain.json() == ["id": 5, "requestId": "beef01", "verbose": false])
        }
    }

    @Test(arguments: Transport.allCases) func everyBadParameterIsReportedWhereItIs(over transport: Transport) async throws {
        try await withClient(over: transport) { client in
            let response = try await client.get(
                "/things/0?tag=a&tag=a&tag=z&ids=1,x&verbose=maybe", headers: [.cookie: "session=ab"])
            #expect(response.status == .unprocessableContent)
            let issues = try #require(try response.json()["detail"]?.arrayValue)
            #expect(issues.map { $0["loc"] } == [
                ["path", "id"], ["header", "X-Request-Id"], ["cookie", "session"], ["query", "tag"], ["query", "tag", 2], ["query", "ids", 1], ["query", "verbose"],
            ])
            #expect(issues.map { $0["type"]?.stringValue ?? "" } == [
                "greater_than_equal", "missing", "string_too_short", "unique_items", "enum", "int_parsing", "bool_parsing",
            ])
        }
    }
}
