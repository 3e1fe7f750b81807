import Foundation
import HTTPTypes
import OpenAPIFixture31
import Testing
import Trellis
import TrellisAsyncHTTPClient
import TrellisClient
import TrellisCore
import TrellisJSON
import TrellisTesting

/// The OpenAPI 3.1 fixture's generated client (`"client": true` in its trellis.json) against
/// the runtime serving the same document: every parameter style written by the client and
/// read back by the server, each output case read, the errors, retries and credentials.
@Suite struct StylesClientTests {
    /// The fixture's application, with its credentials checked (the tests that are not about
    /// them pass them with ``CredentialsMiddleware``).
    private var application: TrellisApplication {
        get throws {
            var configuration = TrellisConfiguration()
            configuration.threads = 1
            return try TrellisApplication(configuration: configuration, services: StylesImplementation())
        }
    }

    private static let credentials = CredentialsMiddleware(
        schemes: Styles.serviceDescription.securitySchemes, credentials: ["apiKey": .apiKey("fixture-key"), "bearer": .bearer("fixture-token")])

    private func withClient(
        over transport: ClientTransportKind, middlewares: [any ClientMiddleware] = [credentials], _ body: (StylesClient) async throws -> Void
    ) async throws {
        let application = try application
        switch transport {
        case .inProcess:
            try await body(try StylesClient(baseURL: "http://localhost", transport: InProcessTransport(application), middlewares: middlewares))
        case .urlSession, .asyncHTTPClient:
            try await TrellisTestClient.withLiveServer(application) { live in
                let port = try #require(live.port)
                let over: any ClientTransport = transport == .urlSession ? URLSessionTransport() : AsyncHTTPClientTransport()
                try await body(try StylesClient(baseURL: "http://127.0.0.1:\(port)", transport: over, middlewares: middlewares))
            }
        }
    }

    /// Every style the runtime reads, written by the client: the server echoes what it read.
    @Test(arguments: ClientTransportKind.allCases) func everyStyleRoundTrips(over transport: ClientTransportKind) async throws {
        try await withClient(over: transport) { client in
            let output = try await client.echoStyles(
                simple: [1, 2], label: [3, 4], matrix: ["a", "b"], point: Point(x: 5, y: 6), form: [1, 2], csv: [3, 4], space: ["a", "b"],
                pipe: [true, false], filter: Filter(color: .red, size: 3), corner: Point(x: 7, y: 8), limit: 5, xIds: [9, 10],
                xPoint: Point(x: 1, y: 2), session: "abcd")
            guard case .ok(let echo) = output else {
                Issue.record("\(output)")
                return
            }
            #expect(
                echo.text == "simple=[1, 2] label=[3, 4] matrix=[\"a\", \"b\"] point=(5,6) form=[1, 2] csv=[3, 4] space=[\"a\", \"b\"] pipe=[true, false]"
                    + " filter=red,3 corner=(7,8) limit=5 ids=[9, 10] xpoint=(1,2) session=abcd")
            // Optional parameters left out, the default applied by the server.
            let plain = try await client.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: -1))
            guard case .ok(let defaults) = plain else {
                Issue.record("\(plain)")
                return
            }
            #expect(defaults.text.contains("simple=[1] label=[2] matrix=[\"c\"] point=(0,-1) form=[] csv=[] space=[] pipe=[] filter=- corner=- limit=10"))
        }
    }

    /// Values with the characters the styles and URLs use for themselves arrive intact.
    @Test(arguments: ClientTransportKind.allCases) func reservedCharactersAreEscaped(over transport: ClientTransportKind) async throws {
        try await withClient(over: transport) { client in
            let output = try await client.echoStyles(
                simple: [1], label: [2], matrix: ["a/b?c#d", "é=ü;x"], point: Point(x: 1, y: 2), space: ["a+b&c=d%20"])
            guard case .ok(let echo) = output else {
                Issue.record("\(output)")
                return
            }
            #expect(echo.text.contains(#"matrix=["a/b?c#d", "é=ü;x"]"#), "\(echo.text)")
            #expect(echo.text.contains(#"space=["a+b&c=d%20"]"#), "\(echo.text)")
        }
    }

    /// A status range's case carries the status; a body the operation declares for it is read.
    @Test(arguments: ClientTransportKind.allCases) func everyOutputCaseIsRead(over transport: ClientTransportKind) async throws {
        try await withClient(over: transport) { client in
            let created = try await client.createItem(body: Item(name: "lamp", tags: ["desk"], price: 12.5))
            guard case .created(let item, let headers) = created else {
                Issue.record("\(created)")
                return
            }
            #expect(item.name == "lamp" && item.tags == ["desk"] && item.price == 12.5)
            #expect(headers.location == "/items/1")
            let taken = try await client.createItem(Styles.CreateItem.Input(body: Item(name: "taken", tags: [])))
            guard case .clientError(let status, let problem) = taken else {
                Issue.record("\(taken)")
                return
            }
            #expect(status == 409 && problem.detail == "an item of that name exists")
            // The runtime's own 422 falls in the 4XX range, but its body (FastAPI's `detail`
            // list) is not the document's `Problem`: a typed error with the status and the body.
            // (Sent as it is: the client's own validation would not let it go.)
            var unchecked = client.client
            unchecked.validation = .none
            do {
                _ = try await StylesClient(unchecked).createItem(body: Item(name: "", tags: ["Not a tag"]))
                Issue.record("no error")
            } catch let error as TrellisClientError {
                guard case .malformedBody(422, _, let body) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(String(decoding: body, as: UTF8.self).contains("string_too_short"))
            }
        }
    }

    /// Without credentials the server answers 401, which `echoStyles` does not declare: a typed
    /// error with the status and the raw body. The credentials middleware sends the key or
    /// the token each operation requires.
    @Test(arguments: ClientTransportKind.allCases) func undeclaredStatusesAndCredentials(over transport: ClientTransportKind) async throws {
        try await withClient(over: transport, middlewares: []) { client in
            do {
                _ = try await client.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0))
                Issue.record("no error")
            } catch let error as TrellisClientError {
                guard case .undeclaredStatus(let status, let contentType, let body) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(status == 401 && contentType == "application/json")
                #expect(String(decoding: body, as: UTF8.self).contains("detail"))
                #expect(error.status == 401 && error.body == body)
            }
        }
        try await withClient(over: transport) { client in
            guard case .ok = try await client.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0)) else {
                Issue.record("the key was not sent")
                return
            }
            guard case .created = try await client.createItem(body: Item(name: "lamp", tags: [])) else {
                Issue.record("the token was not sent")
                return
            }
        }
    }

    /// An answer that says JSON and is not, or is of another media type than declared, is a
    /// typed error carrying the status and the raw body.
    @Test func malformedAndUnexpectedBodiesAreTypedErrors() async throws {
        let garbage = try StylesClient(baseURL: "http://localhost", transport: FixedAnswer(status: .ok, contentType: "application/json", body: #"{"text": "#))
        await #expect(throws: TrellisClientError.self) { try await garbage.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0)) }
        do {
            _ = try await garbage.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0))
        } catch let error as TrellisClientError {
            guard case .malformedBody(let status, _, let body) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(status == 200 && body == Array(#"{"text": "#.utf8))
        }
        let wrongType = try StylesClient(baseURL: "http://localhost", transport: FixedAnswer(status: .ok, contentType: "text/html", body: "<p>hi</p>"))
        do {
            _ = try await wrongType.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0))
            Issue.record("no error")
        } catch let error as TrellisClientError {
            guard case .unexpectedContentType(200, "text/html", "application/json", _) = error else {
                Issue.record("\(error)")
                return
            }
        }
        let wrongShape = try StylesClient(
            baseURL: "http://localhost", transport: FixedAnswer(status: .ok, contentType: "application/json", body: #"{"text": 5}"#))
        await #expect(throws: TrellisClientError.self) { try await wrongShape.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0)) }
    }

    /// Retries: an idempotent request whose transport fails twice succeeds on the third try; a
    /// POST is sent once; a 503's `Retry-After` is honoured.
    @Test func retriesIdempotentRequestsOnly() async throws {
        let flaky = FlakyTransport(failures: 2, then: try InProcessTransport(application))
        let retry = RetryMiddleware(maximumAttempts: 3, baseDelay: .milliseconds(1))
        let client = try StylesClient(baseURL: "http://localhost", transport: flaky, middlewares: [retry, Self.credentials])
        guard case .ok = try await client.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0)) else {
            Issue.record("no echo")
            return
        }
        #expect(flaky.attempts == 3)
        let failingPost = FlakyTransport(failures: 1, then: try InProcessTransport(application))
        let posting = try StylesClient(baseURL: "http://localhost", transport: failingPost, middlewares: [retry, Self.credentials])
        await #expect(throws: FlakyTransport.Failure.self) { try await posting.createItem(body: Item(name: "lamp", tags: [])) }
        #expect(failingPost.attempts == 1)
        let busy = FlakyTransport(failures: 0, busyAnswers: 1, then: try InProcessTransport(application))
        let patient = try StylesClient(baseURL: "http://localhost", transport: busy, middlewares: [retry, Self.credentials])
        guard case .ok = try await patient.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0)) else {
            Issue.record("no echo")
            return
        }
        #expect(busy.attempts == 2)
        let tooFew = FlakyTransport(failures: 5, then: try InProcessTransport(application))
        let giving = try StylesClient(baseURL: "http://localhost", transport: tooFew, middlewares: [retry])
        await #expect(throws: FlakyTransport.Failure.self) { try await giving.echoStyles(simple: [1], label: [2], matrix: ["c"], point: Point(x: 0, y: 0)) }
        #expect(tooFew.attempts == 3)
    }

    /// A base URL that is not an absolute http(s) URL is refused; one with a path prefixes
    /// every operation's path.
    @Test func baseURLs() async throws {
        for bad in ["localhost:8080", "ftp://host", "http://", "http://user@host", "http://host/?q"] {
            #expect(throws: TrellisClientError.self, "\(bad)") {
                try StylesClient(baseURL: bad, transport: FixedAnswer(status: .ok, contentType: nil, body: ""))
            }
        }
        let recorder = FixedAnswer(status: .ok, contentType: "application/json", body: #"{"text": "x"}"#)
        let client = try StylesClient(baseURL: "https://api.example.com/v1/", transport: recorder, middlewares: [Self.credentials])
        _ = try await client.echoStyles(simple: [1, 2], label: [3], matrix: ["m"], point: Point(x: 1, y: 2), csv: [3, 4], xIds: [5], session: "abc")
        let request = try #require(recorder.lastRequest)
        #expect(request.scheme == "https" && request.authority == "api.example.com")
        // `limit` has a declared default (10), which the client writes.
        #expect(request.path == "/v1/styles/1,2/.3/;matrix=m/;x=1;y=2?csv=3%2C4&limit=10")
        #expect(request.headerFields[HTTPField.Name("X-Ids")!] == "5" && request.headerFields[.cookie] == "session=abc")
        #expect(request.headerFields[HTTPField.Name("X-API-Key")!] == "fixture-key")
    }
}

/// Answers every request with the same answer, and keeps the last request.
final class FixedAnswer: ClientTransport, @unchecked Sendable {
    let answer: ClientResponse
    private let lock = NSLock()
    private var last: HTTPRequest?

    init(status: HTTPResponse.Status, contentType: String?, body: String) {
        var fields = HTTPFields()
        if let contentType { fields[.contentType] = contentType }
        answer = ClientResponse(status: status, headerFields: fields, body: Array(body.utf8))
    }

    var lastRequest: HTTPRequest? { lock.withLock { last } }

    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        lock.withLock { last = request }
        return answer
    }
}

/// Fails its first `failures` requests in the transport, answers the next `busyAnswers` with
/// 503 and `Retry-After: 0`, then sends through `then`.
final class FlakyTransport: ClientTransport, @unchecked Sendable {
    struct Failure: Error {}
    let failures: Int
    let busyAnswers: Int
    let then: any ClientTransport
    private let lock = NSLock()
    private var count = 0

    init(failures: Int, busyAnswers: Int = 0, then: any ClientTransport) {
        self.failures = failures
        self.busyAnswers = busyAnswers
        self.then = then
    }

    var attempts: Int { lock.withLock { count } }

    func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        let attempt = lock.withLock {
            count += 1
            return count
        }
        if attempt <= failures { throw Failure() }
        if attempt <= failures + busyAnswers { return ClientResponse(status: .serviceUnavailable, headerFields: [.retryAfter: "0"]) }
        return try await then.send(request, body: body)
    }
}

/// The transports a generated client is tested over: in process, and over a socket with
/// URLSession and with AsyncHTTPClient.
enum ClientTransportKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inProcess, urlSession, asyncHTTPClient
    var testDescription: String { rawValue }
}
