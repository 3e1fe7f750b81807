import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// A service whose one operation takes the same body as JSON or as a form, and echoes it.
struct FormService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "Forms", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "F", "version": "1"}, "paths": {}}"#,
        schemaDocuments: [
            "file:///f.json": #"""
            {"$defs": {"Signup": {"type": "object", "required": ["email", "age"], "additionalProperties": false,
              "properties": {"email": {"type": "string", "minLength": 3}, "age": {"type": "integer", "minimum": 0},
                "topics": {"type": "array", "items": {"type": "string"}, "maxItems": 3}, "weekly": {"type": "boolean"},
                "ratio": {"type": "number"}, "note": {"type": "string"}}},
              "note": {"type": "string", "minLength": 1, "maxLength": 12, "pattern": "^[^<>]*$"}, "anything": {}}}
            """#
        ])

    static func field(_ name: String, _ type: ParameterDescription.ValueType, items: ParameterDescription.ValueType? = nil, required: Bool = false)
        -> ParameterDescription
    {
        ParameterDescription(
            name: name, location: .query, required: required, schema: "file:///f.json#/$defs/Signup/properties/\(name)",
            style: type == .array ? .form : .single, type: type, itemType: items)
    }

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "signup", method: .post, path: "/signup", parameters: [],
            body: BodyDescription(
                contentTypes: ["application/json", "application/x-www-form-urlencoded"], required: true, schema: "file:///f.json#/$defs/Signup",
                fields: [
                    field("email", .string, required: true), field("age", .integer, required: true), field("topics", .array, items: .string),
                    field("weekly", .boolean), field("ratio", .number),
                ]),
            responses: [ResponseDescription(status: .code(200), contentType: "application/json", schema: nil)], dependencies: []),
        OperationDescription(
            id: "note", method: .post, path: "/note", parameters: [],
            body: BodyDescription(contentTypes: ["text/plain", "application/octet-stream"], required: true, schema: "file:///f.json#/$defs/note"),
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: []),
        OperationDescription(
            id: "editNote", method: .patch, path: "/note", parameters: [],
            body: BodyDescription(contentTypes: ["text/plain", "application/merge-patch+json"], required: true, schema: "file:///f.json#/$defs/anything"),
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: []),
        OperationDescription(
            id: "upload", method: .put, path: "/upload", parameters: [],
            body: BodyDescription(contentTypes: ["image/*", "text/plain"], required: true, schema: "file:///f.json#/$defs/anything"),
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: []),
    ]

    struct Echo: Codable, Sendable {
        var email: String
        var age: Int
        var topics: [String]?
        var weekly: Bool?
        var ratio: Double?
        var note: String?
    }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        if id == "upload" || id == "note" || id == "editNote" {
            return PlainOutput(type: "text/plain", body: .text("\(try source.rawBody()?.count ?? -1) bytes"))
        }
        return PlainOutput(type: "application/json", body: .json(try source.requiredBody(as: Echo.self)))
    }
}

@Suite struct FormBodyTests {
    let client: TrellisTestClient

    init() throws { client = TrellisTestClient(try TrellisApplication(services: FormService())) }

    @Test func aFormIsReadIntoTheTypedBody() async throws {
        let response = try await client.post(
            "/signup", form: ["email": "a@b.c", "age": "42", "topics": "cats", "topics": "dogs", "weekly": "true", "ratio": "0.5", "note": "hi there & more"])
        #expect(response.status == .ok, "\(response.text)")
        #expect(try response.json() == ["email": "a@b.c", "age": 42, "topics": ["cats", "dogs"], "weekly": true, "ratio": 0.5, "note": "hi there & more"])
        // The same body as JSON.
        let json = try await client.post("/signup", json: ["email": "a@b.c", "age": 42])
        #expect(try json.json() == ["email": "a@b.c", "age": 42])
    }

    /// The same bodies over a real socket: a form, its 422, text, a wrong media type, a body too large.
    @Test func formsTextAndTheirRefusalsOverASocket() async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.maxBodySize = 256
        try await TrellisTestClient.withLiveServer(try TrellisApplication(configuration: configuration, services: FormService())) { live in
            let form = try await live.post("/signup", form: ["email": "a@b.c", "age": "7", "topics": "x", "topics": "y"])
            #expect(try form.json() == ["email": "a@b.c", "age": 7, "topics": ["x", "y"]])
            let invalid = try await live.post("/signup", form: ["email": "a@b.c", "age": "-1"])
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.json()["detail"]?.arrayValue?.first?["loc"] == ["body", "age"])
            #expect(try await live.execute(.post, "/note", headers: [.contentType: "text/plain"], body: Array("hello".utf8)).text == "5 bytes")
            #expect(try await live.execute(.post, "/note", headers: [.contentType: "text/plain"], body: Array("<b>".utf8)).status == .unprocessableContent)
            #expect(try await live.execute(.post, "/signup", headers: [.contentType: "text/csv"], body: [1]).status == .unsupportedMediaType)
            let large = try await live.post("/signup", form: ["email": String(repeating: "a", count: 300), "age": "1"])
            #expect(large.status == .contentTooLarge)
        }
    }

    @Test func aFormsIssuesAreAtTheirFields() async throws {
        let wrongType = try await client.post("/signup", form: ["email": "a@b.c", "age": "old"])
        #expect(wrongType.status == .unprocessableContent)
        #expect(try wrongType.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } == [["body", "age"]])
        let invalid = try await client.post("/signup", form: ["email": "a", "topics": "1", "topics": "2", "topics": "3", "topics": "4", "extra": "x"])
        let locations = try invalid.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } ?? []
        #expect(Set(locations) == [["body", "age"], ["body", "email"], ["body", "topics"], ["body", "extra"]])
        // A field name with NUL cannot be an object's member: a 422, not a 500 (found by schemathesis).
        let nul = try await client.execute(
            .post, "/signup", headers: [.contentType: "application/x-www-form-urlencoded"], body: Array("email=abc&age=1&a%00b=1".utf8))
        #expect(nul.status == .unprocessableContent)
        #expect(try nul.json()["detail"]?.arrayValue?.first?["loc"] == ["body", "a\u{0}b"])
        let nulValue = try await client.execute(
            .post, "/signup", headers: [.contentType: "application/x-www-form-urlencoded"], body: Array("email=abc&age=1&note=a%00b".utf8))
        #expect(nulValue.status == .ok)
        // A malformed escape or bytes that are not UTF-8 are reported where they are, not dropped.
        for (body, name, input) in [("email=abc&age=1&note=%zz", "note", "%zz"), ("email=abc&age=1&no%FFte=x", "no%FFte", "x")] {
            let malformed = try await client.execute(.post, "/signup", headers: [.contentType: "application/x-www-form-urlencoded"], body: Array(body.utf8))
            #expect(malformed.status == .unprocessableContent)
            let issue = try #require(try malformed.json()["detail"]?.arrayValue?.first)
            #expect(issue["loc"] == ["body", .string(name)])
            #expect(issue["type"] == "percent_encoding")
            #expect(issue["input"] == .string(input))
        }
    }

    @Test func anotherMediaTypeIs415ListingTheAcceptedOnes() async throws {
        let response = try await client.execute(.post, "/signup", headers: [.contentType: "text/plain"], body: Array("email".utf8))
        #expect(response.status == .unsupportedMediaType)
        #expect(try response.json() == ["detail": "Unsupported Media Type: send application/json or application/x-www-form-urlencoded, not text/plain"])
        #expect(response.headers[HTTPField.Name("Accept-Post")!] == "application/json, application/x-www-form-urlencoded")
        let untyped = try await client.execute(.post, "/signup", body: Array("email=a".utf8))
        #expect(try untyped.json() == ["detail": "Unsupported Media Type: send application/json or application/x-www-form-urlencoded"])
        // A charset parameter and upper case are the same media type; `+json` is JSON.
        let charset = try await client.execute(
            .post, "/signup", headers: [.contentType: "Application/X-WWW-Form-URLEncoded; charset=utf-8"], body: Array("email=abc&age=1".utf8))
        #expect(charset.status == .ok)
        let problem = try await client.execute(
            .post, "/signup", headers: [.contentType: "application/vnd.api+json"], body: Array(#"{"email": "abc", "age": 1}"#.utf8))
        #expect(problem.status == .ok)
    }

    @Test func aWildcardMediaTypeAcceptsWhatItMatches() async throws {
        #expect(try await client.execute(.put, "/upload", headers: [.contentType: "image/png"], body: [1, 2, 3]).text == "3 bytes")
        #expect(try await client.execute(.put, "/upload", headers: [.contentType: "text/plain"], body: [1]).text == "1 bytes")
        let refused = try await client.execute(.put, "/upload", headers: [.contentType: "application/pdf"], body: [1])
        #expect(refused.status == .unsupportedMediaType)
        #expect(refused.headers[HTTPField.Name("Accept-Post")!] == nil)
        // A PATCH says what it accepts in Accept-Patch (RFC 5789 §3.1).
        let patch = try await client.execute(.patch, "/note", headers: [.contentType: "application/xml"], body: [1])
        #expect(patch.status == .unsupportedMediaType)
        #expect(patch.headers[HTTPField.Name("Accept-Patch")!] == "text/plain, application/merge-patch+json")
        #expect(patch.headers[HTTPField.Name("Accept-Post")!] == nil)
    }

    @Test func textIsCheckedAgainstTheBodysSchema() async throws {
        func note(_ bytes: [UInt8], _ type: String = "text/plain; charset=utf-8") async throws -> TestResponse {
            try await client.execute(.post, "/note", headers: [.contentType: type], body: bytes)
        }
        #expect(try await note(Array("hello".utf8)).text == "5 bytes")
        let long = try await note(Array("far too long a note".utf8))
        #expect(long.status == .unprocessableContent)
        #expect(try long.json()["detail"]?.arrayValue?.first?["type"] == "string_too_long")
        #expect(try long.json()["detail"]?.arrayValue?.first?["loc"] == ["body"])
        #expect(try await note(Array("<b>".utf8)).status == .unprocessableContent)
        let notUTF8 = try await note([0x66, 0xFF, 0x6F])
        #expect(try notUTF8.json()["detail"]?.arrayValue?.first?["type"] == "string_unicode")
        // Bytes are bytes: the schema of the text does not apply to them.
        #expect(try await note(Array("far too long a note".utf8), "application/octet-stream").text == "19 bytes")
    }

    @Test func overASocket() async throws {
        try await TrellisTestClient.withLiveServer(try TrellisApplication(services: FormService())) { client in
            let response = try await client.post("/signup", form: ["email": "x@y.z", "age": "7", "topics": "a b"])
            #expect(try response.json() == ["email": "x@y.z", "age": 7, "topics": ["a b"]])
            #expect(try await client.post("/signup", form: ["email": "x@y.z"]).status == .unprocessableContent)
        }
    }
}
