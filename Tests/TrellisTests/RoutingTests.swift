import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// A service whose paths share a parameter position under different names.
struct ParameterNamesService: HandWrittenService {
    struct Output: HandWrittenOutput {
        var statusCode: Int { 200 }
        var contentType: String? { "text/plain" }
        var headers: [(name: String, value: String)] { [] }
        var body: OutputBody
    }

    static func operation(_ id: String, _ method: OperationDescription.Method, _ path: String, _ names: [String]) -> OperationDescription {
        OperationDescription(
            id: id, method: method, path: path,
            parameters: names.map { ParameterDescription(name: $0, location: .path, required: true, schema: "file:///s.json#/$defs/text", type: .string) },
            body: nil, responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: [])
    }

    static let serviceDescription = ServiceDescription(
        name: "Names", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "N", "version": "1"}, "paths": {}}"#,
        schemaDocuments: ["file:///s.json": #"{"$defs": {"text": {"type": "string"}}}"#])

    static let operations: [OperationDescription] = [
        operation("thing", .get, "/things/{id}", ["id"]),
        operation("part", .get, "/things/{thingId}/parts/{partId}", ["thingId", "partId"]),
        operation("deleteThing", .delete, "/things/{name}", ["name"]),
        operation("mine", .get, "/things/mine", []),
    ]

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        let names = ["id", "thingId", "partId", "name"]
        var found: [String] = []
        for name in names { if let value = try source.parameter(.path(name), as: String.self) { found.append("\(name)=\(value)") } }
        return Output(body: .text(id + " " + found.joined(separator: " ")))
    }
}

@Suite struct RoutingTests {
    @Test func eachOperationNamesItsOwnParameters() async throws {
        let client = TrellisTestClient(try TrellisApplication(services: ParameterNamesService()))
        #expect(try await client.get("/things/7").text == "thing id=7")
        #expect(try await client.get("/things/7/parts/x%20y").text == "part thingId=7 partId=x y")
        #expect(try await client.execute(.delete, "/things/7").text == "deleteThing name=7")
        #expect(try await client.get("/things/mine").text == "mine ")  // a literal wins over a parameter
        #expect(try await client.get("/things/7/parts").status == .notFound)
        #expect(try await client.get("/things//parts/1").status == .notFound)  // an empty segment is no value
    }

    @Test func theRuntimesOwnRoutesAreRoutedAsOperationsAre() async throws {
        var configuration = TrellisConfiguration()
        configuration.metricsPath = "/metrics"
        let client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: ParameterNamesService()))
        #expect(try await client.get("/healthz").json() == ["status": "ok"])
        #expect(try await client.get("/readyz").status == .ok)
        #expect(try await client.get("/openapi.json").headers[.contentType] == "application/json")
        #expect(try await client.get("/docs").text.contains("swagger-ui"))
        #expect(try await client.get("/metrics").text.contains("# TYPE"))
        // Another method: 405 with what is allowed; HEAD and OPTIONS as for an operation.
        let post = try await client.execute(.post, "/healthz")
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers[.allow] == "GET, HEAD, OPTIONS")
        let head = try await client.execute(.head, "/openapi.json")
        #expect(head.status == .ok && head.body.isEmpty)
        #expect(try await client.execute(.options, "/docs").headers[.allow] == "GET, HEAD, OPTIONS")
        // No such asset, and no AsyncAPI document for a service without channels: 404.
        #expect(try await client.get("/docs/assets/nothing.js").status == .notFound)
        #expect(try await client.get("/asyncapi.json").status == .notFound)
    }

    /// A local docs-assets folder is read once: its regular files are served from memory; a
    /// symbolic link (out of the folder) and a file over the size bound are not served, and a
    /// file changed or removed afterwards changes nothing.
    @Test func docsAssetsAreReadOnceWithoutFollowingLinks() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-assets-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("window.ui = 1".utf8).write(to: URL(fileURLWithPath: folder + "/swagger-ui-bundle.js"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/passwd.js", withDestinationPath: "/etc/passwd")
        _ = FileManager.default.createFile(atPath: folder + "/huge.js", contents: nil)
        let huge = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/huge.js"))
        try huge.truncate(atOffset: UInt64(16 << 20) + 1)
        try huge.close()
        var configuration = TrellisConfiguration()
        configuration.docs.swaggerUIAssets = .folder(folder)
        let client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: ParameterNamesService()))
        try FileManager.default.removeItem(atPath: folder + "/swagger-ui-bundle.js")
        let bundle = try await client.get("/docs/assets/swagger-ui-bundle.js")
        #expect(bundle.status == .ok && bundle.text == "window.ui = 1")
        #expect(bundle.headers[.contentType] == "application/javascript")
        #expect(try await client.get("/docs/assets/passwd.js").status == .notFound)
        #expect(try await client.get("/docs/assets/huge.js").status == .notFound)
        #expect(try await client.get("/docs/assets/..%2F..%2Fetc%2Fpasswd").status == .notFound)
    }

    @Test func anOperationOnARuntimeRouteIsAStartupError() {
        struct OnDocs: HandWrittenService {
            static let serviceDescription = ParameterNamesService.serviceDescription
            static let operations: [OperationDescription] = [ParameterNamesService.operation("docs", .get, "/docs", [])]
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                ParameterNamesService.Output(body: .text(""))
            }
        }
        #expect {
            try TrellisApplication(services: OnDocs())
        } throws: { error in
            "\(error)".contains("GET /docs is served by Names.docs and by the runtime (configuration.docs.swaggerUIPath)")
        }
        // Moved out of the way, it starts.
        var configuration = TrellisConfiguration()
        configuration.docs.swaggerUIPath = "/swagger"
        #expect(throws: Never.self) { try TrellisApplication(configuration: configuration, services: OnDocs()) }
    }

    @Test func twoTemplatesOfOneRouteAreAStartupError() {
        struct Clash: HandWrittenService {
            static let serviceDescription = ServiceDescription(
                name: "Clash", openAPIDocument: "{}", schemaDocuments: ["file:///s.json": #"{"$defs": {"text": {"type": "string"}}}"#])

            static let operations: [OperationDescription] = [
                ParameterNamesService.operation("a", .get, "/x/{a}", ["a"]),
                ParameterNamesService.operation("b", .get, "/x/{b}", ["b"]),
            ]
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                throw NotImplementedError(operation: id)
            }
        }
        #expect {
            try TrellisApplication(services: Clash())
        } throws: { error in
            "\(error)" == "two operations share a route: GET /x/{a} and GET /x/{b} match the same paths"
        }
    }
}
