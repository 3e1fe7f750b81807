import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisTesting

@testable import Petstore
@testable import Shelter

/// Slow and silent clients cannot hold connections: every bound of ``TrellisConfiguration``
/// over a real socket, on both kinds of connection — plain HTTP (the bench service) and those
/// that may upgrade to a WebSocket (the shelter), which Hummingbird watches only once their
/// first request has come (hostile-clients issue, class 1).
@Suite struct ConnectionLimitTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case http, upgradable
        var testDescription: String { rawValue }
    }

    func withPort(_ kind: Kind, _ configure: (inout TrellisConfiguration) -> Void, _ body: (Int) async throws -> Void) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configure(&configuration)
        guard kind == .upgradable else {
            let application = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
            return try await TrellisTestClient.withLiveServer(application) { client in try await body(try #require(client.port)) }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limits-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try await SQLiteStore(path: folder.appendingPathComponent("shelter.sqlite").path, size: 2)
        var application = try TrellisApplication(configuration: configuration, services: PetstoreImplementation(), ShelterImplementation())
        application.overrideDependency(ShelterDatabase.self, value: pool)
        try await TrellisTestClient.withLiveServer(application) { client in try await body(try #require(client.port)) }
        try await pool.close()
    }

    /// A connection that sends nothing is closed after the idle timeout, without a word.
    @Test(arguments: Kind.allCases) func aSilentConnectionIsClosed(_ kind: Kind) async throws {
        try await withPort(kind, { $0.idleTimeout = .milliseconds(300) }) { port in
            let connection = try RawConnection(port: port)
            let start = ContinuousClock.now
            let (text, closed) = try await connection.readToEnd()
            #expect(closed && text.isEmpty)
            #expect(ContinuousClock.now - start >= .milliseconds(250) && ContinuousClock.now - start < .seconds(8))
        }
    }

    /// A head dripped a byte at a time is cut off at the head timeout with a 408, though
    /// bytes keep coming (each would reset an idle timer).
    @Test(arguments: Kind.allCases) func aDrippedHeadIsCutOff(_ kind: Kind) async throws {
        try await withPort(kind, { $0.requestHeadTimeout = .seconds(1) }) { port in
            let connection = try RawConnection(port: port)
            let start = ContinuousClock.now
            var sent = 0
            for byte in Array("GET /pets/7 HTTP/1.1\r\nHost: localhost\r\nX-Padding: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 200) {
                guard connection.send([byte]) else { break }
                sent += 1
                try await Task.sleep(for: .milliseconds(20))
                if ContinuousClock.now - start > .seconds(10) { break }
            }
            let (text, closed) = try await connection.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(text)")
            #expect(text.contains("Connection: close"))
            // (Generous: the full test run loads both cores.)
            #expect(closed && ContinuousClock.now - start < .seconds(8), "\(sent) bytes sent")
        }
    }

    /// A body that arrives slower than the minimum rate, once the grace period has passed,
    /// is cut off with a 408; a body at a fair pace is not.
    @Test(arguments: Kind.allCases) func aSlowBodyIsCutOff(_ kind: Kind) async throws {
        try await withPort(
            kind,
            {
                $0.minimumBodyRate = 1000
                $0.bodyGracePeriod = .seconds(2)
            }
        ) { port in
            let body = Array(#"{"name":"Rex","age":3,"status":"available"}"#.utf8)
            let head = "POST /pets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
            let slow = try RawConnection(port: port)
            slow.send(head)
            let start = ContinuousClock.now
            for byte in body {
                guard slow.send([byte]) else { break }
                try await Task.sleep(for: .milliseconds(100))  // 10 bytes a second
                if ContinuousClock.now - start > .seconds(10) { break }
            }
            let (text, closed) = try await slow.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(text)")
            #expect(closed && ContinuousClock.now - start < .seconds(8))

            // The same body in three parts, 100 ms apart: within the grace period, answered.
            let fair = try RawConnection(port: port)
            fair.send(head)
            for part in [body[..<10], body[10..<20], body[20...]] {
                try await Task.sleep(for: .milliseconds(100))
                fair.send(Array(part))
            }
            #expect(try await fair.read(until: "}").hasPrefix("HTTP/1.1 201 Created\r\n"))
        }
    }

    /// A client that asks for a large answer and does not read it is closed after the write
    /// timeout (its buffers full); the server goes on serving others.
    @Test func aClientThatDoesNotReadIsClosed() async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.writeTimeout = .milliseconds(500)
        let application = try TrellisApplication(configuration: configuration, services: MisbehavingService())
        try await TrellisTestClient.withLiveServer(application) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port, receiveBuffer: 4096)
            connection.send("GET /flood HTTP/1.1\r\nHost: localhost\r\n\r\n")
            // Read nothing for a while: the server fills the buffers, then gives up.
            try await Task.sleep(for: .seconds(3))
            let (text, closed) = try await connection.readToEnd()
            #expect(closed, "the connection stayed open")
            #expect(text.utf8.count < 512 << 20, "the whole gigabyte was sent")
            #expect(try await client.get("/refuse").status == .forbidden)
        }
    }

    /// Beyond ``TrellisConfiguration/maxConnections`` the server stops accepting: a further
    /// connection waits in the backlog, unanswered, and is served once another closes.
    @Test(arguments: Kind.allCases) func connectionsBeyondTheMaximumWait(_ kind: Kind) async throws {
        try await withPort(kind, { $0.maxConnections = 3 }) { port in
            var held = try (0..<3).map { _ in try RawConnection(port: port) }
            for connection in held {
                connection.send("GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await connection.read(until: "Hello").hasPrefix("HTTP/1.1 200 OK"))
            }
            let waiting = try RawConnection(port: port, timeout: .milliseconds(500))
            waiting.send("GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try await waiting.read(until: "Hello").isEmpty)
            held.removeFirst()  // closes one
            let answer = try await waiting.read(until: "Hello", within: .seconds(5))
            #expect(answer.hasPrefix("HTTP/1.1 200 OK"), "\(answer)")
        }
    }
}
