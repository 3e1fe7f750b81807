import Foundation
import HTTPTypes
import SQLiteNIO
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Shelter

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal WebSocket client over a blocking socket (RFC 6455: the handshake, masked text
/// frames out, unmasked frames in), enough to talk to a server in a test.
final class RawWebSocket: @unchecked Sendable {
    private let socket: Int32

    /// The answer to an upgrade request (its head and body) with `lines` as its header lines,
    /// over a connection of its own.
    static func handshake(port: Int, path: String, _ lines: [String]) throws -> String {
        let socket = try RawWebSocket(port: port)
        try socket.write(Array(("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8))
        var answer: [UInt8] = []
        while let bytes = try? socket.read(1), !bytes.isEmpty { answer += bytes }
        return String(decoding: answer, as: UTF8.self)
    }

    private init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError("connect failed") }
    }

    convenience init(port: Int, path: String, headers: [String] = []) throws {
        try self.init(port: port)
        try write(
            Array(
                ("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n").utf8))
        var head: [UInt8] = []
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) { head += try read(1) }
        let status = String(decoding: head, as: UTF8.self)
        guard status.hasPrefix("HTTP/1.1 101") else { throw SocketError("no upgrade: \(status)") }
    }

    deinit { close(socket) }

    func sendText(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    func sendBinary(_ bytes: [UInt8]) throws {
        let mask: [UInt8] = [1, 2, 3, 4]
        try write([0x82, 0x80 | UInt8(bytes.count)] + mask + bytes.enumerated().map { $0.element ^ mask[$0.offset % 4] })
    }

    /// The next text message.
    func receiveText() throws -> String {
        let header = try read(2)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let extended = try read(2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            throw SocketError("a message too long for this client")
        }
        guard header[0] & 0x0F == 1 else { throw SocketError("not a text frame: opcode \(header[0] & 0x0F)") }
        return String(decoding: try read(length), as: UTF8.self)
    }

    /// Bytes as they are (a frame this client would not send).
    func sendRaw(_ bytes: [UInt8]) throws { try write(bytes) }

    /// The next frame's opcode and payload (a close frame's payload starts with its code).
    func receiveFrame() throws -> (opcode: UInt8, payload: [UInt8]) {
        let header = try read(2)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let extended = try read(2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        }
        return (header[0] & 0x0F, try read(length))
    }

    private func write(_ bytes: [UInt8]) throws {
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw SocketError("send failed") }
    }

    private func read(_ count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            var buffer = [UInt8](repeating: 0, count: count - result.count)
            let received = recv(socket, &buffer, buffer.count, 0)
            guard received > 0 else { throw SocketError("the connection closed") }
            result += buffer[..<received]
        }
        return result
    }

    struct SocketError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// The shelter's adoption desk: typed messages both ways, invalid ones refused.
@Suite struct WebSocketTests {
    /// Where connections may upgrade, Hummingbird adds the HTTP handlers only after the first
    /// request: an oversized first head is answered 431 all the same, as is a later one.
    @Test func oversizedHeadsAre431WhereConnectionsMayUpgrade() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ws-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.maxHeaderSize = 4096
        var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
        let pool = try await SQLiteStore(path: folder.appendingPathComponent("shelter.sqlite").path, size: 1)
        app.overrideDependency(ShelterDatabase.self, value: pool)
        try await TrellisTestClient.withLiveServer(app) { client in
            let port = try #require(client.port)
            let fine = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
            let big = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "x", count: 5000))\r\n\r\n"
            let body = #"{"detail":"Request header fields larger than 4096 bytes or more than 100"}"#
            let first = try await ServerLifeTests().exchange(port, Array(big.utf8))
            #expect(first.text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(first.text.hasSuffix(body))
            #expect(first.closed)
            let later = try await ServerLifeTests().exchange(port, Array((fine + big).utf8))
            #expect(later.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(later.text.contains("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(later.text.hasSuffix(body))
            #expect(later.closed)
            // Any other first head that cannot be parsed gets Hummingbird's empty 400, and the end.
            let garbage = try await ServerLifeTests().exchange(port, Array("GARBAGE\r\n\r\n".utf8))
            #expect(garbage.text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(garbage.closed)
            #expect(try await client.get("/healthz").status == .ok)
        }
        try await pool.close()
    }

    @Test func aRoundTripAndARefusedMessage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ws-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try await SQLiteStore(path: folder.appendingPathComponent("shelter.sqlite").path, size: 2)
        try await pool.withTransaction { records in
            _ = try await records.admit(name: "Tom", species: .cat, at: Date(timeIntervalSince1970: 0), by: "test")
            _ = try await records.admit(name: "Kit", species: .cat, at: Date(timeIntervalSince1970: 1), by: "test")
        }
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
        app.overrideDependency(ShelterDatabase.self, value: pool)
        // The desk requires a staff token: this test is about messages.
        app.overrideDependency(StaffMember.self, value: Staff(name: "Tester", scopes: []))
        // The WebSocket reads the pool from the application's dependencies: start it on this pool.
        try await TrellisTestClient.withLiveServer(app) { client in
            _ = client
            let port = try #require(client.port)
            let socket = try RawWebSocket(port: port, path: "/shelter/desk")
            let answer = try await runBlocking {
                try socket.sendText(#"{"species": "cat", "limit": 1}"#)
                return try socket.receiveText()
            }
            #expect(try JSON(parsing: answer) == ["species": "cat", "waiting": 2, "names": ["Kit"]])

            let refused = try await runBlocking {
                try socket.sendText(#"{"species": "dragon"}"#)
                return try socket.receiveText()
            }
            let error = try JSON(parsing: refused)
            #expect(error["type"] == "error")
            #expect(error["detail"]?.arrayValue?.first?["loc"] == ["message", "species"])

            let malformed = try await runBlocking {
                try socket.sendText("{not json")
                return try socket.receiveText()
            }
            #expect(try JSON(parsing: malformed)["detail"]?.arrayValue?.first?["type"] == "json_invalid")

            let binary = try await runBlocking {
                try socket.sendBinary([1, 2, 3])
                return try socket.receiveText()
            }
            #expect(try JSON(parsing: binary)["detail"] == "binary messages are not accepted: send JSON text")

            // The session goes on after refusals.
            let again = try await runBlocking {
                try socket.sendText(#"{"species": "dog"}"#)
                return try socket.receiveText()
            }
            #expect(try JSON(parsing: again) == ["species": "dog", "waiting": 0, "names": []])

            // A plain request to the route is told to upgrade; other methods are refused.
            let plain = try await client.get("/shelter/desk")
            #expect(plain.status.code == 426)
            #expect(plain.headers[.upgrade] == "websocket")
            #expect(try await client.execute(.post, "/shelter/desk").headers[.allow] == "GET")
        }
        try await pool.close()
    }

    /// Everything that refuses an upgrade does so before it, as an HTTP answer.
    @Test func refusalsBeforeTheUpgradeAndRFC6455sErrors() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ws-refusals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try await SQLiteStore(path: folder.appendingPathComponent("shelter.sqlite").path, size: 2)
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.webSocketOrigins = ["https://shelter.example"]
        configuration.maxBodySize = 1024
        var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
        app.overrideDependency(ShelterDatabase.self, value: pool)
        do {
            try await refusals(app)
        } catch {
            try await pool.close()
            throw error
        }
        try await pool.close()
    }

    private func refusals(_ app: TrellisApplication) async throws {
        try await TrellisTestClient.withLiveServer(app) { client in
            let port = try #require(client.port)
            // `close`: a refused upgrade is an ordinary exchange, and this client reads to the end.
            let upgrade = ["Upgrade: websocket", "Connection: Upgrade, close"]
            let key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
            let handshake = { (lines: [String]) in try await runBlocking { try RawWebSocket.handshake(port: port, path: "/shelter/desk", upgrade + lines) } }

            // RFC 6455 §4.2.1: another version is a 426 naming 13; a missing or malformed key a 400.
            let version = try await handshake([key, "Sec-WebSocket-Version: 8"])
            #expect(version.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
            #expect(version.contains("Sec-WebSocket-Version: 13\r\n"))
            #expect(try await handshake(["Sec-WebSocket-Version: 13"]).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(try await handshake(["Sec-WebSocket-Key: short", "Sec-WebSocket-Version: 13"]).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))

            // A foreign Origin is a 403, before security.
            let foreign = try await handshake([key, "Sec-WebSocket-Version: 13", "Origin: https://evil.example"])
            #expect(foreign.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
            #expect(foreign.contains(#"{"detail":"Origin https://evil.example may not open this WebSocket"}"#))

            // The desk requires a staff token: none is a 401 with its challenge, a forged one too.
            let anonymous = try await handshake([key, "Sec-WebSocket-Version: 13", "Origin: https://shelter.example"])
            #expect(anonymous.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
            #expect(anonymous.contains(#"WWW-Authenticate: Bearer realm="AnimalShelter""#))
            #expect(anonymous.hasSuffix(#"{"detail":"Not authenticated"}"#))
            let forged = try await handshake([key, "Sec-WebSocket-Version: 13", "Authorization: Bearer forged"])
            #expect(forged.contains(#"error="invalid_token""#))

            // With a token from the token endpoint, the upgrade happens.
            let issued = try await client.post("/shelter/token", form: ["grant_type": "password", "username": "sam", "password": "sam-password"])
            let token = try #require(try issued.json()["access_token"]?.stringValue)
            let socket = try await runBlocking {
                try RawWebSocket(port: port, path: "/shelter/desk", headers: ["Authorization: Bearer \(token)", "Origin: https://shelter.example"])
            }
            let answer = try await runBlocking {
                try socket.sendText(#"{"species": "cat"}"#)
                return try socket.receiveText()
            }
            #expect(try JSON(parsing: answer)["species"] == "cat")
            // Its parameters are checked after its security, before the upgrade: a 422.
            let badLimit = try await runBlocking {
                try RawWebSocket.handshake(
                    port: port, path: "/shelter/desk?limit=0", upgrade + [key, "Sec-WebSocket-Version: 13", "Authorization: Bearer \(token)"])
            }
            #expect(badLimit.hasPrefix("HTTP/1.1 422 "), "\(badLimit)")
            #expect(badLimit.contains(#""loc":["query","limit"]"#))
            let unauthenticatedBadLimit = try await runBlocking {
                try RawWebSocket.handshake(port: port, path: "/shelter/desk?limit=0", upgrade + [key, "Sec-WebSocket-Version: 13"])
            }
            #expect(unauthenticatedBadLimit.hasPrefix("HTTP/1.1 401 "))

            // A message over the limit closes the session with 1009 (RFC 6455 §7.4.1).
            let closing = try await runBlocking {
                try socket.sendText(#"{"species": ""# + String(repeating: "a", count: 2000) + #""}"#)
                return try socket.receiveFrame()
            }
            #expect(closing.opcode == 8 && closing.payload.prefix(2) == [0x03, 0xF1], "\(closing.opcode) \(String(decoding: closing.payload, as: UTF8.self))")

            // An unmasked frame from the client closes the connection with 1002 (RFC 6455 §5.1),
            // the message never reaching the handler; masked ones before it are served.
            let unmasked = try await runBlocking { try RawWebSocket(port: port, path: "/shelter/desk", headers: ["Authorization: Bearer \(token)"]) }
            let (served, refusal) = try await runBlocking {
                try unmasked.sendText(#"{"species": "dog"}"#)
                let served = try unmasked.receiveText()
                let payload = Array(#"{"species": "cat"}"#.utf8)
                try unmasked.sendRaw([0x81, UInt8(payload.count)] + payload)
                return (served, try unmasked.receiveFrame())
            }
            #expect(try JSON(parsing: served)["species"] == "dog")
            #expect(refusal.opcode == 8 && refusal.payload == [0x03, 0xEA])

            // A text message that is not UTF-8 closes the session with 1007 (RFC 6455 §8.1).
            let invalid = try await runBlocking { try RawWebSocket(port: port, path: "/shelter/desk", headers: ["Authorization: Bearer \(token)"]) }
            let notText = try await runBlocking {
                let payload: [UInt8] = [0x7B, 0xFF, 0xFE, 0x7D]
                let mask: [UInt8] = [9, 8, 7, 6]
                try invalid.sendRaw([0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
                return try invalid.receiveFrame()
            }
            #expect(notText.opcode == 8 && notText.payload.prefix(2) == [0x03, 0xEF], "\(notText.opcode) \(notText.payload)")
        }
    }
}
