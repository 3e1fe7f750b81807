import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisAsyncHTTPClient
import TrellisClient
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Shelter

/// The example's second service through its generated client (`"client": true` in
/// Sources/Shelter/trellis.json): a form body (the token endpoint), a multipart upload read
/// from a file, a negotiated binary answer, server-sent events as an async sequence, and
/// client-side validation, in process and over a socket.
@Suite struct ShelterClientTests {
    enum Transport: CaseIterable { case inProcess, urlSession, asyncHTTPClient }

    /// The shelter on a new database, and its client over `transport` (validation as given).
    func withClient(
        over transport: Transport, store kind: StoreKind = .sqlite, validation: ClientValidation = .requestsAndAnswers,
        middlewares: [any ClientMiddleware] = [], _ body: (AnimalShelterClient, String) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shelter-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await kind.withStore { pool in
            var configuration = TrellisConfiguration()
            configuration.uploadDirectory = folder.path
            var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: pool)
            switch transport {
            case .inProcess:
                let client = try AnimalShelterClient(
                    baseURL: "http://localhost", transport: InProcessTransport(app), middlewares: middlewares, validation: validation)
                try await body(client, folder.path)
            case .urlSession, .asyncHTTPClient:
                try await TrellisTestClient.withLiveServer(app) { live in
                    let port = try #require(live.port)
                    let over: any ClientTransport = transport == .urlSession ? URLSessionTransport() : AsyncHTTPClientTransport()
                    let client = try AnimalShelterClient(
                        baseURL: "http://127.0.0.1:\(port)", transport: over, middlewares: middlewares, validation: validation)
                    try await body(client, folder.path)
                }
            }
        }
    }

    /// A token from the form body, animals admitted with it, a photo uploaded from a file and
    /// read back, and the admissions as events.
    @Test(arguments: Transport.allCases, StoreKind.available) func formMultipartAndEvents(over transport: Transport, store: StoreKind) async throws {
        try await withClient(over: transport, store: store) { client, folder in
            let issued = try await client.issueToken(body: TokenRequest(grantType: "password", username: "alex", password: "shelter-password"))
            guard case .ok(let token, let headers) = issued else {
                Issue.record("\(issued)")
                return
            }
            #expect(token.tokenType == "bearer" && headers.cacheControl == "no-store")
            let refused = try await client.issueToken(body: TokenRequest(grantType: "password", username: "alex", password: "guess"))
            guard case .badRequest(let refusal) = refused else {
                Issue.record("\(refused)")
                return
            }
            #expect(refusal.error == .invalidGrant)

            var withToken = client.client
            withToken.middlewares = [
                CredentialsMiddleware(schemes: AnimalShelter.serviceDescription.securitySchemes, credentials: ["staffToken": .bearer(token.accessToken)])
            ]
            let staff = AnimalShelterClient(withToken)
            var ids: [Int] = []
            for (name, species) in [("Tom", Species.cat), ("Rex", .dog)] {
                guard case .created(let animal) = try await staff.admitAnimal(body: NewAnimal(name: name, species: species)) else {
                    Issue.record("not admitted")
                    return
                }
                #expect(animal.admittedBy == "alex")
                ids.append(animal.id)
            }

            // A photo, read from its file by the client and written as a multipart body.
            let photo = PhotoUploadTests.png
            let path = folder + "/tom.png"
            try Data(photo).write(to: URL(fileURLWithPath: path))
            let file = try UploadedFile(contentsOf: path, contentType: "image/png")
            let stored = try await staff.uploadPhoto(animalId: ids[0], body: PhotoUpload(photo: file, caption: "Tom, \"asleep\""))
            guard case .created(let receipt) = stored else {
                Issue.record("\(stored)")
                return
            }
            #expect(receipt.bytes == photo.count && receipt.caption == "Tom, \"asleep\"" && receipt.contentType == .imagePng)
            let served = try await client.getPhoto(animalId: ids[0])
            guard case .ok(.png(let bytes)) = served else {
                Issue.record("\(served)")
                return
            }
            #expect(bytes == photo)
            guard case .notFound = try await staff.uploadPhoto(animalId: 999, body: PhotoUpload(photo: file)) else {
                Issue.record("a photo of no animal was stored")
                return
            }

            // The admissions, as events.
            guard case .ok(let stream) = try await client.admissions(last: 5) else {
                Issue.record("no admissions")
                return
            }
            var events: [ServerSentEvent] = []
            for try await event in stream.events { events.append(event) }
            #expect(
                events == [
                    ServerSentEvent(data: "Tom the cat, by alex", event: "admission", id: String(ids[0])),
                    ServerSentEvent(data: "Rex the dog, by alex", event: "admission", id: String(ids[1])),
                ])
        }
    }

    /// A request that does not satisfy the schemas is not sent; with validation off, the
    /// server answers it 422.
    @Test func aBadRequestIsCaughtBeforeItIsSent() async throws {
        let counting = CountingTransport()
        let client = try AnimalShelterClient(baseURL: "http://localhost", transport: counting, validation: .requestsAndAnswers)
        do {
            _ = try await client.listAnimals(limit: 500)
            Issue.record("sent")
        } catch TrellisClientError.requestNotValid(let operation, let issues) {
            #expect(operation == "listAnimals")
            #expect(issues == ["query limit: 500 is greater than the maximum of 100"])
        }
        do {
            _ = try await client.admitAnimal(body: NewAnimal(name: "", species: .cat))
            Issue.record("sent")
        } catch TrellisClientError.requestNotValid(_, let issues) {
            #expect(issues.count == 1 && issues[0].hasPrefix("body /name:"))
        }
        do {
            _ = try await client.issueToken(body: TokenRequest(grantType: "password", username: String(repeating: "a", count: 65), password: "x"))
            Issue.record("sent")
        } catch TrellisClientError.requestNotValid(_, let issues) {
            #expect(issues.count == 1 && issues[0].hasPrefix("body /username:"))
        }
        #expect(counting.count == 0)

        try await withClient(over: .inProcess, validation: .none) { client, _ in
            do {
                _ = try await client.listAnimals(limit: 500)
                Issue.record("a 422 read as an output")
            } catch TrellisClientError.undeclaredStatus(let status, _, let body) {
                #expect(status == 422 && String(decoding: body, as: UTF8.self).contains("less than or equal to 100"))
            }
        }
    }

    /// An answer that does not satisfy its response's schema is an error, with its body.
    @Test func anAnswerThatDoesNotValidateIsAnError() async throws {
        let forged = #"{"id":0,"name":"Tom","species":"cat","admittedAt":"2026-12-05T10:00:00Z","admittedBy":"alex"}"#
        let transport = CannedTransport(response: ClientResponse(status: .ok, headerFields: [.contentType: "application/json"], body: Array(forged.utf8)))
        let checking = try AnimalShelterClient(baseURL: "http://localhost", transport: transport, validation: .requestsAndAnswers)
        do {
            _ = try await checking.getAnimal(animalId: 1)
            Issue.record("read")
        } catch TrellisClientError.answerNotValid(let status, let issues, let body) {
            #expect(status == 200 && issues == ["body /id: 0 is less than the minimum of 1"] && body == Array(forged.utf8))
        }
        let trusting = try AnimalShelterClient(baseURL: "http://localhost", transport: transport, validation: .none)
        guard case .ok(let animal) = try await trusting.getAnimal(animalId: 1) else {
            Issue.record("not read")
            return
        }
        #expect(animal.id == 0)
    }

    /// A transport that streams: the first event is read before the server has finished, and
    /// an answer of a status that is not streamed is collected (here, an undeclared 503 with
    /// its body).
    @Test func eventsArriveAsTheyAreSent() async throws {
        let (chunks, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let transport = StreamingTransport(status: .ok, contentType: "text/event-stream", chunks: ResponseStream(chunks))
        let client = try AnimalShelterClient(baseURL: "http://localhost", transport: transport)
        guard case .ok(let stream) = try await client.admissions(last: 2) else {
            Issue.record("no stream")
            return
        }
        var events = stream.events.makeAsyncIterator()
        continuation.yield(Array("event: admission\nid: 1\nda".utf8))
        continuation.yield(Array("ta: Tom\n\n".utf8))
        #expect(try await events.next() == ServerSentEvent(data: "Tom", event: "admission", id: "1"))
        continuation.yield(Array("data: Rex\r\n\r\n".utf8))
        #expect(try await events.next() == ServerSentEvent(data: "Rex"))
        continuation.finish()
        #expect(try await events.next() == nil)

        let failing = StreamingTransport(
            status: .serviceUnavailable, contentType: "application/json", chunks: ResponseStream(chunks: [Array(#"{"detail":"#.utf8), Array(#""busy"}"#.utf8)]))
        do {
            _ = try await AnimalShelterClient(baseURL: "http://localhost", transport: failing).admissions()
            Issue.record("read")
        } catch TrellisClientError.undeclaredStatus(let status, _, let body) {
            #expect(status == 503 && body == Array(#"{"detail":"busy"}"#.utf8))
        }
    }
}

/// The events of a stream, however its bytes are cut, as the HTML standard reads them.
@Suite struct ServerSentEventsTests {
    static let text =
        ": a comment\r\nevent: price\r\nid: 7\r\ndata: 1\r\ndata:2\r\n\r\nretry: 3000\rdata\r\rdata: no type\n\nid: x\u{0}y\nevent: gone\n\ndata: unfinished"

    func events(_ chunks: [[UInt8]]) async throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for try await event in ResponseStream(chunks: chunks).events { events.append(event) }
        return events
    }

    @Test func everyCutGivesTheSameEvents() async throws {
        let bytes = Array(Self.text.utf8)
        let expected = [
            ServerSentEvent(data: "1\n2", event: "price", id: "7"), ServerSentEvent(data: "", retry: 3000), ServerSentEvent(data: "no type"),
        ]
        #expect(try await events([bytes]) == expected)
        for cut in 1..<bytes.count {
            #expect(try await events([Array(bytes[..<cut]), Array(bytes[cut...])]) == expected, "cut at \(cut)")
        }
        #expect(try await events(bytes.map { [$0] }) == expected)
    }

    @Test func aLineTooLongEndsTheStream() async throws {
        var events = ServerSentEvents(chunks: ResponseStream(chunks: Array(repeating: Array(repeating: UInt8(ascii: "a"), count: 1024), count: 3)))
        events.maxLineBytes = 2048
        await #expect(throws: TrellisClientError.self) {
            for try await _ in events {}
        }
    }
}

/// The client's middlewares: timeouts and request ids.
@Suite struct ClientMiddlewareTests {
    @Test func aSlowAnswerTimesOut() async throws {
        let client = try AnimalShelterClient(
            baseURL: "http://localhost", transport: SlowTransport(), middlewares: [ClientTimeoutMiddleware(.milliseconds(100))], validation: .none)
        let start = ContinuousClock.now
        do {
            _ = try await client.listAnimals()
            Issue.record("answered")
        } catch TrellisClientError.timedOut(let operation, let after) {
            #expect(operation == "listAnimals" && after == .milliseconds(100))
        }
        #expect(ContinuousClock.now - start < .seconds(15))  // not the transport's answer (a loaded machine is slow)
    }

    @Test func everyRequestCarriesAnID() async throws {
        let counting = CountingTransport()
        let client = try AnimalShelterClient(baseURL: "http://localhost", transport: counting, middlewares: [ClientRequestIDMiddleware()], validation: .none)
        _ = try? await client.listAnimals()
        _ = try? await client.listAnimals()
        let ids = counting.requests.compactMap { $0.headerFields[HTTPField.Name("X-Request-Id")!] }
        #expect(ids.count == 2 && ids[0] != ids[1] && ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        // One the caller set is kept.
        var request = OperationRequest(AnimalShelter.ListAnimals.operationDescription)
        request.headerFields[HTTPField.Name("X-Request-Id")!] = "mine"
        _ = try? await client.client.send(request)
        #expect(counting.requests.last?.headerFields[HTTPField.Name("X-Request-Id")!] == "mine")
    }
}

/// Counts what it is asked to send, and answers 200 with an empty JSON array.
final class CountingTransport: ClientTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []
    var count: Int { lock.withLock { sent.count } }
    var requests: [HTTPRequest] { lock.withLock { sent } }

    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        lock.withLock { sent.append(request) }
        return ClientResponse(status: .ok, headerFields: [.contentType: "application/json"], body: Array("[]".utf8))
    }
}

/// Answers every request with one answer.
struct CannedTransport: ClientTransport {
    let response: ClientResponse
    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse { response }
}

/// Streams one answer's body.
struct StreamingTransport: ClientTransport {
    let status: HTTPResponse.Status
    let contentType: String
    let chunks: ResponseStream
    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        try await stream(request, body: body).collected()
    }
    func stream(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        ClientResponse(status: status, headerFields: [.contentType: contentType], stream: chunks)
    }
}

/// Answers after a minute (unless cancelled).
struct SlowTransport: ClientTransport {
    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        try await Task.sleep(for: .seconds(60))
        return ClientResponse(status: .ok)
    }
}
