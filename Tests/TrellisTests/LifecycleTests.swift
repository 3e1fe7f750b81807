import Foundation
import HTTPTypes
import Synchronization
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting
import UnixSignals

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A service whose handler schedules background work.
struct NotifyingService: HandWrittenService {
    struct Output: HandWrittenOutput {
        var statusCode: Int { 202 }
        var contentType: String? { "text/plain" }
        var headers: [(name: String, value: String)] { [] }
        var body: OutputBody
    }

    static let serviceDescription = ServiceDescription(
        name: "Notifying", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "N", "version": "1"}, "paths": {}}"#, schemaDocuments: [:])

    static let operations: [OperationDescription] = ["notify", "failing"].map { id in
        OperationDescription(
            id: id, method: .post, path: "/" + id, parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(202), contentType: "text/plain", schema: nil)], dependencies: ["backgroundTasks", "outbox"])
    }

    static var dependencyTypes: [any Dependency.Type] { [BackgroundTasks.self, Outbox.self] }

    /// When set, the background task waits for it.
    var gate: AsyncStream<Void>?

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        let tasks = try await source.dependency(BackgroundTasks.self)
        let outbox = try await source.dependency(Outbox.self)
        tasks.add { throw Undeliverable() }  // logged; the next task still runs
        tasks.add { [gate] in
            if let gate {
                for await _ in gate { break }  // until the test opens it
            } else {
                try await Task.sleep(for: .milliseconds(300))
            }
            outbox.write("sent")
        }
        if id == "failing" { throw HTTPError(.badGateway) }  // then the tasks never run
        return Output(body: .text("accepted"))
    }

    struct Undeliverable: Error {}
}

/// Where sent messages go: one per application.
enum Outbox: ApplicationDependency {
    static func start(in application: ApplicationDependencies) async throws -> Journal { Journal() }
}

@Suite struct LifecycleTests {
    func application() throws -> TrellisApplication {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        return try TrellisApplication(configuration: configuration, services: NotifyingService())
    }

    @Test(arguments: Transport.allCases) func healthEndpoints(over transport: Transport) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.readinessPath = nil
        let app = try TrellisApplication(configuration: configuration, services: NotifyingService())
        let check: (TrellisTestClient) async throws -> Void = { client in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            #expect(try health.json() == ["status": "ok"])
            #expect(try await client.get("/readyz").status == .notFound)  // turned off
        }
        switch transport {
        case .inProcess: try await check(TrellisTestClient(app))
        case .socket: try await TrellisTestClient.withLiveServer(app, check)
        }
    }

    @Test func backgroundTasksRunAfterTheResponse() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        var service = NotifyingService()
        service.gate = gate
        let app = try TrellisApplication(services: service)
        let response = try await TrellisTestClient(app).execute(.post, "/notify")
        #expect(response.status == .accepted)
        #expect(response.text == "accepted")
        // The response is complete while the task still waits.
        let outbox = try await app.applicationDependencies.value(of: Outbox.self)
        #expect(outbox.all.isEmpty)
        open.yield()
        await app.waitForBackgroundTasks()
        #expect(outbox.all == ["sent"])
    }

    @Test func aFailedRequestRunsNoBackgroundTask() async throws {
        let app = try application()
        #expect(try await TrellisTestClient(app).execute(.post, "/failing").status == .badGateway)
        await app.waitForBackgroundTasks()
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await app.applicationDependencies.value(of: Outbox.self).all.isEmpty)
    }

    @Test func shutdownWaitsForBackgroundTasksThenRunsHooksInOrder() async throws {
        var app = try application()
        let events = Journal()
        app.onStartup { events.write("startup 1") }
        app.onStartup { events.write("startup 2") }
        app.onShutdown { events.write("shutdown 1") }
        app.onShutdown { events.write("shutdown 2") }
        let outbox = try await TrellisTestClient.withLiveServer(app) { client in
            #expect(events.all == ["startup 1", "startup 2"])
            #expect(try await client.get("/readyz").status == .ok)
            #expect(try await client.get("/healthz").json() == ["status": "ok"])
            #expect(try await client.execute(.post, "/notify").status == .accepted)
            return try await app.applicationDependencies.value(of: Outbox.self)
        }
        // The server stopped only after the task, and the hooks ran after it, last added first.
        #expect(outbox.all == ["sent"])
        #expect(events.all == ["startup 1", "startup 2", "shutdown 2", "shutdown 1"])
    }

    @Test func aFailingStartupHookStopsTheStart() async throws {
        var app = try application()
        struct NoDatabase: Error {}
        app.onStartup { throw NoDatabase() }
        await #expect(throws: NoDatabase.self) {
            try await app.serve()
        }
    }

    @Test func readinessTurnsFalseWhileDraining() async throws {
        var configuration = TrellisConfiguration()
        configuration.port = 0
        configuration.threads = 1
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        var service = MisbehavingService()
        service.started = startedContinuation
        // Long enough for a loaded machine (CI with a build beside it) to handle the signal.
        service.slowFor = .seconds(6)
        let app = try TrellisApplication(configuration: configuration, services: service)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task { try await app.run(gracefulShutdownSignals: [.sigusr2], onServerRunning: { portContinuation.yield($0) }) }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())
        let client = TrellisTestClient(app)  // in process: the same responder, so the same life
        #expect(try await client.get("/readyz").json() == ["status": "ready"])
        let inFlight = Task { try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/slow")!) }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()
        kill(getpid(), SIGUSR2)
        // The signal is handled asynchronously: poll (a busy machine may take a while), well
        // before the in-flight request ends and the server stops.
        var draining = try await client.get("/readyz")
        let deadline = ContinuousClock.now + .seconds(5)
        while draining.status == .ok, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            draining = try await client.get("/readyz")
        }
        #expect(draining.status == .serviceUnavailable)
        #expect(try draining.json() == ["status": "draining"])
        _ = try await inFlight.value
        try await server.value
    }

    /// With a drain delay, a shutdown signal first turns readiness false while the server
    /// still accepts and answers new connections (the balancer's time to notice); only then
    /// does it stop accepting and drain.
    @Test func theDrainDelayKeepsServingWhileReadinessIsFalse() async throws {
        var configuration = TrellisConfiguration()
        configuration.port = 0
        configuration.threads = 1
        configuration.drainDelay = .seconds(5)
        let app = try TrellisApplication(configuration: configuration, services: MisbehavingService())
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        // SIGWINCH: no other test uses it, and a process ignores it by default.
        let server = Task { try await app.run(gracefulShutdownSignals: [.sigwinch], onServerRunning: { portContinuation.yield($0) }) }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())
        let client = TrellisTestClient(app)
        #expect(try await client.get("/readyz").json() == ["status": "ready"])
        let signalled = ContinuousClock.now
        kill(getpid(), SIGWINCH)
        // The signal is handled asynchronously (slowly on a loaded machine): poll.
        var readiness = try await client.get("/readyz")
        while readiness.status == .ok, signalled.duration(to: .now) < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
            readiness = try await client.get("/readyz")
        }
        #expect(try readiness.json() == ["status": "draining"])
        // Within the delay, a new connection is still accepted and answered.
        let session = URLSession(configuration: .ephemeral)
        let (_, answer) = try await session.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)
        try await server.value
        // The delay starts once the signal is handled, after it was sent.
        #expect(signalled.duration(to: .now) >= .seconds(5))
    }
}
