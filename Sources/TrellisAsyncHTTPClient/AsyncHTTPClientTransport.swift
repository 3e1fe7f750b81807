public import AsyncHTTPClient
public import HTTPTypes
internal import NIOCore
internal import NIOHTTP1
public import TrellisClient
internal import TrellisCore

/// A transport over AsyncHTTPClient, the HTTP client of Swift on the server: pooled
/// connections, HTTP/1.1 and HTTP/2, TLS, and answers streamed as they arrive (a streamed
/// operation's events are read one by one).
///
/// ```swift
/// let client = try PetstoreClient(baseURL: "http://127.0.0.1:8080", transport: AsyncHTTPClientTransport())
/// ```
public struct AsyncHTTPClientTransport: ClientTransport {
    /// The client requests go through.
    public let client: HTTPClient
    /// How long a request may take in all (the answer's head and, for a collected body, the
    /// body).
    public var timeout: Duration
    /// The most bytes of a body that is read whole; a longer one is an error.
    public var maxBodyBytes: Int

    /// A transport over `client` (by default AsyncHTTPClient's shared one).
    public init(client: HTTPClient = .shared, timeout: Duration = .seconds(60), maxBodyBytes: Int = 64 << 20) {
        self.client = client
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// ``timeout`` as SwiftNIO counts time.
    private var timeAmount: TimeAmount {
        let (seconds, attoseconds) = timeout.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Sends `request` and collects the answer's whole body.
    public func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        let response = try await client.execute(try Self.request(request, body: body), timeout: timeAmount)
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw TrellisClientError.malformedBody(status: Int(response.status.code), reason: "the body is longer than \(maxBodyBytes) bytes", body: [])
        }
        return ClientResponse(status: Self.status(response), headerFields: Self.fields(response.headers), body: Array(bytes.readableBytesView))
    }

    /// Sends `request` and returns at the answer's head, the body streamed as it arrives.
    public func stream(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        // No deadline: the stream runs as long as the server sends (a ClientTimeoutMiddleware
        // bounds the wait for the head).
        let response = try await client.execute(try Self.request(request, body: body), deadline: .distantFuture)
        let chunks = ResponseStream(ByteChunks(body: response.body))
        return ClientResponse(status: Self.status(response), headerFields: Self.fields(response.headers), stream: chunks)
    }

    /// The request as AsyncHTTPClient takes it.
    static func request(_ request: HTTPRequest, body: [UInt8]?) throws -> HTTPClientRequest {
        let url = (request.scheme ?? "http") + "://" + (request.authority ?? "localhost") + (request.path ?? "/")
        var converted = HTTPClientRequest(url: url)
        converted.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields where field.name != .contentLength {
            converted.headers.add(name: field.name.rawName, value: field.value)
        }
        if let body { converted.body = .bytes(ByteBuffer(bytes: body)) }
        return converted
    }

    static func status(_ response: HTTPClientResponse) -> HTTPResponse.Status {
        HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase)
    }

    static func fields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let name = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: name, value: value))
        }
        return fields
    }
}

/// A body's `ByteBuffer`s as byte arrays.
struct ByteChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let body: HTTPClientResponse.Body

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffers: HTTPClientResponse.Body.AsyncIterator
        mutating func next() async throws -> [UInt8]? { try await buffers.next().map { Array($0.readableBytesView) } }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffers: body.makeAsyncIterator()) }
}
