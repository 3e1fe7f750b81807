internal import Foundation
public import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import NIOEmbedded
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
public struct TrellisTestClient: Sendable {
    let responder: TrellisResponder
    let logger: Logger

    /// A client of `application`.
    public init(_ application: TrellisApplication) {
        self.responder = application.responder
        var logger = Logger(label: "trellis.test")
        logger.logLevel = .warning
        self.logger = logger
    }

    /// Sends a request and collects the whole response.
    public func execute(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil) async throws -> TestResponse {
        var headers = headers
        if let body { headers[.contentLength] = String(body.count) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: body ?? [])))
        var logger = self.logger
        logger[metadataKey: "hb.request.id"] = .string(String(UInt64.random(in: 0...UInt64.max), radix: 16))
        let context = TrellisRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
        let response = try await responder.respond(to: request, context: context)
        let collected = Collected()
        try await response.body.write(CollectingWriter(collected: collected))
        return TestResponse(status: response.status, headers: response.headers, body: collected.bytes)
    }

    /// `GET path`.
    public func get(_ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(.get, path, headers: headers)
    }

    /// `POST path` with a JSON body.
    public func post(_ path: String, json: JSON, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return try await execute(.post, path, headers: headers, body: Array(json.compactText.utf8))
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
    public var status: HTTPResponse.Status
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
