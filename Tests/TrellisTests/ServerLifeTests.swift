import Foundation
import HTTPTypes
import Testing
import Trellis
import TrellisJSON
import TrellisTesting
import UnixSignals

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// What only a real server shows: limits on the request head, graceful shutdown, streaming.
@Suite struct ServerLifeTests {
    /// Runs `app` on a free port until `body` returns, then cancels it.
    func withServer(_ app: TrellisApplication, _ body: (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.serve(onServerRunning: { continuation.yield($0) }) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            group.cancelAll()
        }
    }

    func configuration() -> TrellisConfiguration {
        var configuration = TrellisConfiguration()
        configuration.port = 0
        configuration.threads = 1
        return configuration
    }

    @Test func anOversizedHeadIsA431() async throws {
        var configuration = configuration()
        configuration.maxHeaderSize = 4096
        configuration.maxHeaderCount = 20
        try await withServer(try TrellisApplication(configuration: configuration, services: MisbehavingService())) { port in
            var big = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/refuse")!)
            big.setValue(String(repeating: "x", count: 5000), forHTTPHeaderField: "X-Big")
            let (body, response) = try await URLSession.shared.data(for: big)
            #expect((response as? HTTPURLResponse)?.statusCode == 431)
            #expect(String(decoding: body, as: UTF8.self).hasPrefix(#"{"detail":"Request header fields larger than 4096 bytes"#))

            var many = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/refuse")!)
            for index in 0..<30 { many.setValue("v", forHTTPHeaderField: "X-Header-\(index)") }
            let (_, tooMany) = try await URLSession.shared.data(for: many)
            #expect((tooMany as? HTTPURLResponse)?.statusCode == 431)

            // The server is unharmed: a request within the limits gets its answer.
            let (_, fine) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/refuse")!)
            #expect((fine as? HTTPURLResponse)?.statusCode == 403)
        }
    }

    /// Sends `bytes` on a new connection without closing it, and reads until the server
    /// closes the connection (or 5 seconds pass): what came back, and whether it was closed.
    func exchange(_ port: Int, _ bytes: [UInt8]) async throws -> (text: String, closed: Bool) {
        try await exchange(port, [bytes])
    }

    /// Sends `chunks` on a new connection, 200 ms apart, without closing it, and reads until the
    /// server closes the connection (or 5 seconds pass): what came back, and whether it was closed.
    func exchange(_ port: Int, _ chunks: [[UInt8]]) async throws -> (text: String, closed: Bool) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        for (index, chunk) in chunks.enumerated() {
            if index > 0 { try await Task.sleep(for: .milliseconds(200)) }
            try #require(send(socket, chunk, chunk.count, 0) == chunk.count)
        }
        return try await runBlocking {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(socket, &chunk, chunk.count, 0)
                if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
                if count < 0 { return (String(decoding: received, as: UTF8.self), false) }
                received += chunk[0..<count]
            }
        }
    }

    /// Requests read before an oversized head are answered first, in order; then the 431, and
    /// the server closes the connection even though the client keeps it open.
    @Test func theAnswerToAnOversizedHeadComesAfterThoseBeforeIt() async throws {
        var configuration = configuration()
        configuration.maxHeaderSize = 4096
        try await withServer(try TrellisApplication(configuration: configuration, services: MisbehavingService())) { port in
            let fine = "GET /refuse HTTP/1.1\r\nHost: localhost\r\n\r\n"
            let big = "GET /refuse HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "x", count: 5000))\r\n\r\n"
            let (text, closed) = try await exchange(port, Array((fine + fine + big + fine).utf8))
            // Bodies end without a line break: the next status line follows on the same line.
            let statusLines = text.split(separator: "HTTP/1.1 ").map { "HTTP/1.1 " + String($0).components(separatedBy: "\r\n")[0] }
            #expect(statusLines == ["HTTP/1.1 403 Forbidden", "HTTP/1.1 403 Forbidden", "HTTP/1.1 431 Request Header Fields Too Large"])
            #expect(text.contains("connection: close") || text.contains("Connection: close"))
            #expect(text.hasSuffix(#"{"detail":"Request header fields larger than 4096 bytes or more than 100"}"#))
            #expect(closed)

            // The rest of the oversized head comes in a later read, while the request before it
            // is still being answered: the decoder drops it, and both answers are still written.
            let slow = "GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n"
            let (split, closedAfterSplit) = try await exchange(
                port,
                [
                    Array((slow + "GET /refuse HTTP/1.1\r\nX-Big: " + String(repeating: "x", count: 5000)).utf8),
                    Array((String(repeating: "y", count: 3000) + "\r\n\r\n" + fine).utf8),
                ])
            let splitStatusLines = split.split(separator: "HTTP/1.1 ").map { "HTTP/1.1 " + String($0).components(separatedBy: "\r\n")[0] }
            #expect(splitStatusLines == ["HTTP/1.1 200 OK", "HTTP/1.1 431 Request Header Fields Too Large"])
            #expect(closedAfterSplit)

            // Trailers over the limit come in the middle of a request: no answer can follow, the connection is closed.
            let trailers =
                "POST /refuse HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-Big: \(String(repeating: "x", count: 5000))\r\n\r\n"
            let (afterTrailers, closedAfterTrailers) = try await exchange(port, Array(trailers.utf8))
            #expect(!afterTrailers.contains("431"))
            #expect(closedAfterTrailers)

            // The server is unharmed.
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/refuse")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 403)
        }
    }

    /// No `Server` header unless one is configured; answers carry their length.
    @Test func theServerHeaderIsOptIn() async throws {
        for name in [nil, "Trellis"] {
            var configuration = configuration()
            configuration.serverName = name
            try await withServer(try TrellisApplication(configuration: configuration, services: MisbehavingService())) { port in
                let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/refuse")!)
                let http = try #require(response as? HTTPURLResponse)
                #expect(http.statusCode == 403)
                #expect(http.value(forHTTPHeaderField: "Server") == name)
                #expect(http.value(forHTTPHeaderField: "Content-Length") == String(body.count))
            }
        }
    }

    @Test func aRequestOverItsTimeGetsA503AndTheServerGoesOn() async throws {
        var configuration = configuration()
        configuration.requestTimeout = .milliseconds(200)
        try await TrellisTestClient.withLiveServer(try TrellisApplication(configuration: configuration, services: MisbehavingService())) { client in
            let start = ContinuousClock.now
            let stuck = try await client.get("/stuck")
            #expect(stuck.status == .serviceUnavailable)
            #expect(try stuck.json() == ["detail": "Request took longer than 0.2 seconds"])
            #expect(ContinuousClock.now - start < .seconds(5))
            // Other requests, before and after, are unaffected.
            #expect(try await client.get("/refuse").status == .forbidden)
            #expect(try await client.get("/stream").text.hasSuffix("{\"n\":3}\n"))
        }
    }

    /// Defined behaviour: a handler whose client goes away is not cancelled; it finishes,
    /// and its answer is dropped. The server goes on.
    @Test func aHandlerWhoseClientLeavesFinishes() async throws {
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (finished, finishedContinuation) = AsyncStream.makeStream(of: Bool.self)
        var service = MisbehavingService()
        service.started = startedContinuation
        service.finished = finishedContinuation
        service.slowFor = .milliseconds(300)
        try await withServer(try TrellisApplication(configuration: configuration(), services: service)) { port in
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #expect(socket >= 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            #expect(connected == 0)
            let request = Array("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
            #expect(send(socket, request, request.count, 0) == request.count)
            var startedIterator = started.makeAsyncIterator()
            _ = await startedIterator.next()
            close(socket)  // the client leaves while the handler waits
            var finishedIterator = finished.makeAsyncIterator()
            #expect(await finishedIterator.next() == false)  // not cancelled: it ran to its end
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/refuse")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 403)
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        var configuration = configuration()
        configuration.idleTimeout = .milliseconds(200)
        try await withServer(try TrellisApplication(configuration: configuration, services: MisbehavingService())) { port in
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            #expect(connected == 0)
            let start = ContinuousClock.now
            // Send nothing: the server closes the connection (recv sees the end) after the idle timeout.
            let received = try await runBlocking {
                var byte: UInt8 = 0
                return recv(socket, &byte, 1, 0)
            }
            #expect(received == 0)
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(150) && waited < .seconds(4), "closed after \(waited)")
        }
    }

    @Test func streamsOverTheWire() async throws {
        try await withServer(try TrellisApplication(configuration: configuration(), services: MisbehavingService())) { port in
            let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/stream")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: body, as: UTF8.self) == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        }
    }

    @Test func gracefulShutdownLetsARequestInFlightFinish() async throws {
        var configuration = configuration()
        configuration.shutdownGracePeriod = .seconds(10)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        var service = MisbehavingService()
        service.started = startedContinuation
        service.slowFor = .milliseconds(700)
        let app = try TrellisApplication(configuration: configuration, services: service)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        // A real SIGTERM, with run()'s default signals: the service group traps it (its signal
        // source is registered before the server starts), so the test runner never sees it.
        // Each signal test uses a signal of its own (SIGTERM here, SIGUSR1 and SIGUSR2 in the
        // others), so tests running at the same time never stop each other's servers.
        let server = Task { try await app.run(onServerRunning: { portContinuation.yield($0) }) }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        let inFlight = Task { try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/slow")!) }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()  // the handler is running
        let signalled = ContinuousClock.now
        kill(getpid(), SIGTERM)

        let (body, response) = try await inFlight.value
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == "done")
        try await server.value  // run() returns once the server has drained
        // Well before the 10 s grace period (generous: a loaded machine slows every step).
        #expect(ContinuousClock.now - signalled < .seconds(8))

        // Nothing listens any more.
        await #expect(throws: (any Error).self) {
            _ = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/refuse")!)
        }
    }

    @Test func shutdownCancelsWhatOutlivesTheGracePeriod() async throws {
        var configuration = configuration()
        configuration.shutdownGracePeriod = .milliseconds(200)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        var service = MisbehavingService()
        service.started = startedContinuation
        service.slowFor = .seconds(30)
        let app = try TrellisApplication(configuration: configuration, services: service)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task { try await app.run(gracefulShutdownSignals: [.sigusr1], onServerRunning: { portContinuation.yield($0) }) }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())
        let inFlight = Task { try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/slow")!) }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()
        let signalled = ContinuousClock.now
        kill(getpid(), SIGUSR1)
        _ = try? await server.value
        #expect(ContinuousClock.now - signalled < .seconds(10))  // not the handler's 30 s
        _ = await inFlight.value
    }
}
