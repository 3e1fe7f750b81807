import HTTPTypes
import Testing
import Trellis
import TrellisJSON
import TrellisTesting

/// Past ``TrellisConfiguration/maxRequestsInFlight`` a request is refused at once with a 503
/// and `Retry-After`; the health endpoints still answer; the server recovers as soon as the
/// load drops (hostile-clients issue, class 8).
@Suite struct LoadSheddingTests {
    @Test(arguments: Transport.allCases) func requestsPastTheBoundAre503(over transport: Transport) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.maxRequestsInFlight = 2
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        var service = MisbehavingService()
        service.started = startedContinuation
        service.slowFor = .seconds(6)
        let application = try TrellisApplication(configuration: configuration, services: service)
        func check(_ client: TrellisTestClient) async throws {
            // Two slow requests fill the bound.
            async let first = client.get("/slow")
            async let second = client.get("/slow")
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            _ = await iterator.next()
            let start = ContinuousClock.now
            let refused = try await client.get("/refuse")
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(try refused.json() == ["detail": "Service Unavailable: the server is at capacity, retry shortly"])
            // At once, not after the slow ones (6 s): had it waited for them, it would have been
            // served (a 403). Generous: the full test run loads both cores.
            #expect(ContinuousClock.now - start < .seconds(4), "refused at once, not queued")
            #expect(try await client.get("/healthz").status == .ok)
            #expect(try await client.get("/readyz").status == .ok)
            #expect(try await first.status == .ok)
            #expect(try await second.status == .ok)
            // The load has dropped: served again.
            #expect(try await client.get("/refuse").status == .forbidden)
        }
        switch transport {
        case .inProcess: try await check(TrellisTestClient(application))
        case .socket: try await TrellisTestClient.withLiveServer(application) { try await check($0) }
        }
    }

    /// A client that pipelines requests and reads none of the answers counts once: it cannot
    /// fill the bound and get everyone else refused (the soak found this).
    @Test func aPipeliningClientCountsOnce() async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.maxRequestsInFlight = 2
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        var service = MisbehavingService()
        service.started = startedContinuation
        service.slowFor = .seconds(3)
        let application = try TrellisApplication(configuration: configuration, services: service)
        try await TrellisTestClient.withLiveServer(application) { client in
            let greedy = try RawConnection(port: try #require(client.port))
            greedy.send(String(repeating: "GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n", count: 5))
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()  // its first request runs; four wait behind it
            #expect(try await client.get("/refuse").status == .forbidden)
        }
    }

    @Test func theBoundIsOnByDefaultAndCanBeLifted() {
        #expect(TrellisConfiguration().maxRequestsInFlight == 1024)
        #expect(TrellisConfiguration.fromEnvironment(["TRELLIS_MAX_REQUESTS_IN_FLIGHT": "0"], arguments: []).maxRequestsInFlight == nil)
        #expect(TrellisConfiguration.fromEnvironment(["TRELLIS_MAX_REQUESTS_IN_FLIGHT": "64"], arguments: []).maxRequestsInFlight == 64)
    }
}
