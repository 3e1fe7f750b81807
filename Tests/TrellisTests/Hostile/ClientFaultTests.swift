import Testing
import Trellis
import TrellisTesting

@testable import Petstore

/// A client's fault is answered as one (400, 413; the connection closed when it cannot go
/// on), never as a server fault (500): over a real socket, with bytes an HTTP client would not
/// send (hostile-clients issue, classes 2 and 6).
@Suite struct ClientFaultTests {
    func withPort(_ configure: (inout TrellisConfiguration) -> Void = { _ in }, _ body: (Int) async throws -> Void) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configure(&configuration)
        let application = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
        try await TrellisTestClient.withLiveServer(application) { client in try await body(try #require(client.port)) }
    }

    static let post = "POST /pets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"

    /// Bodies cut short or framed wrongly: 400 and the connection closed.
    @Test(arguments: [
        ("shorter than its Content-Length, then a half-close", post + "Content-Length: 100\r\n\r\n{\"name\":", true),
        ("chunked, cut off, then a half-close", post + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"nam", true),
        ("a chunk size that is not hexadecimal", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"nam\r\n0\r\n\r\n", false),
        ("a chunk size that overflows", post + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\n{\"nam\r\n0\r\n\r\n", false),
    ])
    func aMalformedBodyIsA400(_ what: String, _ request: String, _ halfCloses: Bool) async throws {
        try await withPort { port in
            let connection = try RawConnection(port: port)
            connection.send(request)
            if halfCloses { connection.halfClose() }
            let (text, closed) = try await connection.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(what): \(text)")
            #expect(text.contains("the request body is malformed"), "\(what)")
            #expect(closed, "\(what)")
        }
    }

    /// `CONNECT` (this is not a proxy) and a target that is not a path: 400, then closed (NIO
    /// drops the body of an answer to CONNECT: the close ends it).
    @Test func aTargetThatIsNotAPathIsA400() async throws {
        try await withPort { port in
            for request in ["CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n"] {
                let connection = try RawConnection(port: port)
                connection.send(request)
                let (text, closed) = try await connection.readToEnd()
                #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(request): \(text)")
                #expect(closed)
            }
        }
    }

    /// `Expect: 100-continue`: a body over the limit is refused at once (413, closed) without
    /// the client sending it; a body within it gets `100 Continue` first, then its answer.
    @Test func expectContinueIsAnswered() async throws {
        try await withPort { port in
            let refused = try RawConnection(port: port)
            refused.send(Self.post + "Expect: 100-continue\r\nContent-Length: 99999999\r\n\r\n")
            let (text, closed) = try await refused.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 413 "), "\(text)")
            #expect(!text.contains("100 Continue") && closed)

            let body = #"{"name":"Rex","age":3,"status":"available"}"#
            let accepted = try RawConnection(port: port)
            accepted.send(Self.post + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            #expect(try await accepted.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
            accepted.send(body)
            #expect(try await accepted.read(until: "}").hasPrefix("HTTP/1.1 201 Created\r\n"))
        }
    }

    /// A 413 closes the connection: the server does not take in the length the client
    /// declared (the client here sends none of it and keeps the connection open).
    @Test func a413ClosesTheConnection() async throws {
        try await withPort({ $0.maxBodySize = 1024 }) { port in
            let connection = try RawConnection(port: port)
            connection.send(Self.post + "Content-Length: 5000000\r\n\r\n" + String(repeating: "x", count: 2000))
            let start = ContinuousClock.now
            let (text, closed) = try await connection.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 413 "), "\(text)")
            #expect(text.contains("Connection: close"))
            #expect(closed && ContinuousClock.now - start < .seconds(2))
        }
    }
}
