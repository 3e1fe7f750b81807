import HTTPTypes
import Testing
import Trellis
import TrellisCore
import TrellisJSON

/// A service written by hand (as the generator would) whose handlers misbehave.
struct MisbehavingService: GeneratedService {
    struct Output: OperationOutput {
        var statusCode: Int
        var contentType: String? = "application/json"
        var headers: [(name: String, value: String)] = []
        var body: ResponseBody
    }

    struct Secret: Error { let password = "hunter2" }

    static let serviceDescription = ServiceDescription(
        name: "Misbehaving",
        openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "M", "version": "1"}, "paths": {}}"#,
        schemaDocuments: ["file:///m.json": #"{"$defs": {"Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}"#],
        operations: [
            OperationDescription(id: "lie", method: "GET", path: "/lie", parameters: [], body: nil,
                responses: [ResponseDescription(status: "200", contentType: "application/json", schema: "file:///m.json#/$defs/Thing")], dependencies: []),
            OperationDescription(id: "crash", method: "GET", path: "/crash", parameters: [], body: nil, responses: [], dependencies: []),
            OperationDescription(id: "refuse", method: "GET", path: "/refuse", parameters: [], body: nil, responses: [], dependencies: []),
            OperationDescription(id: "later", method: "GET", path: "/later", parameters: [], body: nil, responses: [], dependencies: []),
        ])

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        switch id {
        case "lie": return Output(statusCode: 200, body: .json(["id": "not a number"] as [String: String]))
        case "crash": throw Secret()
        case "refuse": throw HTTPError(.forbidden, detail: "not yours", headers: [.retryAfter: "10"])
        default: throw NotImplementedError(operation: id)
        }
    }
}

@Suite struct HandlerErrorTests {
    func client(validateResponses: Bool = true) throws -> TrellisTestClient {
        var configuration = TrellisConfiguration()
        configuration.validateResponses = validateResponses
        return TrellisTestClient(try TrellisApplication(configuration: configuration, services: MisbehavingService()))
    }

    @Test func aResponseTheSchemaForbidsIsA500() async throws {
        let response = try await client().get("/lie")
        #expect(response.status == .internalServerError)
        #expect(try response.json() == ["detail": "Internal Server Error"])
        let unchecked = try await client(validateResponses: false).get("/lie")
        #expect(unchecked.status == .ok)
    }

    @Test func unknownErrorsLeakNothing() async throws {
        let response = try await client().get("/crash")
        #expect(response.status == .internalServerError)
        #expect(!response.text.contains("hunter2"))
        #expect(!response.text.contains("Secret"))
    }

    @Test func httpErrorsCarryStatusDetailAndHeaders() async throws {
        let response = try await client().get("/refuse")
        #expect(response.status == .forbidden)
        #expect(try response.json() == ["detail": "not yours"])
        #expect(response.headers[.retryAfter] == "10")
    }

    @Test func stubsAnswer501() async throws {
        let response = try await client().get("/later")
        #expect(response.status == .notImplemented)
    }

    @Test func startupFailsOnAnUncompilableSchema() {
        struct Broken: GeneratedService {
            static let serviceDescription = ServiceDescription(
                name: "Broken", openAPIDocument: "{}", schemaDocuments: [:],
                operations: [OperationDescription(id: "x", method: "GET", path: "/x", parameters: [], body: nil,
                    responses: [ResponseDescription(status: "200", contentType: "application/json", schema: "file:///missing.json")], dependencies: [])])
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput { throw NotImplementedError(operation: id) }
        }
        #expect(throws: TrellisStartupError.self) { try TrellisApplication(services: Broken()) }
    }
}
