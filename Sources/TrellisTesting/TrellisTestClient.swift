internal import Foundation
public import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import NIOEmbedded
internal import NIOHTTP1
internal import NIOHTTPTypes
internal import NIOHTTPTypesHTTP1
internal import NIOPosix
public import Trellis
internal import TrellisClient
public import TrellisJSON

/// Sends requests to a ``TrellisApplication`` in process — no socket, the same responder
/// the server runs — for XCTest and Swift Testing.
///
/// ```swift
/// let client = TrellisTestClient(app)
/// let response = try await client.post("/pets", json: ["name": "Rex", "age": 3, "status": "sold"])
/// #expect(response.status == .created)
/// let pet = try response.decode(Pet.self)
/// ```
///
/// The same tests can run over a real socket: ``withLiveServer(_:_:)`` serves the application
/// on a free port of 127.0.0.1 and hands you a client that sends real HTTP/1.1.
public struct TrellisTestClient: Sendable {
    let responder: TrellisResponder
    let logger: Logger
    /// The port of the live server requests go to (``withLiveServer(_:_:)``), for clients
    /// of your own (a WebSocket client, say); nil in process.
    public let port: Int?

    /// A client of `application`, in process.
    public init(_ application: TrellisApplication) {
        self.init(responder: application.responder.composed(), port: nil)
    }

    private init(responder: TrellisResponder, port: Int?) {
        self.responder = responder
        var logger = Logger(label: "trellis.test")
        logger.logLevel = .warning
        self.logger = logger
        self.port = port
    }

    /// Serves `application` on a free port of 127.0.0.1 (one event-loop thread) while `body`
    /// runs, with a client that sends each request over a new TCP connection; then stops it.
    public static func withLiveServer<Result: Sendable>(
        _ application: TrellisApplication, _ body: (TrellisTestClient) async throws -> Result
    ) async throws -> Result {
        var configuration = application.configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        var live = application
        live.configuration = configuration
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [live] in try await live.serve(onServerRunning: { continuation.yield($0) }) }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body(TrellisTestClient(responder: application.responder, port: port))
        }
    }

    /// Sends a request and collects the whole response.
    public func execute(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil) async throws -> TestResponse {
        var headers = headers
        if let body { headers[.contentLength] = String(body.count) }
        if let port { return try await Self.send(method, path, headers: headers, body: body, port: port) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: body ?? [])))
        var logger = self.logger
        logger[metadataKey: "hb.request.id"] = .string(String(UInt64.random(in: 0...UInt64.max), radix: 16))
        var context = TrellisRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
        context.channel = nil
        let response = try await responder.respond(to: request, context: context)
        let collected = Collected()
        try await response.body.write(CollectingWriter(collected: collected))
        return TestResponse(status: response.status, headers: response.headers, body: collected.bytes)
    }

    /// `GET path`.
    public func get(_ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(.get, path, headers: headers)
    }

    // Headers by name, for the ones HTTPTypes has no constant for:
    // `client.get("/orders", headers: ["X-API-Key": "key-ann"])`.

    /// Sends a request with headers named by strings (a name that is not a valid header name
    /// throws), and collects the whole response.
    @_disfavoredOverload  // `headers: [:]` stays the HTTPFields form
    public func execute(_ method: HTTPRequest.Method, _ path: String, headers: KeyValuePairs<String, String>, body: [UInt8]? = nil) async throws -> TestResponse
    {
        try await execute(method, path, headers: try Self.fields(headers), body: body)
    }

    /// `GET path`, with headers named by strings.
    @_disfavoredOverload  // `headers: [:]` stays the HTTPFields form
    public func get(_ path: String, headers: KeyValuePairs<String, String>) async throws -> TestResponse {
        try await execute(.get, path, headers: try Self.fields(headers))
    }

    /// `POST path` with a JSON body, with headers named by strings.
    @_disfavoredOverload  // `headers: [:]` stays the HTTPFields form
    public func post(_ path: String, json: JSON, headers: KeyValuePairs<String, String>) async throws -> TestResponse {
        try await post(path, json: json, headers: try Self.fields(headers))
    }

    /// `headers` as fields, in order.
    static func fields(_ headers: KeyValuePairs<String, String>) throws -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name) else { throw TestClientError("\"\(name)\" is not a valid header name") }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    /// `POST path` with a JSON body.
    public func post(_ path: String, json: JSON, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return try await execute(.post, path, headers: headers, body: Array(json.compactText.utf8))
    }

    /// `POST path` with an `application/x-www-form-urlencoded` body of `form`'s fields, in order
    /// (a name may repeat).
    public func post(_ path: String, form: KeyValuePairs<String, String>, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/x-www-form-urlencoded"
        let body = form.map { Self.formEncoded($0.key) + "=" + Self.formEncoded($0.value) }.joined(separator: "&")
        return try await execute(.post, path, headers: headers, body: Array(body.utf8))
    }

    /// `POST path` with a `multipart/form-data` body of `parts`, in order.
    public func post(_ path: String, multipart parts: [FormPart], headers: HTTPFields = [:]) async throws -> TestResponse {
        let boundary = "trellis-test-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "multipart/form-data; boundary=\(boundary)"
        return try await execute(.post, path, headers: headers, body: FormPart.body(parts, boundary: boundary))
    }

    /// `text` as a form field writes it: unreserved bytes as they are, a space as `+`, others `%XX`.
    static func formEncoded(_ text: String) -> String { FormBodyWriter.formEncoded(text) }

    /// One request over a new connection to `port`.
    private static func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: [UInt8]?, port: Int) async throws -> TestResponse {
        // Half-closure allowed: a server that answers before reading the whole body (a 413) shuts
        // its output and reads on; the client finishes writing, then reads the answer.
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPClientCodec())
                    return try NIOAsyncChannel<HTTPResponsePart, HTTPRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(HTTPRequest(method: method, scheme: nil, authority: "127.0.0.1:\(port)", path: path, headerFields: headers)))
            if let body, !body.isEmpty { try await outbound.write(.body(ByteBuffer(bytes: body))) }
            try await outbound.write(.end(nil))
            var head: HTTPResponse?
            var bytes: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let response) where response.status.kind != .informational: head = response
                case .head: continue
                case .body(let buffer): bytes += buffer.readableBytesView
                case .end:
                    guard let head else { throw TestClientError("the server ended a response without a head") }
                    return TestResponse(status: head.status, headers: head.headerFields, body: bytes)
                }
            }
            throw TestClientError("the server closed the connection before answering")
        }
    }

    /// The bytes a response writes (written by one task, read after it finished).
    private final class Collected {
        var bytes: [UInt8] = []
    }

    private struct CollectingWriter: ResponseBodyWriter {
        let collected: Collected
        mutating func write(_ buffer: ByteBuffer) async throws { collected.bytes += buffer.readableBytesView }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// A response collected by ``TrellisTestClient``.
public struct TestResponse: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The headers, as the server wrote them.
    public var headers: HTTPFields
    /// The body's bytes.
    public var body: [UInt8]

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON.
    public func json() throws -> JSON { try JSON(parsing: body, options: JSONParseOptions(maxDepth: 2047)) }

    /// The body decoded as `T` (with `JSONDecoder`).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: Data(body)) }
}

/// A live server that did not answer as HTTP requires.
struct TestClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A part of a `multipart/form-data` body a test sends (``TrellisTestClient/post(_:multipart:headers:)``).
public struct FormPart: Sendable {
    /// The field's name.
    public var name: String
    /// The file's name; nil for a field that is not a file.
    public var filename: String?
    /// The part's `Content-Type`; nil: none (a field's text).
    public var contentType: String?
    /// The contents.
    public var bytes: [UInt8]
    /// Other header fields of the part.
    public var headers: [(name: String, value: String)]

    /// A part with these headers and contents.
    public init(name: String, filename: String? = nil, contentType: String? = nil, headers: [(name: String, value: String)] = [], bytes: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
        self.bytes = bytes
    }

    /// A text field.
    public static func field(_ name: String, _ value: String) -> FormPart { FormPart(name: name, bytes: Array(value.utf8)) }

    /// A file.
    public static func file(_ name: String, filename: String, contentType: String, bytes: [UInt8]) -> FormPart {
        FormPart(name: name, filename: filename, contentType: contentType, bytes: bytes)
    }

    /// The body of `parts` between delimiters of `boundary`.
    public static func body(_ parts: [FormPart], boundary: String) -> [UInt8] {
        var body: [UInt8] = []
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"" }
            head += "\r\n"
            if let contentType = part.contentType { head += "Content-Type: \(contentType)\r\n" }
            for (name, value) in part.headers { head += "\(name): \(value)\r\n" }
            body += Array((head + "\r\n").utf8) + part.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }
}
