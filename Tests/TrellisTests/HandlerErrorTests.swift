import HTTPTypes
import Hummingbird
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Petstore

/// A service written by hand (as the generator would) whose handlers misbehave.
struct MisbehavingService: HandWrittenService {
    struct Output: HandWrittenOutput {
        var statusCode: Int
        var contentType: String? = "application/json"
        var headers: [(name: String, value: String)] = []
        var body: OutputBody
    }

    struct Secret: Error { let password = "hunter2" }

    static let serviceDescription = ServiceDescription(
        name: "Misbehaving",
        openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "M", "version": "1"}, "paths": {}}"#,
        schemaDocuments: ["file:///m.json": #"{"$defs": {"Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}"#])

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "lie", method: .get, path: "/lie", parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "application/json", schema: "file:///m.json#/$defs/Thing")], dependencies: []),
        OperationDescription(id: "crash", method: .get, path: "/crash", parameters: [], body: nil, responses: [], dependencies: []),
        OperationDescription(id: "refuse", method: .get, path: "/refuse", parameters: [], body: nil, responses: [], dependencies: []),
        OperationDescription(id: "later", method: .get, path: "/later", parameters: [], body: nil, responses: [], dependencies: []),
        OperationDescription(
            id: "slow", method: .get, path: "/slow", parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: []),
        OperationDescription(id: "stuck", method: .get, path: "/stuck", parameters: [], body: nil, responses: [], dependencies: []),
        OperationDescription(
            id: "stream", method: .get, path: "/stream", parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "application/x-ndjson", schema: nil)], dependencies: []),
        OperationDescription(
            id: "flood", method: .get, path: "/flood", parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "application/octet-stream", schema: nil)], dependencies: []),
        OperationDescription(
            id: "thing", method: .post, path: "/thing", parameters: [],
            body: BodyDescription(contentType: "application/json", required: true, schema: "file:///m.json#/$defs/Thing"),
            responses: [ResponseDescription(status: .code(204), contentType: nil, schema: nil)], dependencies: []),
    ]

    /// Told when `slow` has started (and is about to wait).
    var started: AsyncStream<Void>.Continuation?
    /// Told when `slow` has finished waiting, with whether it was cancelled.
    var finished: AsyncStream<Bool>.Continuation?
    /// How long `slow` takes.
    var slowFor: Duration = .milliseconds(600)

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        switch id {
        case "lie": return Output(statusCode: 200, body: .json(["id": "not a number"] as [String: String]))
        case "crash": throw Secret()
        case "refuse": throw HTTPError(.forbidden, detail: "not yours", headers: [.retryAfter: "10"])
        case "slow":
            started?.yield()
            do {
                try await Task.sleep(for: slowFor)
                finished?.yield(false)
            } catch {
                finished?.yield(true)
                throw error
            }
            return Output(statusCode: 200, contentType: "text/plain", body: .text("done"))
        case "stuck":
            try await Task.sleep(for: .seconds(30))
            return Output(statusCode: 204, contentType: nil, body: .empty)
        case "stream":
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            Task {
                for number in 1...3 {
                    continuation.yield("{\"n\":\(number)}\n")
                    try? await Task.sleep(for: .milliseconds(5))
                }
                continuation.finish()
            }
            return Output(statusCode: 200, contentType: "application/x-ndjson", body: .stream(ResponseStream(lines)))
        case "flood":
            // 64 KiB chunks, each made when the connection takes it, up to 1 GiB: for a client that does not read.
            return Output(statusCode: 200, contentType: "application/octet-stream", body: .stream(ResponseStream(Flood())))
        case "thing": return Output(statusCode: 204, contentType: nil, body: .empty)
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
        struct Broken: HandWrittenService {
            static let serviceDescription = ServiceDescription(
                name: "Broken", openAPIDocument: "{}", schemaDocuments: [:])

            static let operations: [OperationDescription] = [
                OperationDescription(
                    id: "x", method: .get, path: "/x", parameters: [], body: nil,
                    responses: [ResponseDescription(status: .code(200), contentType: "application/json", schema: "file:///missing.json")], dependencies: [])
            ]
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                throw NotImplementedError(operation: id)
            }
        }
        #expect(throws: TrellisStartupError.self) { try TrellisApplication(services: Broken()) }
    }

    @Test(arguments: Transport.allCases) func handlerErrorsOverEitherTransport(over transport: Transport) async throws {
        let app = try TrellisApplication(services: MisbehavingService())
        let check: (TrellisTestClient) async throws -> Void = { client in
            let crash = try await client.get("/crash")
            #expect(crash.status == .internalServerError)
            #expect(try crash.json() == ["detail": "Internal Server Error"])
            #expect(!crash.text.contains("hunter2"))
            let refused = try await client.get("/refuse")
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.retryAfter] == "10")
            #expect(try await client.get("/later").status == .notImplemented)
            #expect(try await client.get("/lie").status == .internalServerError)
        }
        switch transport {
        case .inProcess: try await check(TrellisTestClient(app))
        case .socket: try await TrellisTestClient.withLiveServer(app, check)
        }
    }

    @Test func errorHandlersAnswerTheirTypesInOrder() async throws {
        var app = try TrellisApplication(services: MisbehavingService())
        app.handleErrors(of: MisbehavingService.Secret.self) { _ in HTTPError(.conflict, detail: "kept secret") }
        app.handleErrors(of: MisbehavingService.Secret.self) { _ in HTTPError(.gone) }  // never reached: the first matches
        app.handleErrors(of: RequestValidationError.self) { error, _ in
            Response(
                status: .badRequest, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: .init(string: "\(error.issues.count) problem(s): " + error.issues.map(\.type).joined(separator: ","))))
        }
        let client = TrellisTestClient(app)
        let secret = try await client.get("/crash")
        #expect(secret.status == .conflict)
        #expect(try secret.json() == ["detail": "kept secret"])
        let invalid = try await client.post("/thing", json: ["id": "x"])
        #expect(invalid.status == .badRequest)
        #expect(invalid.text == "1 problem(s): int_type" || invalid.text.hasPrefix("1 problem(s): "))
        // Errors no handler matches keep the runtime's answers.
        #expect(try await client.get("/refuse").status == .forbidden)
        #expect(try await client.get("/later").status == .notImplemented)
    }

    @Test func aRequestOverItsTimeIsCancelledAndAnswered503() async throws {
        var configuration = TrellisConfiguration()
        configuration.requestTimeout = .milliseconds(100)
        let client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: MisbehavingService()))
        let start = ContinuousClock.now
        let response = try await client.get("/stuck")
        #expect(response.status == .serviceUnavailable)
        #expect(try response.json() == ["detail": "Request took longer than 0.1 seconds"])
        #expect(ContinuousClock.now - start < .seconds(15))  // not the handler's 30 s (a loaded machine is slow)
        #expect(try await client.get("/refuse").status == .forbidden)  // errors inside the limit are unchanged
        // The OpenAPI document lists the 503 on every operation while there is a limit.
        let limited = try JSON(parsing: TrellisApplication(configuration: configuration, services: PetstoreImplementation()).openAPIDocument)
        #expect(limited["paths"]?["/pets/{petId}"]?["get"]?["responses"]?["503"] != nil)
        configuration.requestTimeout = nil
        configuration.maxRequestsInFlight = nil
        let unlimited = try JSON(parsing: TrellisApplication(configuration: configuration, services: PetstoreImplementation()).openAPIDocument)
        #expect(unlimited["paths"]?["/pets/{petId}"]?["get"]?["responses"]?["503"] == nil)
    }

    @Test func serverSentEvents() async throws {
        #expect(ServerSentEvent(data: "a\nb", event: "tick", id: "7", retry: 1000).text == "event: tick\nid: 7\nretry: 1000\ndata: a\ndata: b\n\n")
        #expect(ServerSentEvent(data: "").text == "data: \n\n")
        #expect(ServerSentEvent(data: "x", event: "a\nb").text == "event: a b\ndata: x\n\n")
        let events = AsyncStream<ServerSentEvent> { continuation in
            continuation.yield(ServerSentEvent(data: "1", id: "1"))
            continuation.yield(ServerSentEvent(data: "2", id: "2"))
            continuation.finish()
        }
        var text = ""
        for try await chunk in ResponseStream(events: events) { text += String(decoding: chunk, as: UTF8.self) }
        #expect(text == "id: 1\ndata: 1\n\nid: 2\ndata: 2\n\n")
    }

    @Test func streamedResponsesArriveWhole() async throws {
        let response = try await client().get("/stream")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/x-ndjson")
        #expect(response.text == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
    }
}

/// 64 KiB chunks, made one by one as they are asked for, 16 384 of them (1 GiB).
struct Flood: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    struct AsyncIterator: AsyncIteratorProtocol {
        var left = 1 << 14
        mutating func next() async -> [UInt8]? {
            guard left > 0 else { return nil }
            left -= 1
            return [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator() }
}
