import Foundation
import Testing
import TrellisCore
import TrellisJSON

// The dependency types the KitchenSink declaration names.
public enum DatabaseDependency: Dependency {
    public static func resolve(in scope: DependencyScope) async throws -> String { "db" }
}
public enum CurrentUserDependency: Dependency {
    public static func resolve(in scope: DependencyScope) async throws -> Int { 42 }
}

/// A source of operation inputs from plain values, as the runtime provides them after validation.
struct FakeSource: OperationInputSource {
    var parameters: [ParameterKey: JSON] = [:]
    var bodyJSON: JSON?
    var raw: [UInt8]?

    func parameter<T: Decodable>(_ key: ParameterKey, as type: T.Type) throws -> T? {
        guard let value = parameters[key] else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(value.compactText.utf8))
    }
    func body<T: Decodable>(as type: T.Type) throws -> T? {
        guard let bodyJSON else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(bodyJSON.compactText.utf8))
    }
    func rawBody() throws -> [UInt8]? { raw }
    func dependency<D: Dependency>(_ type: D.Type) async throws -> D.Value {
        if type == DatabaseDependency.self, let value = "db" as? D.Value { return value }
        if type == CurrentUserDependency.self, let value = 42 as? D.Value { return value }
        throw MissingInputError(name: "\(type)", location: "dependencies")
    }
}

func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
}

/// The value Foundation's JSONDecoder reads from `text`, checked against what the runtime
/// reads: the generated `init(json:)` (which every generated type has) and JSONValueDecoder.
/// When Foundation refuses the text, both must refuse it too.
func decode<T: Decodable & Equatable>(_ type: T.Type, _ text: String) throws -> T {
    try #require(T.self is any JSONReadable.Type, "\(T.self) has no generated init(json:)")
    let document = try JSONDocument(parsing: text)
    let foundation: T
    do {
        foundation = try JSONDecoder().decode(T.self, from: Data(text.utf8))
    } catch {
        #expect(throws: DecodingError.self) { try JSONBody.read(T.self, from: document.root) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(T.self, from: document.root) }
        throw error
    }
    #expect(try JSONBody.read(T.self, from: document.root) == foundation)
    #expect(try JSONValueDecoder().decode(T.self, from: document.root) == foundation)
    return foundation
}

/// The value as the runtime writes it (JSONValueEncoder), checked against Foundation's JSONEncoder.
func encode<T: Encodable>(_ value: T) throws -> JSON {
    let ours = try JSONValueEncoder().encode(value)
    #expect(try ours == JSON(parsing: Array(try JSONEncoder().encode(value))))
    // The streaming encoder writes the same, byte for byte.
    var writer = JSONWriter()
    writer.write(ours)
    #expect(try JSONStreamEncoder.encode(value) == writer.bytes)
    // And so does the generated writer, which every generated type has.
    try #require(value is any JSONWritable, "\(T.self) has no generated writeJSON(into:)")
    #expect(try JSONBody.bytes(of: value) == writer.bytes)
    return ours
}

@Suite struct JSONValueEncoderTests {
    struct Odd: Encodable {
        var float: Float = 0.1
        var date = Date(timeIntervalSince1970: 86_400.5)
        var url = URL(string: "https://example.com/a?b=c")!
        var data = Data([1, 2, 3])
        var missing: Int? = nil
        var explicitNull: Int? = nil
        var nested = [["a": [1, 2]], ["b": []]]

        enum CodingKeys: String, CodingKey { case float, date, url, data, missing, explicitNull, nested }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(float, forKey: .float)
            try container.encode(date, forKey: .date)
            try container.encode(url, forKey: .url)
            try container.encode(data, forKey: .data)
            try container.encodeIfPresent(missing, forKey: .missing)
            try container.encodeNil(forKey: .explicitNull)
            try container.encode(nested, forKey: .nested)
        }
    }

    @Test func foundationTypesFloatsNullsAndOrder() throws {
        let json = try JSONValueEncoder().encode(Odd())
        #expect(
            json == [
                "float": 0.1, "date": "1970-01-02T00:00:00.500Z", "url": "https://example.com/a?b=c", "data": "AQID", "explicitNull": nil,
                "nested": [["a": [1, 2]], ["b": []]],
            ])
        #expect(json.objectValue?.keys == ["float", "date", "url", "data", "explicitNull", "nested"])
        var writer = JSONWriter()
        writer.write(json)
        #expect(String(decoding: writer.bytes, as: UTF8.self).hasPrefix(#"{"float":0.1,"#))
    }

    @Test func scalarsAndEmptyValues() throws {
        #expect(try JSONValueEncoder().encode(42) == 42)
        #expect(try JSONValueEncoder().encode("x/y") == "x/y")
        #expect(try JSONValueEncoder().encode([String: Int]()) == [:])
        #expect(try JSONValueEncoder().encode([Int]()) == [])
        #expect(try JSONValueEncoder().encode(Optional<Int>.none) == nil)
        #expect(try JSONValueEncoder().encode(UInt64(7)) == 7)
    }

    @Test func theStreamWritesWhatTheTreeWrites() throws {
        func same<T: Encodable>(_ value: T) throws {
            var writer = JSONWriter()
            writer.write(try JSONValueEncoder().encode(value))
            #expect(try JSONStreamEncoder.encode(value) == writer.bytes, "\(value)")
        }
        try same(Odd())
        try same([Odd(), Odd()])
        try same(["a": [1, 2], "b": []])
        try same([[String: Int]]())
        try same(Optional<Int>.none)
        try same(Float(0.1))
        try same("x\"y\u{0}")
        struct Empty: Encodable { func encode(to encoder: any Encoder) throws {} }
        try same(Empty())
        struct Nested: Encodable {
            enum Keys: String, CodingKey { case a, b, c }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var a = container.nestedUnkeyedContainer(forKey: .a)
                try a.encode(1)
                var inner = a.nestedContainer(keyedBy: Keys.self)
                try inner.encode("x", forKey: .c)
                var b = container.nestedContainer(keyedBy: Keys.self, forKey: .b)  // closes a
                try b.encodeNil(forKey: .a)
                try container.encode(true, forKey: .c)  // closes b
            }
        }
        try same(Nested())
        #expect(try JSONStreamEncoder.encode(Nested()).map { String(decoding: $0, as: UTF8.self) } == #"{"a":[1,{"c":"x"}],"b":{"a":null},"c":true}"#)
    }

    @Test func whatCannotBeStreamedFallsBack() throws {
        struct Interleaved: Encodable {
            enum Keys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var a = container.nestedUnkeyedContainer(forKey: .a)
                try container.encode(1, forKey: .b)
                try a.encode(2)  // back to a container already closed
            }
        }
        struct Super: Encodable {
            enum Keys: String, CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(1, forKey: .a)
                var parent = container.superEncoder().singleValueContainer()
                try parent.encode(2)
            }
        }
        #expect(try JSONStreamEncoder.encode(Interleaved()) == nil)
        #expect(try JSONStreamEncoder.encode(Super()) == nil)
        #expect(throws: EncodingError.self) { try JSONStreamEncoder.encode([Double.nan]) }
    }

    @Test func whatJSONCannotHoldIsAnError() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Double.nan) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["x": Double.infinity]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(UInt64.max) }
    }
}

@Suite struct PetstoreGeneratedTests {
    @Test func petRoundTripsAndAppliesItsDefault() throws {
        let pet = Pet(id: 7, name: "pet-7", tag: "tag-0", age: 7, status: .pending, tags: ["t2", "u7"], weight: 1.75, code: "ABC-0007")
        #expect(try roundTrip(pet) == pet)
        #expect(Pet(id: 1, name: "a", age: 1, status: .sold).tags == [])
        let json = try encode(Pet(id: 1, name: "a", age: 1, status: .sold))
        #expect(json == ["id": 1, "name": "a", "age": 1, "status": "sold", "tags": []])
    }

    @Test func unknownEnumValuesFailToDecode() {
        #expect(throws: DecodingError.self) { try decode(Status.self, #""lost""#) }
    }

    @Test func inputsReadParametersWithDefaults() async throws {
        let input = try await Petstore.ListPets.Input(from: FakeSource(parameters: [.query("status"): "sold"]))
        #expect(input.limit == 20)
        #expect(input.offset == 0)
        #expect(input.status == .sold)
        let missing = await #expect(throws: MissingInputError.self) { try await Petstore.GetPet.Input(from: FakeSource()) }
        #expect(missing?.name == "petId")
    }

    @Test func outputsDescribeTheirResponse() throws {
        let output = Petstore.GetPet.Output.notFound(ErrorModel(detail: "pet not found"))
        #expect(try output.statusCode == 404)
        #expect(try output.contentType == "application/json")
        let text = Petstore.Plaintext.Output.ok("Hello")
        guard case .text("Hello") = try text.body else {
            Issue.record("expected a text body")
            return
        }
    }

    struct Store: PetstoreService {
        func plaintext(_ input: Petstore.Plaintext.Input) async throws -> Petstore.Plaintext.Output { .ok("Hello, World!") }
        func getPet(_ input: Petstore.GetPet.Input) async throws -> Petstore.GetPet.Output {
            .ok(Pet(id: input.petId, name: "p", age: 1, status: .available))
        }
        func listPets(_ input: Petstore.ListPets.Input) async throws -> Petstore.ListPets.Output { .ok([]) }
        func createPet(_ input: Petstore.CreatePet.Input) async throws -> Petstore.CreatePet.Output {
            .created(Pet(id: 1001, name: input.body.name, age: input.body.age, status: input.body.status))
        }
    }

    @Test func eachHandlerRunsItsOwnOperation() async throws {
        let handlers = Store().operationHandlers
        let getPet = try #require(handlers.first { $0.description.id == Petstore.GetPet.id })
        let output = try await getPet(FakeSource(parameters: [.path("petId"): 7]))
        #expect((output as? Petstore.GetPet.Output).map { if case .ok(let pet) = $0 { pet.id == 7 } else { false } } == true)
        let createPet = try #require(handlers.first { $0.description.id == Petstore.CreatePet.id })
        let created = try await createPet(FakeSource(bodyJSON: ["name": "Rex", "age": 3, "status": "available"]))
        #expect(try created.statusCode == 201)
        // A missing required parameter is the input's error, before the handler runs.
        await #expect(throws: MissingInputError.self) { try await getPet(FakeSource()) }
    }

    @Test func handlersCarryTheirOperationsDescriptions() throws {
        let description = Petstore.serviceDescription
        let operations = Store().operationHandlers.map(\.description)
        #expect(operations.map(\.id) == ["plaintext", "getPet", "listPets", "createPet"])
        #expect(operations.map(\.method) == [.get, .get, .get, .post])
        #expect(Petstore.CreatePet.operationDescription.responses.map(\.status) == [.code(201)])
        let list = try #require(operations.first { $0.id == "listPets" })
        #expect(list.parameters.map(\.key) == [.query("limit"), .query("offset"), .query("status")])
        #expect(list.parameters.map(\.type) == [.integer, .integer, .string])
        #expect(list.parameters.map(\.name) == ["limit", "offset", "status"])
        #expect(list.parameters.first?.defaultValue == "20")
        #expect(description.schemaDocuments.keys.contains("file:///Pet.json"))
        let openAPI = try JSON(parsing: description.openAPIDocument)
        #expect(openAPI["openapi"] == "3.1.0")
        #expect(openAPI["paths"]?["/pets/{petId}"]?["get"]?["operationId"] == "getPet")
    }
}

@Suite struct KitchenSinkGeneratedTests {
    @Test func discriminatedOneOf() throws {
        let circle = try decode(Shape.self, #"{"kind": "circle", "radius": 2}"#)
        #expect(circle == .circle(Circle(radius: 2)))
        let rect = try decode(Shape.self, #"{"kind": "rect", "width": 1, "height": 2, "label": null}"#)
        #expect(rect == .rectangle(Rectangle(width: 1, height: 2)))
        #expect(throws: DecodingError.self) { try decode(Shape.self, #"{"kind": "triangle"}"#) }
        #expect(try encode(Shape.circle(Circle(radius: 2))) == ["kind": "circle", "radius": 2.0])
    }

    /// Members that may be left out: the writer's commas hold whichever of them are there.
    /// What the readers refuse, as the decoders do.
    @Test func readersRefuseWhatDecodersRefuse() throws {
        for text in [
            #"{"value": "one"}"#, #"[]"#, #"{"value": 1.5}"#, #"{"value": 1, "children": {}}"#, #"{}"#, #"null"#,
        ] {
            #expect(throws: DecodingError.self, "\(text)") { try decode(Tree.self, text) }
        }
        #expect(try decode(Tree.self, #"{"value": 2.0}"#).value == 2)  // an integral real is an integer
        #expect(throws: DecodingError.self) { try decode(Shape.self, #"{"radius": 2}"#) }  // no discriminator
        #expect(throws: DecodingError.self) { try decode(Everything.Mode.self, #""fast""#) }
        #expect(throws: DecodingError.self) { try decode(Everything.IdOrName.self, #"true"#) }
        #expect(try decode(Everything.IdOrName.self, #"7"#) == .int(7))
        #expect(try decode(Everything.Extras.self, #"{"a": "x", "n": 1, "m": 2}"#).additionalProperties == ["n": 1, "m": 2])
        #expect(throws: DecodingError.self) { try decode(Everything.Extras.self, #"{"n": "one"}"#) }
    }

    @Test func writersPlaceCommasWhateverIsLeftOut() throws {
        #expect(try encode(Legacy()) == [:])
        #expect(try encode(Legacy(size: 3)) == ["size": 3])
        #expect(try encode(Legacy(color: .green)) == ["color": "green"])
        #expect(try encode(Legacy(color: .green, size: 3)) == ["color": "green", "size": 3])
        #expect(try encode(Everything.Extras()) == [:])
        #expect(try encode(Everything.Extras(additionalProperties: ["n": 1, "m": 2])) == ["n": 1, "m": 2])
        #expect(try encode(Everything.Extras(a: "x", additionalProperties: ["n": 1, "m": 2])) == ["a": "x", "n": 1, "m": 2])
        #expect(try encode(Everything.Extras(a: "x")) == ["a": "x"])
        #expect(try encode(KitchenSink.Search.Body()) == ["page": 1])
        #expect(try encode(KitchenSink.Search.Body(query: "q\"\u{1}", filters: ["k": "v"])) == ["query": "q\"\u{1}", "filters": ["k": "v"], "page": 1])
        // What JSON cannot hold is refused, as by the encoders.
        #expect(throws: EncodingError.self) { try JSONBody.bytes(of: Circle(radius: .nan)) }
        #expect(throws: EncodingError.self) { try JSONBody.bytes(of: [JSON.number(.infinity)]) }
        #expect(throws: EncodingError.self) { try JSONBody.bytes(of: [UInt64.max]) }
        #expect(try JSONBody.bytes(of: [UInt64(Int64.max)]) == Array("[9223372036854775807]".utf8))
    }

    @Test func recursiveTreesBoxOnlyTheCycle() throws {
        let parent = Tree(value: 1)
        var child = Tree(value: 2, parent: parent)
        child.children = [Tree(value: 3)]
        let decoded = try roundTrip(child)
        #expect(decoded == child)
        #expect(decoded.parent?.value == 1)
        let json = try encode(child)
        #expect(json["parent"]?["value"] == 1)
        let linked = try decode(Tree.self, #"{"value": 1, "next": {"value": 2, "next": null}}"#)
        #expect(linked.next?.value == 2)
        // Cycles through an alias back to a struct, and through a choice's alternatives.
        let chained = try decode(Tree.self, #"{"value": 1, "chain": {"label": "a", "rest": {"label": "b"}}}"#)
        #expect(chained.chain?.rest?.label == "b")
        let expression = try decode(Expression.self, #"{"not": {"terms": [1, {"not": 2}]}}"#)
        #expect(expression == .negation(Negation(not: .sum(Sum(terms: [.int(1), .negation(Negation(not: .int(2)))])))))
    }

    @Test func everyKindOfProperty() throws {
        let text = """
            {"id": "6f1c1d1e-0000-4000-8000-000000000001", "class": "c", "self": true, "snake_case_name": "s",
             "HTTPServerURL": "https://example.com/x", "createdAt": "2024-02-29T12:30:00.250Z", "birthday": "2000-02-29",
             "count32": 7, "count64": 9007199254740993, "ratio": 0.5, "blob": "aGk=", "nullableRequired": null,
             "mode": "fast-mode", "labels": {"a": "b"}, "extras": {"a": "x", "n": 3}, "point": {"x": 1, "y": 2},
             "points": [{"x": 1}], "anything": [1, "two", null], "named": {"detail": "d", "code": "c1"},
             "idOrName": "rex", "legacy": "green", "version": "v1"}
            """
        let value = try decode(Everything.self, text)
        #expect(value.class == "c")
        #expect(value._self == true)
        #expect(value.snakeCaseName == "s")
        #expect(value.httpServerURL == URL(string: "https://example.com/x"))
        #expect(value.createdAt == Date(timeIntervalSince1970: 1_709_209_800.25))
        #expect(value.updatedAt == nil)
        #expect(value.birthday == CalendarDate(year: 2000, month: 2, day: 29))
        #expect(value.count32 == Int32(7))
        #expect(value.count64 == Int64(9_007_199_254_740_993))
        #expect(value.blob == Data("hi".utf8))
        #expect(value.nullableRequired == nil)
        #expect(value.mode == .fastMode)
        #expect(value.priority == .low)
        #expect(value.ratios == [1, 2.5])
        #expect(value.labels == ["a": "b"])
        #expect(value.extras?.a == "x")
        #expect(value.extras?.additionalProperties == ["n": 3])
        #expect(value.point?.x == 1)
        #expect(value.anything == [1, "two", nil])
        #expect(value.named?.detail == "d")
        #expect(value.named?.code == "c1")
        #expect(value.idOrName == .string("rex"))
        #expect(value.legacy == .green)
        // Defaults of every shape that Swift can write: a struct from an object, a dictionary,
        // an integer written `2.0`, a choice; one it cannot (`{}` for a struct with a required member) is not applied.
        #expect(value.settings == Everything.Settings(retries: 3))
        #expect(value.settings.verbose == false)
        #expect(value.weights == ["a": 1.5])
        #expect(value.steps == 2)
        #expect(value.origin == nil)
        #expect(value.level == .case1(.warn))  // a choice's default: its first alternative that holds it
        let json = try encode(value)
        #expect(json["nullableRequired"] == .null)
        #expect(json["nullableOptional"] == nil)
        #expect(json["createdAt"] == "2024-02-29T12:30:00.250Z")
        #expect(json["birthday"] == "2000-02-29")
        #expect(json["extras"] == ["a": "x", "n": 3])
        #expect(try roundTrip(value) == value)
    }

    @Test func oddEnumValuesGetValidCaseNames() {
        #expect(Everything.Mode.allCases.map(\.rawValue) == ["fast-mode", "slow_mode", "2x", "default", ""])
        #expect(Everything.Mode(rawValue: "default") == .default)
        #expect(Everything.Mode(rawValue: "") == .empty)
        #expect(Everything.Mode(rawValue: "2x") == ._2x)
    }

    @Test func operationsCarryParametersBodiesHeadersAndDependencies() async throws {
        let source = FakeSource(parameters: [
            .path("shapeId"): "6f1c1d1e-0000-4000-8000-000000000001", .query("include"): ["area"], .header("X-Request-Id"): "r1",
        ])
        let input = try await KitchenSink.GetShape.Input(from: source)
        #expect(input.include == [.area])
        #expect(input.verbose == false)
        #expect(input.xRequestId == "r1")
        #expect(input.database == "db")
        let output = KitchenSink.GetShape.Output.ok(.circle(Circle(radius: 1)), headers: .init(eTag: "v1"))
        #expect(try output.headers.map(\.name) == ["ETag"])
        // Typed headers in their declared format: an enum's raw value, RFC 3339, an array's items.
        let typed = KitchenSink.GetShape.Output.ok(
            .circle(Circle(radius: 1)),
            headers: .init(
                eTag: "v2", xRateLimit: 10, xKind: .square, xUpdatedAt: Date(timeIntervalSince1970: 1_700_000_000.25), xTags: ["a", "b c"], xRatio: 0.5))
        #expect(
            try typed.headers.map { "\($0.name): \($0.value)" } == [
                "ETag: v2", "X-Rate-Limit: 10", "X-Kind: square", "X-Updated-At: 2023-11-14T22:13:20.250Z", "X-Tags: a,b c", "X-Ratio: 0.5",
            ])
        #expect(try KitchenSink.GetShape.Output.default(statusCode: 503, Problem(detail: "busy")).statusCode == 503)
        let put = try await KitchenSink.PutTree.Input(from: FakeSource(parameters: [.path("treeId"): 5], bodyJSON: ["value": 1]))
        #expect(put.currentUser == 42)
        #expect(put.database == "db")
        #expect(try KitchenSink.PutTree.Output.noContent.statusCode == 204)
        let note = try await KitchenSink.UploadNote.Input(from: FakeSource(raw: Array("hello".utf8)))
        #expect(note.body == Array("hello".utf8))
        let search = try await KitchenSink.Search.Input(from: FakeSource(bodyJSON: ["query": "q"]))
        #expect(search.body.page == 1)
        let export = KitchenSink.ExportShapes.Output.ok(ResponseStream(chunks: [Array("{}\n".utf8)]))
        #expect(try export.contentType == "application/x-ndjson")
        let body = try export.body
        guard case .stream(let stream) = body else {
            Issue.record("not a stream: \(body)")
            return
        }
        var chunks: [[UInt8]] = []
        for try await chunk in stream { chunks.append(chunk) }
        #expect(chunks == [Array("{}\n".utf8)])
    }

    @Test func openAPIDocumentHasComponentsAndSecurity() throws {
        let document = try JSON(parsing: KitchenSink.openAPIDocument)
        let schemas = try #require(document["components"]?["schemas"]?.objectValue)
        #expect(schemas.keys.contains("Shape"))
        #expect(schemas.keys.contains("Circle"))
        #expect(schemas["Legacy"]?["properties"]?["color"]?["$ref"] == "#/components/schemas/Color")
        #expect(document["components"]?["securitySchemes"]?["bearer"]?["scheme"] == "bearer")
        let put = document["paths"]?["/trees/{treeId}"]?["put"]
        #expect(put?["deprecated"] == true)
        #expect(put?["responses"]?["401"] != nil)
        #expect(put?["parameters"]?.arrayValue?.contains { $0["name"] == "Authorization" } == true)
    }
}

/// A transport that plays the client's side from a script.
final class ScriptedTransport: WebSocketTransport, @unchecked Sendable {
    // Safety: used by one task at a time in these tests.
    var incoming: [JSON]
    var sent: [String] = []
    let application = ApplicationDependencies()

    init(_ incoming: [JSON]) { self.incoming = incoming }

    func receive() async throws -> JSONValue? {
        guard !incoming.isEmpty else { return nil }
        return try JSONDocument(incoming.removeFirst()).root
    }
    func send(text: String) async throws { sent.append(text) }
    func close() async throws {}
}

@Suite struct GeneratedWebSocketTests {
    /// Implements only the WebSocket of the KitchenSink (the operations are stubs).
    struct Feed: KitchenSinkService {
        func getShape(_ input: KitchenSink.GetShape.Input) async throws -> KitchenSink.GetShape.Output { throw NotImplementedError(operation: "getShape") }
        func putTree(_ input: KitchenSink.PutTree.Input) async throws -> KitchenSink.PutTree.Output { throw NotImplementedError(operation: "putTree") }
        func uploadNote(_ input: KitchenSink.UploadNote.Input) async throws -> KitchenSink.UploadNote.Output {
            throw NotImplementedError(operation: "uploadNote")
        }
        func search(_ input: KitchenSink.Search.Input) async throws -> KitchenSink.Search.Output { throw NotImplementedError(operation: "search") }
        func subscribe(_ input: KitchenSink.Subscribe.Input) async throws -> KitchenSink.Subscribe.Output { throw NotImplementedError(operation: "subscribe") }
        func shapeReport(_ input: KitchenSink.ShapeReport.Input) async throws -> KitchenSink.ShapeReport.Output {
            throw NotImplementedError(operation: "shapeReport")
        }
        func exportShapes(_ input: KitchenSink.ExportShapes.Input) async throws -> KitchenSink.ExportShapes.Output {
            throw NotImplementedError(operation: "exportShapes")
        }
        func putWide(_ input: KitchenSink.PutWide.Input) async throws -> KitchenSink.PutWide.Output { throw NotImplementedError(operation: "putWide") }

        func shapeFeed(_ session: WebSocketSession<KitchenSink.ShapeFeed.Receive, KitchenSink.ShapeFeed.Send>) async throws {
            for try await message in session.messages where message.subscribe {
                try await session.send(.circle(Circle(radius: 2)))
            }
        }
    }

    @Test func theWebSocketHandlerRunsTheTypedMethod() async throws {
        let transport = ScriptedTransport([["subscribe": true], ["subscribe": false], ["subscribe": true]])
        let handlers = Feed().webSocketHandlers
        #expect(handlers.map(\.description.path) == ["/shapes/feed"])
        #expect(handlers.map(\.description.id) == [KitchenSink.ShapeFeed.id])
        let handler = try #require(handlers.first)
        try await handler(transport)
        #expect(transport.sent.count == 2)
        #expect(try JSON(parsing: transport.sent[0])["radius"] == 2)
    }
}

@Suite struct GeneratedSecurityAndBodyTests {
    @Test func securityIsDescribedForTheRuntimeToEnforce() {
        #expect(
            KitchenSink.serviceDescription.securitySchemes == [
                SecuritySchemeDescription(name: "apiKey", kind: .apiKey(name: "X-API-Key", location: .header)),
                SecuritySchemeDescription(name: "bearer", kind: .http(scheme: "bearer")),
            ])
        // The service's requirement, a dependency's in place of it, the operation's own (with `{}`: optional).
        #expect(KitchenSink.GetShape.operationDescription.security == [SecurityRequirement([.init(name: "apiKey")])])
        #expect(KitchenSink.PutTree.operationDescription.security == [SecurityRequirement([.init(name: "bearer")])])
        #expect(KitchenSink.Subscribe.operationDescription.security == [SecurityRequirement([.init(name: "apiKey")]), SecurityRequirement([])])
    }

    @Test func aBodyInSeveralMediaTypesDescribesItsFormFields() throws {
        let body = try #require(KitchenSink.Subscribe.operationDescription.body)
        #expect(body.contentTypes == ["application/json", "application/x-www-form-urlencoded"])
        #expect(body.fields.map(\.name) == ["email", "topics", "weekly", "shape"])
        #expect(body.fields.map(\.type) == [.string, .array, .boolean, .string])
        #expect(body.fields[1].itemType == .string && body.fields[0].required && !body.fields[1].required)
    }
}

@Suite struct GeneratedNegotiationTests {
    @Test func aResponseInSeveralMediaTypesIsAnEnumThatAnswersItsOwnType() async throws {
        let input = try await KitchenSink.ShapeReport.Input(from: FakeSource())
        #expect(input.responseContentType == "application/json")
        let csv = KitchenSink.ShapeReport.Output.ok(.csv("a,b\n"), headers: .init(xCount: 2))
        #expect(try csv.contentType == "text/csv")
        #expect(try csv.headers.map(\.value) == ["2"])
        let png = KitchenSink.ShapeReport.Output.ok(.png([0x89, 0x50]), headers: .init(xCount: 1))
        #expect(try png.contentType == "image/png")
        let json = KitchenSink.ShapeReport.Output.ok(.json(.circle(Circle(radius: 1))), headers: .init(xCount: 1))
        #expect(try json.contentType == "application/json")
        let description = KitchenSink.ShapeReport.operationDescription
        #expect(
            description.responses.map { "\($0.status) \($0.contentType ?? "-")" } == [
                "200 application/json", "200 text/csv", "200 image/png", "404 application/json",
            ])
    }
}

/// A struct wider than the generator stores inline (Wide: 140 properties, kept in a storage
/// struct of its own) reads, writes, compares and changes as any other.
@Suite struct WideStructTests {
    @Test func aWideStructBehavesAsANarrowOne() throws {
        let wide = try decode(Wide.self, #"{"id": 3, "lint001": "a", "lint136": "z", "next": {"id": 4, "mode": "deny"}, "extra": 7}"#)
        #expect(wide.id == 3 && wide.mode == .warn && wide.lint001 == "a" && wide.lint136 == "z" && wide.lint002 == nil)
        #expect(wide.next?.id == 4 && wide.next?.mode == .deny && wide.next?.next == nil)
        #expect(wide.additionalProperties == ["extra": 7])
        #expect(Wide(id: 3, next: Wide(id: 4, mode: .deny), lint001: "a", lint136: "z", additionalProperties: ["extra": 7]) == wide)
        var changed = wide
        changed.lint050 = "middle"
        changed.next = nil
        changed.additionalProperties["more"] = 1
        #expect(changed != wide && changed.lint050 == "middle" && changed.next == nil && wide.next != nil)
        let json = try encode(changed)
        #expect(json["lint050"] == "middle" && json["mode"] == "warn" && json["more"] == 1 && json["extra"] == 7 && json["next"] == nil)
        #expect(try roundTrip(changed) == changed)
        #expect(throws: DecodingError.self) { try decode(Wide.self, #"{"lint001": "a"}"#) }
        // A wide struct nested in a wide one, its defaults applied.
        let nested = try decode(Wide.self, #"{"id": 1, "settings": {"s002": 20}}"#)
        #expect(nested.settings?.s001 == 1 && nested.settings?.s002 == 20 && nested.settings?.s130 == 130)
        #expect(try encode(nested)["settings"]?["s130"] == 130)
    }
}
