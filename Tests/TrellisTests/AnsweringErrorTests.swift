import HTTPTypes
import Hummingbird
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// An error of the application's that knows its own answer.
struct OutOfStock: AnsweringError {
    var item: String
    func response(format: TrellisConfiguration.ErrorFormat) -> Response {
        var response = HTTPError(.conflict, detail: "\(item) is out of stock").response(format: format)
        response.headers[.retryAfter] = "60"
        return response
    }
}

/// A service whose handlers throw errors that answer for themselves.
struct AnsweringService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "Answering", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "A", "version": "1"}, "paths": {}}"#, schemaDocuments: [:])

    static let operations: [OperationDescription] = ["own", "hummingbird"].map { id in
        OperationDescription(id: id, method: .get, path: "/" + id, parameters: [], body: nil, responses: [], dependencies: [])
    }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        if id == "own" { throw OutOfStock(item: "lamp") }
        throw Hummingbird.HTTPError(.tooManyRequests, message: "pay first")
    }
}

@Suite struct AnsweringErrorTests {
    @Test(arguments: [TrellisConfiguration.ErrorFormat.fastAPI, .problemDetails])
    func anErrorThatKnowsItsAnswerGivesIt(format: TrellisConfiguration.ErrorFormat) async throws {
        var configuration = TrellisConfiguration()
        configuration.errorFormat = format
        let client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: AnsweringService()))
        let response = try await client.get("/own")
        #expect(response.status == .conflict && response.headers[.retryAfter] == "60")
        #expect(try response.json()["detail"] == "lamp is out of stock")
        // Hummingbird's errors answer as Hummingbird writes them.
        let hummingbird = try await client.get("/hummingbird")
        #expect(hummingbird.status == .tooManyRequests)
        #expect(hummingbird.text.contains("pay first"))
    }
}
