import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// Lets in a guest who says who they are; refuses the rest before the upgrade.
enum Gatekeeper: Dependency {
    static func resolve(in scope: DependencyScope) async throws -> String {
        guard let guest = scope.header("X-Guest"), !guest.isEmpty else { throw HTTPError(.forbidden, detail: "No guests without a name") }
        if guest == "teardown" { scope.onTeardown { _ in LobbyEvents.shared.record("torn down") } }
        return guest
    }
}

/// The lobby's handler failing.
struct LobbyFailure: Error {}

/// What the lobby's dependencies saw, for the test to read.
final class LobbyEvents: Sendable {
    static let shared = LobbyEvents()
    private let events = Mutex<[String]>([])
    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

/// `WebSocket /rooms/{room}?echo=n`: a route with a path and a query parameter and a dependency,
/// written by hand as generated code would be.
enum Lobby: DeclaredWebSocket {
    typealias Receive = JSON
    typealias Send = JSON
    static let webSocketDescription = WebSocketDescription(
        id: "lobby", path: "/rooms/{room}", receive: "file:///l.json#/$defs/any", send: "file:///l.json#/$defs/any",
        parameters: [
            ParameterDescription(name: "room", location: .path, required: true, schema: "file:///l.json#/$defs/room", type: .integer),
            ParameterDescription(name: "echo", location: .query, required: false, schema: "file:///l.json#/$defs/echo", type: .integer, defaultValue: "1"),
        ],
        dependencies: ["gatekeeper"])

    struct Input: OperationInput {
        var room: Int
        var echo: Int
        var guest: String
        init(from source: some OperationInputSource) async throws {
            room = try source.required(.path("room"), as: Int.self)
            echo = try source.parameter(.query("echo"), as: Int.self) ?? 1
            guest = try await source.dependency(Gatekeeper.self)
        }
    }
}

struct LobbyService: HandWrittenService {
    static let serviceDescription = ServiceDescription(
        name: "Lobby", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "L", "version": "1"}, "paths": {}}"#,
        schemaDocuments: [
            "file:///l.json": #"{"$defs": {"any": {}, "room": {"type": "integer", "minimum": 1}, "echo": {"type": "integer", "minimum": 1, "maximum": 3}}}"#
        ])
    static let operations: [OperationDescription] = []
    static var dependencyTypes: [any Dependency.Type] { [Gatekeeper.self] }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        PlainOutput(type: "text/plain", body: .text(""))
    }

    var webSocketHandlers: [WebSocketHandler] {
        [
            WebSocketHandler(Lobby.self, input: Lobby.Input.self) { input, session in
                for try await message in session.messages {
                    if message == "boom" { throw LobbyFailure() }
                    for _ in 0..<input.echo { try await session.send(["room": .integer(Int64(input.room)), "guest": .string(input.guest), "said": message]) }
                }
            }
        ]
    }
}

/// Refuses requests without `X-Allowed`, and counts what it lets through, with its answer's status.
struct BouncerMiddleware: RouterMiddleware {
    typealias Context = TrellisRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[HTTPField.Name("X-Allowed")!] != nil else { throw HTTPError(.tooManyRequests, detail: "Come back later") }
        let response = try await next(request, context)
        LobbyEvents.shared.record("\(request.uri.path) \(response.status.code)")
        return response
    }
}

/// A WebSocket route's parameters and dependencies: read and checked before the upgrade, the
/// refusals ordinary HTTP answers, the input handed to the session, the dependencies torn
/// down when it ends.
@Suite(.serialized) struct WebSocketInputTests {
    @Test func parametersAndDependenciesBeforeTheUpgrade() async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        let app = try TrellisApplication(configuration: configuration, services: LobbyService())
        try await TrellisTestClient.withLiveServer(app) { client in
            let port = try #require(client.port)
            let upgrade = ["Upgrade: websocket", "Connection: Upgrade, close", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
            func handshake(_ path: String, _ lines: [String] = []) async throws -> String {
                try await runBlocking { try RawWebSocket.handshake(port: port, path: path, upgrade + lines) }
            }
            // Parameters that do not validate: a 422 naming each, before the upgrade.
            let invalid = try await handshake("/rooms/0?echo=9", ["X-Guest: Ann"])
            #expect(invalid.hasPrefix("HTTP/1.1 422 "), "\(invalid)")
            let body = try JSON(parsing: String(invalid[try #require(invalid.range(of: "\r\n\r\n")).upperBound...]))
            #expect(body["detail"]?.arrayValue?.compactMap { $0["loc"] } == [["path", "room"], ["query", "echo"]])
            #expect(try await handshake("/rooms/x", ["X-Guest: Ann"]).hasPrefix("HTTP/1.1 422 "))
            // A dependency that refuses: its answer, before the upgrade.
            let refused = try await handshake("/rooms/7")
            #expect(refused.hasPrefix("HTTP/1.1 403 Forbidden\r\n"), "\(refused)")
            #expect(refused.hasSuffix(#"{"detail":"No guests without a name"}"#))
            // Another path is no route at all.
            #expect(try await handshake("/rooms/7/more", ["X-Guest: Ann"]).hasPrefix("HTTP/1.1 404 "))

            // Admitted: the session has the typed input.
            let socket = try await runBlocking { try RawWebSocket(port: port, path: "/rooms/7?echo=2", headers: ["X-Guest: teardown"]) }
            let (first, second) = try await runBlocking {
                try socket.sendText(#""hi""#)
                return (try socket.receiveText(), try socket.receiveText())
            }
            #expect(try JSON(parsing: first) == ["room": 7, "guest": "teardown", "said": "hi"])
            #expect(first == second)
            #expect(!LobbyEvents.shared.all.contains("torn down"))
            try await runBlocking { try socket.sendRaw([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xE8 ^ 2]) }
            for _ in 0..<100 where !LobbyEvents.shared.all.contains("torn down") { try await Task.sleep(for: .milliseconds(20)) }
            // The dependency's teardown runs when the session ends.
            #expect(LobbyEvents.shared.all.contains("torn down"))

            // A handler that throws ends the session with 1011 (RFC 6455 §7.4.1), not 1000.
            let failing = try await runBlocking { try RawWebSocket(port: port, path: "/rooms/8", headers: ["X-Guest: Bea"]) }
            let closing = try await runBlocking {
                try failing.sendText(#""boom""#)
                return try failing.receiveFrame()
            }
            #expect(closing.opcode == 8 && closing.payload.prefix(2) == [0x03, 0xF3], "\(closing.opcode) \(closing.payload)")
        }
    }

    @Test func theApplicationsMiddlewareSeesTheUpgrade() async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        var app = try TrellisApplication(configuration: configuration, services: LobbyService())
        app.addMiddleware(BouncerMiddleware())
        try await TrellisTestClient.withLiveServer(app) { client in
            let port = try #require(client.port)
            let upgrade = [
                "Upgrade: websocket", "Connection: Upgrade, close", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", "X-Guest: Ann",
            ]
            // Refused by the middleware: its answer, before the upgrade.
            let refused = try await runBlocking { try RawWebSocket.handshake(port: port, path: "/rooms/3", upgrade) }
            #expect(refused.hasPrefix("HTTP/1.1 429 "), "\(refused)")
            #expect(refused.hasSuffix(#"{"detail":"Come back later"}"#))
            // Let through: the upgrade happens, and the middleware saw it as a 101.
            let socket = try await runBlocking { try RawWebSocket(port: port, path: "/rooms/3", headers: ["X-Guest: Ann", "X-Allowed: yes"]) }
            let echo = try await runBlocking {
                try socket.sendText(#""hello""#)
                return try socket.receiveText()
            }
            #expect(try JSON(parsing: echo)["room"] == 3)
            #expect(LobbyEvents.shared.all.contains("/rooms/3 101"))
        }
    }
}
