import Foundation
import HTTPTypes
import PostgresNIO
import Synchronization
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Shelter

/// The shelter's two stores behind the same cases: migrations, the pool's bound, its metrics,
/// and readiness that follows the database.
@Suite struct ShelterStoreTests {
    let key = HTTPField.Name("X-API-Key")!

    /// A connection given back after the pool's shutdown counts as open until its close has
    /// finished: the SQLite store stops its threads once none is open, and a close still
    /// running on them then failed, leaving a connection that stopped the process in its
    /// deinit (seen once in the test run: a background task's transaction outliving a test).
    @Test func aConnectionCountsAsOpenUntilItsCloseHasFinished() async throws {
        let (gate, opening) = AsyncStream.makeStream(of: Void.self)
        let pool = ConnectionPool<Int>(
            settings: PoolSettings(), metrics: nil, open: { 1 },
            close: { _ in for await _ in gate { break } }, isClosed: { _ in false })
        let connection = try await pool.lease()
        await pool.shutdown()
        let giveBack = Task { await pool.release(connection) }
        // The release reaches the close, which waits for the gate: the connection is still open meanwhile.
        try await Task.sleep(for: .milliseconds(100))
        #expect(await pool.statistics.open == 1)
        opening.yield()
        await giveBack.value
        #expect(await pool.statistics.open == 0)
    }

    /// Replicas starting at once against one database: each migrates or finds the work done
    /// (the migration lock), and all of them then share the same tables.
    @Test(arguments: StoreKind.available) func replicasMigratingAtOnceShareOneSchema(_ kind: StoreKind) async throws {
        try await kind.withDatabase { settings in
            let stores = try await withThrowingTaskGroup(of: (any ShelterStore).self) { group in
                for _ in 0..<4 { group.addTask { try await settings.open() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (index, store) in stores.enumerated() {
                _ = try await store.withTransaction { try await $0.admit(name: "Pet \(index)", species: .dog, at: Date(), by: "replica \(index)") }
            }
            for store in stores {
                let names = try await store.withTransaction { try await $0.allAnimals().map(\.name) }
                #expect(names == ["Pet 0", "Pet 1", "Pet 2", "Pet 3"])
                try await store.close()
            }
            // Opening again migrates nothing and loses nothing.
            let again = try await settings.open()
            #expect(try await again.withTransaction { try await $0.allAnimals().count } == 4)
            try await again.close()
        }
    }

    /// Requests queue for a connection while one comes free in time: with 2 connections and a
    /// long acquire timeout, 12 requests at once are all answered.
    @Test(arguments: StoreKind.available) func requestsQueueForAFreeConnection(_ kind: StoreKind) async throws {
        try await kind.withStore(size: 2, acquireTimeout: .seconds(60)) { store in
            var app = try TrellisApplication(services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: store)
            let client = TrellisTestClient(app)
            _ = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: [key: "staff-key"])
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 { group.addTask { try await client.get("/shelter/animals").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            #expect(await store.poolStatistics() == PoolStatistics(open: 2, inUse: 0, idle: 2, waiting: 0))
        }
    }

    /// Past the acquire timeout a request is refused with 503 and Retry-After, and requests are
    /// served again once connections are back; the pool's figures are in `/metrics`.
    @Test(arguments: StoreKind.available) func anExhaustedPoolAnswers503ThenRecovers(_ kind: StoreKind) async throws {
        try await kind.withDatabase { settings in
            var settings = settings
            settings.pool.size = 2
            settings.pool.acquireTimeout = .milliseconds(500)
            var configuration = TrellisConfiguration()
            configuration.metricsPath = "/metrics"
            var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
            let store = try await settings.open(metrics: app.metricsRegistry)
            app.overrideDependency(ShelterDatabase.self, value: store)
            let client = TrellisTestClient(app)
            #expect(try await client.get("/shelter/animals").status == .ok)

            // Both connections held: the next request waits 0.5 s, then 503.
            let held = [try await store.begin(), try await store.begin()]
            #expect(await store.poolStatistics() == PoolStatistics(open: 2, inUse: 2, idle: 0, waiting: 0))
            let started = ContinuousClock.now
            let refused = try await client.get("/shelter/animals")
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.text.contains("no connection came free"))
            #expect(started.duration(to: .now) >= .milliseconds(500))

            // Given back: served again.
            for transaction in held { try await transaction.rollback() }
            #expect(try await client.get("/shelter/animals").status == .ok)
            #expect(await store.poolStatistics().inUse == 0)

            let metrics = try await client.get("/metrics").text
            #expect(metrics.contains(#"db_client_connection_timeouts_total{pool_name="shelter"} 1"#))
            #expect(metrics.contains(#"db_client_connection_count{pool_name="shelter",state="used"} 0"#))
            #expect(metrics.contains(#"db_client_connection_max{pool_name="shelter"} 2"#))
            #expect(metrics.contains("db_client_connection_wait_time_seconds_bucket"))
            #expect(metrics.contains("db_client_connection_pending_requests"))
            #expect(metrics.contains(#"http_requests_total{operation="listAnimals",method="GET",status="503"} 1"#))
            try await store.close()
        }
    }

    /// `/readyz` asks the database (through the pool, bounded by the check timeout): a store
    /// that cannot lend a connection in time makes the replica unready until it can.
    @Test(arguments: StoreKind.available) func readinessFollowsTheDatabase(_ kind: StoreKind) async throws {
        try await kind.withStore(size: 1, acquireTimeout: .seconds(5)) { store in
            var configuration = TrellisConfiguration()
            configuration.readinessCheckTimeout = .seconds(1)  // generous: the whole suite runs beside it
            configuration.readinessCacheDuration = .zero
            var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: store)
            let client = TrellisTestClient(app)
            #expect(try await Self.becomesReady(client))

            let held = try await store.begin()
            let started = ContinuousClock.now
            let unready = try await client.get("/readyz")
            #expect(unready.status == .serviceUnavailable)
            #expect(try unready.json() == ["status": "unavailable", "failing": ["ShelterDatabase"]])
            #expect(started.duration(to: .now) < .seconds(4))
            try await held.rollback()
            #expect(try await Self.becomesReady(client))
        }
    }

    /// Whether `/readyz` answers ready within 10 s (a loaded machine can make one check miss
    /// its timeout: readiness is asked again and again, as a balancer does).
    static func becomesReady(_ client: TrellisTestClient) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await client.get("/readyz").status == .ok { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// A PostgreSQL database that goes away — its connections ended, new ones refused — makes
    /// the replica unready within the check timeout, and ready again once it is back (the
    /// pool replaces the connections it lost).
    @Test(.enabled(if: StoreKind.postgresURL != nil)) func readinessFailsWhileThePostgresDatabaseIsGone() async throws {
        let admin = try #require(StoreKind.postgresURL)
        try await StoreKind.postgres.withDatabase { settings in
            let name = try #require(settings.databaseURL.flatMap(URLComponents.init(string:))?.path.dropFirst())
            let store = try await settings.open()
            var configuration = TrellisConfiguration()
            configuration.readinessCheckTimeout = .seconds(2)
            configuration.readinessCacheDuration = .zero
            var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: store)
            let client = TrellisTestClient(app)
            #expect(try await Self.becomesReady(client))
            #expect(try await client.get("/shelter/animals").status == .ok)

            try await StoreKind.administer(admin, "ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
            try await StoreKind.administer(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
            let unready = try await client.get("/readyz")
            #expect(unready.status == .serviceUnavailable)
            #expect(try unready.json() == ["status": "unavailable", "failing": ["ShelterDatabase"]])
            let refused = try await client.get("/shelter/animals")
            #expect(refused.status == .serviceUnavailable && refused.headers[.retryAfter] == "1")
            #expect(refused.text.contains("cannot be reached"))

            try await StoreKind.administer(admin, "ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
            #expect(try await Self.becomesReady(client))
            #expect(try await client.get("/shelter/animals").status == .ok)
            try await store.close()
        }
    }

    /// A database that cannot be reached stops the start with its reason, within the connect timeout.
    @Test func anUnreachableDatabaseStopsTheStart() async throws {
        var settings = try ShelterStoreSettings.fromEnvironment([
            "DATABASE_URL": "postgres://shelter@127.0.0.1:1/shelter?sslmode=disable", "DATABASE_CONNECT_TIMEOUT": "1",
        ])
        settings.pool.size = 1
        let started = ContinuousClock.now
        await #expect(throws: (any Error).self) { _ = try await settings.open() }
        #expect(started.duration(to: .now) < .seconds(10))  // refused at once; a loaded machine is slow
    }

    @Test func theSettingsComeFromTheEnvironment() throws {
        let settings = try ShelterStoreSettings.fromEnvironment([
            "DATABASE_URL": "postgres://u:p@db:5433/shelter", "DATABASE_POOL_SIZE": "12", "DATABASE_ACQUIRE_TIMEOUT": "0.5",
            "DATABASE_CONNECT_TIMEOUT": "3",
        ])
        #expect(settings.databaseURL == "postgres://u:p@db:5433/shelter")
        #expect(settings.pool.size == 12 && settings.pool.acquireTimeout == .milliseconds(500) && settings.pool.connectTimeout == .seconds(3))
        #expect(throws: ShelterSettingsError.self) { try ShelterStoreSettings.fromEnvironment(["DATABASE_POOL_SIZE": "0"]) }
        #expect(throws: ShelterSettingsError.self) { try ShelterStoreSettings.fromEnvironment(["DATABASE_ACQUIRE_TIMEOUT": "soon"]) }
        #expect(throws: ShelterSettingsError.self) { try PostgresStore.configuration(url: "mysql://u@db/x", connectTimeout: .seconds(1)) }
        #expect(throws: ShelterSettingsError.self) { try PostgresStore.configuration(url: "postgres://db/x", connectTimeout: .seconds(1)) }
        #expect(throws: ShelterSettingsError.self) { try PostgresStore.configuration(url: "postgres://u@db/x?sslmode=sometimes", connectTimeout: .seconds(1)) }
        let configuration = try PostgresStore.configuration(url: "postgres://u:p%40ss@db:5433/shelter?sslmode=disable", connectTimeout: .seconds(1))
        #expect(configuration.username == "u" && configuration.password == "p@ss" && configuration.database == "shelter" && configuration.port == 5433)
    }
}

/// The readiness endpoint's own checks: bounded, cached, and named in the answer.
@Suite struct ReadinessCheckTests {
    @Test func aFailingOrHangingCheckMakesTheReplicaUnreadyWithinTheTimeout() async throws {
        var configuration = TrellisConfiguration()
        configuration.readinessCheckTimeout = .seconds(2)  // ample for the quick checks on a loaded machine
        configuration.readinessCacheDuration = .zero
        let calls = Counter()
        let broken = Counter()
        var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
        app.addReadinessCheck("cache") {
            calls.add()
            if broken.value > 0 { throw HTTPError(.serviceUnavailable) }
        }
        app.addReadinessCheck("search") { if broken.value > 1 { try await Task.sleep(for: .seconds(30)) } }
        let client = TrellisTestClient(app)
        #expect(try await client.get("/readyz").json() == ["status": "ready"])
        broken.add()
        #expect(try await client.get("/readyz").json() == ["status": "unavailable", "failing": ["cache"]])
        broken.add()
        let started = ContinuousClock.now
        #expect(try await client.get("/readyz").json() == ["status": "unavailable", "failing": ["cache", "search"]])
        #expect(started.duration(to: .now) < .seconds(10))  // not the hanging check's 30 s
        #expect(try await client.get("/healthz").status == .ok)  // liveness is about the process only
        #expect(calls.value == 3)
    }

    @Test func resultsAreReusedForTheCachePeriod() async throws {
        var configuration = TrellisConfiguration()
        configuration.readinessCacheDuration = .seconds(60)
        let calls = Counter()
        var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
        app.addReadinessCheck("counted") { calls.add() }
        let client = TrellisTestClient(app)
        let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for _ in 0..<20 { group.addTask { try await client.get("/readyz").status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == .ok })
        #expect(calls.value == 1)
    }
}

/// A count shared with `@Sendable` closures.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}
