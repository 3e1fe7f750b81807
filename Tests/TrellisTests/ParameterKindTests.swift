import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// A service written by hand with a parameter of every kind; it
/// answers the values it received, as JSON.
struct ParameterEchoService: HandWrittenService {
    struct Output: HandWrittenOutput {
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
        schemaDocuments: ["file:///echo.json": schemas])

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "echo", method: .get, path: "/things/{id}",
            parameters: [
                ParameterDescription(name: "id", location: .path, required: true, schema: "file:///echo.json#/$defs/id", type: .integer),
                ParameterDescription(name: "X-Request-Id", location: .header, required: true, schema: "file:///echo.json#/$defs/requestId", type: .string),
                ParameterDescription(name: "session", location: .cookie, required: false, schema: "file:///echo.json#/$defs/session", type: .string),
                ParameterDescription(
                    name: "tag", location: .query, required: false, schema: "file:///echo.json#/$defs/tags", style: .form, type: .array, itemType: .string),
                ParameterDescription(
                    name: "ids", location: .query, required: false, schema: "file:///echo.json#/$defs/ids", style: .commaSeparated, type: .array,
                    itemType: .integer),
                ParameterDescription(
                    name: "verbose", location: .query, required: false, schema: "file:///echo.json#/$defs/verbose", type: .boolean, defaultValue: "false"),
            ],
            body: nil, responses: [ResponseDescription(status: .code(200), contentType: "application/json", schema: nil)], dependencies: [])
    ]

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        var echo: [String: JSON] = [:]
        echo["id"] = try source.parameter(.path("id"), as: Int.self).map { .integer(Int64($0)) }
        echo["requestId"] = try source.parameter(.header("X-Request-Id"), as: String.self).map(JSON.string)
        echo["session"] = try source.parameter(.cookie("session"), as: String.self).map(JSON.string)
        echo["tag"] = try source.parameter(.query("tag"), as: [String].self).map { .array($0.map(JSON.string)) }
        echo["ids"] = try source.parameter(.query("ids"), as: [Int].self).map { .array($0.map { .integer(Int64($0)) }) }
        echo["verbose"] = try source.parameter(.query("verbose"), as: Bool.self).map(JSON.bool)
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
            #expect(
                issues.map { $0["loc"] } == [
                    ["path", "id"], ["header", "X-Request-Id"], ["cookie", "session"], ["query", "tag"], ["query", "tag", 2], ["query", "ids", 1],
                    ["query", "verbose"],
                ])
            #expect(
                issues.map { $0["type"]?.stringValue ?? "" } == [
                    "greater_than_equal", "missing", "string_too_short", "unique_items", "enum", "int_parsing", "bool_parsing",
                ])
        }
    }

    /// JSON Schema's `integer` read from text is a decimal integer literal; a value whose
    /// bytes do not decode is reported, not read as absent (hostile-clients issue, class 3).
    @Test(arguments: Transport.allCases) func parametersAreReadStrictly(over transport: Transport) async throws {
        try await withClient(over: transport) { client in
            let headers: HTTPFields = [HTTPField.Name("X-Request-Id")!: "beef01"]
            for path in ["/things/0x10", "/things/1e3", "/things/+5", "/things/1.0", "/things/1%00", "/things/%201", "/things/1_000", "/things/-"] {
                let response = try await client.get(path, headers: headers)
                #expect(response.status == .unprocessableContent, "\(path)")
                #expect(try response.json()["detail"]?.arrayValue?.first?["type"] == "int_parsing", "\(path)")
            }
            #expect(try await client.get("/things/007", headers: headers).json()["id"] == 7)
            for (query, loc, input) in [
                ("ids=%zz", ["query", "ids"], "%zz"), ("verbose=%FF", ["query", "verbose"], "%FF"), ("tag=a&tag=%E2%82", ["query", "tag"], "%E2%82"),
            ] as [(String, JSON, String)] {
                let response = try await client.get("/things/5?" + query, headers: headers)
                #expect(response.status == .unprocessableContent, "\(query)")
                let issue = try #require(try response.json()["detail"]?.arrayValue?.first)
                #expect(issue["loc"] == loc)
                #expect(issue["type"] == "percent_encoding")
                #expect(issue["input"] == .string(input))
            }
            // A parameter the operation does not declare is ignored, whatever its bytes.
            #expect(try await client.get("/things/5?utm=50%", headers: headers).status == .ok)
        }
    }
}

/// A path and a query parameter with the same name: two parameters, each read by its key.
struct SameNameService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "SameName", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "S", "version": "1"}, "paths": {}}"#,
        schemaDocuments: ["file:///s.json": #"{"$defs": {"id": {"type": "integer", "minimum": 1}, "text": {"type": "string", "maxLength": 3}}}"#])

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "item", method: .get, path: "/items/{id}",
            parameters: [
                ParameterDescription(name: "id", location: .path, required: true, schema: "file:///s.json#/$defs/id", type: .integer),
                ParameterDescription(
                    name: "id", location: .query, required: false, schema: "file:///s.json#/$defs/text", type: .string, defaultValue: "\"no\""),
                ParameterDescription(name: "id", location: .header, required: false, schema: "file:///s.json#/$defs/text", type: .string),
            ],
            body: nil, responses: [ResponseDescription(status: .code(200), contentType: "application/json", schema: nil)], dependencies: [])
    ]

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        var echo: [String: JSON] = [:]
        echo["path"] = try source.parameter(.path("id"), as: Int.self).map { .integer(Int64($0)) }
        echo["query"] = try source.parameter(.query("id"), as: String.self).map(JSON.string)
        echo["header"] = try source.parameter(.header("id"), as: String.self).map(JSON.string)
        echo["cookie"] = try source.parameter(.cookie("id"), as: String.self).map(JSON.string)  // not declared: nil
        return PlainOutput(type: "application/json", body: .json(echo))
    }
}

@Suite struct ParameterKeyTests {
    @Test func parametersThatShareANameAreReadAndReportedApart() async throws {
        let client = TrellisTestClient(try TrellisApplication(services: SameNameService()))
        #expect(try await client.get("/items/7?id=abc", headers: [HTTPField.Name("id")!: "xyz"]).json() == ["path": 7, "query": "abc", "header": "xyz"])
        #expect(try await client.get("/items/7").json() == ["path": 7, "query": "no"])
        let bad = try await client.get("/items/0?id=toolong", headers: [HTTPField.Name("id")!: "long"])
        #expect(bad.status == .unprocessableContent)
        #expect(try bad.json()["detail"]?.arrayValue?.map { $0["loc"] } == [["path", "id"], ["query", "id"], ["header", "id"]])
    }

    @Test func aParameterDeclaredTwiceIsAStartupError() {
        struct Twice: HandWrittenService {
            static let serviceDescription = ServiceDescription(
                name: "Twice", openAPIDocument: "{}", schemaDocuments: ["file:///s.json": #"{"$defs": {"text": {"type": "string"}}}"#])
            static let operations = [
                OperationDescription(
                    id: "x", method: .get, path: "/x",
                    parameters: [
                        ParameterDescription(name: "q", location: .query, required: false, schema: "file:///s.json#/$defs/text", type: .string),
                        ParameterDescription(name: "q", location: .query, required: true, schema: "file:///s.json#/$defs/text", type: .string),
                    ],
                    body: nil, responses: [], dependencies: [])
            ]
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                throw NotImplementedError(operation: id)
            }
        }
        #expect {
            try TrellisApplication(services: Twice())
        } throws: { error in
            "\(error)" == "Twice.x declares the query q parameter twice"
        }
    }

    @Test func keysNameTheirLocation() {
        #expect(ParameterKey.query("limit") == ParameterKey(.query, "limit"))
        #expect(ParameterKey.query("id") != ParameterKey.path("id"))
        #expect("\(ParameterKey.header("X-Request-Id"))" == "header X-Request-Id")
        #expect(ResponseDescription.Status.range(4).description == "4XX")
        #expect(OperationDescription.Method.allCases.map(\.rawValue) == ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"])
    }
}

/// Schema bounds beyond 64 bits: the service starts, and every 64-bit value compares exactly.
struct BigBoundsService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "BigBounds",
        openAPIDocument:
            #"{"openapi": "3.1.0", "info": {"title": "B", "version": "1"}, "paths": {}, "components": {"schemas": {"Wide": {"type": "integer", "maximum": 18446744073709551615}}}}"#,
        schemaDocuments: [
            "file:///b.json": #"""
            {"$defs": {
              "wide": {"type": "integer", "minimum": -18446744073709551615, "maximum": 18446744073709551615},
              "huge": {"type": "integer", "minimum": 18446744073709551615}
            }}
            """#
        ])

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "n", method: .get, path: "/n/{n}",
            parameters: [
                ParameterDescription(name: "n", location: .path, required: true, schema: "file:///b.json#/$defs/wide", type: .integer),
                ParameterDescription(name: "m", location: .query, required: false, schema: "file:///b.json#/$defs/huge", type: .integer),
            ],
            body: nil, responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: [])
    ]

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        PlainOutput(type: "text/plain", body: .text(String(try source.required(.path("n"), as: Int.self))))
    }
}

@Suite struct BigBoundTests {
    @Test func boundsBeyondSixtyFourBitsCompareExactlyWithEverySixtyFourBitValue() async throws {
        let client = TrellisTestClient(try TrellisApplication(services: BigBoundsService()))
        #expect(try await client.get("/n/9223372036854775807").text == "9223372036854775807")
        #expect(try await client.get("/n/-9223372036854775808").text == "-9223372036854775808")
        let refused = try await client.get("/n/1?m=9223372036854775807")
        #expect(refused.status == .unprocessableContent)
        let issue = try refused.json()["detail"]?.arrayValue?.first
        #expect(issue?["loc"] == ["query", "m"])
        #expect(issue?["type"] == "greater_than_equal")
        // The served document keeps the component whose bound is beyond 64 bits.
        #expect(try await client.get("/openapi.json").json()["components"]?["schemas"]?["Wide"]?["type"] == "integer")
    }
}
