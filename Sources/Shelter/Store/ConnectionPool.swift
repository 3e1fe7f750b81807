import Foundation
import HTTPTypes
import Logging
import Prometheus
import Trellis

/// How many connections a store keeps and how long a request waits for one.
public struct PoolSettings: Sendable, Hashable {
    /// The most connections open at once (default 4).
    public var size: Int = 4
    /// How long opening a connection may take (default 5 s).
    public var connectTimeout: Duration = .seconds(5)
    /// How long a request may wait for a connection before it is answered `503 Service
    /// Unavailable` with `Retry-After` instead (default 5 s).
    public var acquireTimeout: Duration = .seconds(5)

    /// The defaults.
    public init() {}

    /// The settings, from `DATABASE_POOL_SIZE`, `DATABASE_CONNECT_TIMEOUT` and
    /// `DATABASE_ACQUIRE_TIMEOUT` (seconds, fractions allowed) when they are set.
    /// - Throws: ``ShelterSettingsError`` for a value that is not a positive number.
    public static func fromEnvironment(_ environment: [String: String]) throws -> PoolSettings {
        var settings = PoolSettings()
        if let text = environment["DATABASE_POOL_SIZE"] {
            guard let size = Int(text), size > 0 else { throw ShelterSettingsError("DATABASE_POOL_SIZE=\(text) is not a positive whole number") }
            settings.size = size
        }
        func seconds(_ name: String) throws -> Duration? {
            guard let text = environment[name] else { return nil }
            guard let value = Double(text), value > 0, value.isFinite else { throw ShelterSettingsError("\(name)=\(text) is not a positive number of seconds") }
            return .milliseconds(Int64(value * 1000))
        }
        if let connect = try seconds("DATABASE_CONNECT_TIMEOUT") { settings.connectTimeout = connect }
        if let acquire = try seconds("DATABASE_ACQUIRE_TIMEOUT") { settings.acquireTimeout = acquire }
        return settings
    }
}

/// A setting of the shelter's environment that cannot be read.
public struct ShelterSettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What a pool holds at one moment.
public struct PoolStatistics: Sendable, Hashable {
    /// Connections open or being opened.
    public var open: Int
    /// Connections lent to a request.
    public var inUse: Int
    /// Connections open and free.
    public var idle: Int
    /// Requests waiting for a connection.
    public var waiting: Int
}

/// A bounded pool of database connections, opened on demand: a request waits at most
/// ``PoolSettings/acquireTimeout`` for one and is then refused with `503` and `Retry-After`
/// (the pool is exhausted: better a quick refusal the client can retry than a hang); a
/// connection found closed is replaced. Its figures go to the application's metrics as
/// OpenTelemetry's database-client conventions name them (`db_client_connection_*`).
///
/// The pool is the stores' own rather than postgres-nio's `PostgresClient`, whose pool has no
/// acquire timeout and no public metrics: both stores get the same bound and figures.
actor ConnectionPool<Connection: Sendable> {
    private let settings: PoolSettings
    private let open: @Sendable () async throws -> Connection
    private let close: @Sendable (Connection) async -> Void
    private let isClosed: @Sendable (Connection) -> Bool
    private let metrics: PoolMetrics?
    private let logger = Logger(label: "shelter.pool")

    private var idle: [Connection] = []
    private var opened = 0
    private var inUse = 0
    private var nextWaiter = 0
    /// Requests waiting, oldest first; each resumed with a connection, or with nil when a
    /// place to open one came free.
    private var waiters: [(id: Int, continuation: CheckedContinuation<Connection?, any Error>, timer: Task<Void, Never>)] = []
    private var closed = false

    init(
        settings: PoolSettings, metrics: PoolMetrics?, open: @escaping @Sendable () async throws -> Connection,
        close: @escaping @Sendable (Connection) async -> Void, isClosed: @escaping @Sendable (Connection) -> Bool
    ) {
        self.settings = settings
        self.metrics = metrics
        self.open = open
        self.close = close
        self.isClosed = isClosed
        metrics?.maximum.set(Int64(settings.size))
    }

    /// What the pool holds now.
    var statistics: PoolStatistics { PoolStatistics(open: opened, inUse: inUse, idle: idle.count, waiting: waiters.count) }

    /// A connection: a free one, a new one when fewer than ``PoolSettings/size`` are open,
    /// or the first one given back within ``PoolSettings/acquireTimeout``.
    /// - Throws: `HTTPError(.serviceUnavailable)` with `Retry-After: 1` when none came in
    ///   time or the database cannot be reached (the reason is logged); `CancellationError`.
    func lease() async throws -> Connection {
        let start = ContinuousClock.now
        let deadline = start.advanced(by: settings.acquireTimeout)
        while true {
            guard !closed else { throw ShelterStoreClosed() }
            if let connection = takeIdle() {
                leased(since: start)
                return connection
            }
            if opened < settings.size {
                opened += 1
                inUse += 1
                publish()
                do {
                    let connection = try await open()
                    leased(since: start)
                    return connection
                } catch {
                    opened -= 1
                    inUse -= 1
                    publish()
                    wakeOne()
                    if error is CancellationError { throw error }
                    // The client learns that the database is away for now, not why.
                    logger.warning("the database cannot be reached: \(String(reflecting: error))")
                    throw HTTPError.databaseUnavailable
                }
            }
            if let connection = try await wait(until: deadline) {
                leased(since: start)
                return connection
            }
        }
    }

    /// Gives `connection` back: to the longest waiting request, or to the free ones; a
    /// connection that is closed, or `broken` (an error left it in an unknown state), is
    /// closed and its place given to a waiting request. A connection counts as open until its
    /// close has finished: a store that stops its threads once none is open (SQLite's) must
    /// not stop them under a close still running on them.
    func release(_ connection: Connection, broken: Bool = false) async {
        if broken || isClosed(connection) || closed {
            await close(connection)
            opened -= 1
            inUse -= 1
            publish()
            wakeOne()
            return
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            waiter.timer.cancel()
            publish()
            waiter.continuation.resume(returning: connection)
            return
        }
        inUse -= 1
        idle.append(connection)
        publish()
    }

    /// Closes the free connections and refuses new leases; connections lent out are closed
    /// as they come back.
    func shutdown() async {
        closed = true
        let free = idle
        idle = []
        for waiter in waiters {
            waiter.timer.cancel()
            waiter.continuation.resume(throwing: ShelterStoreClosed())
        }
        waiters = []
        publish()
        for connection in free {
            await close(connection)
            opened -= 1
            publish()
        }
    }

    private func takeIdle() -> Connection? {
        while let connection = idle.popLast() {
            if !isClosed(connection) {
                inUse += 1
                return connection
            }
            Task { [close] in
                await close(connection)
                self.closedIdle()
            }
        }
        return nil
    }

    /// A free connection found closed has been closed on our side too: its place is free.
    private func closedIdle() {
        opened -= 1
        publish()
        wakeOne()
    }

    private func wait(until deadline: ContinuousClock.Instant) async throws -> Connection? {
        let id = nextWaiter
        nextWaiter += 1
        let timeout = settings.acquireTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timer = Task { [weak self] in
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    guard !Task.isCancelled else { return }
                    await self?.expire(
                        id,
                        error: HTTPError(
                            .serviceUnavailable, detail: "The database is busy: no connection came free within \(timeout)",
                            headers: [.retryAfter: "1"]))
                }
                waiters.append((id, continuation, timer))
                publish()
            }
        } onCancel: {
            Task { await self.expire(id, error: CancellationError()) }
        }
    }

    private func expire(_ id: Int, error: any Error) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.timer.cancel()
        if error is HTTPError { metrics?.timeouts.increment() }
        publish()
        waiter.continuation.resume(throwing: error)
    }

    /// A place came free: the longest waiting request opens a connection in it.
    private func wakeOne() {
        guard !waiters.isEmpty, opened < settings.size else { return }
        let waiter = waiters.removeFirst()
        waiter.timer.cancel()
        publish()
        waiter.continuation.resume(returning: nil)
    }

    private func leased(since start: ContinuousClock.Instant) {
        metrics?.waitTime.record(start.duration(to: .now))
        publish()
    }

    private func publish() {
        guard let metrics else { return }
        metrics.used.set(Int64(inUse))
        metrics.idle.set(Int64(idle.count))
        metrics.pending.set(Int64(waiters.count))
    }
}

extension HTTPError {
    /// The answer to a request when the database cannot be reached: 503, to try again.
    static var databaseUnavailable: HTTPError {
        HTTPError(.serviceUnavailable, detail: "The database cannot be reached for now", headers: [.retryAfter: "1"])
    }
}

/// The store was closed (the application is stopping).
public struct ShelterStoreClosed: Error, CustomStringConvertible {
    public var description: String { "the shelter's store is closed" }
}

/// A pool's metrics, in the application's registry, labelled with the pool's name.
struct PoolMetrics: Sendable {
    let used: Gauge
    let idle: Gauge
    let pending: Gauge
    let maximum: Gauge
    let timeouts: Counter
    let waitTime: DurationHistogram

    init(registry: PrometheusCollectorRegistry, pool: String) {
        func name(_ metric: String, unit: String? = nil, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: metric, unitName: unit ?? "", helpText: help)
        }
        let connections = name("db_client_connection_count", "Connections of the pool, by state (OpenTelemetry's db.client.connection.count).")
        used = registry.makeGauge(descriptor: connections, labels: [("pool_name", pool), ("state", "used")])
        idle = registry.makeGauge(descriptor: connections, labels: [("pool_name", pool), ("state", "idle")])
        pending = registry.makeGauge(
            descriptor: name("db_client_connection_pending_requests", "Requests waiting for a connection."), labels: [("pool_name", pool)])
        maximum = registry.makeGauge(descriptor: name("db_client_connection_max", "The most connections the pool opens."), labels: [("pool_name", pool)])
        timeouts = registry.makeCounter(
            descriptor: name("db_client_connection_timeouts", unit: "total", "Requests refused because no connection came free in time."),
            labels: [("pool_name", pool)])
        waitTime = registry.makeDurationHistogram(
            descriptor: name("db_client_connection_wait_time", unit: "seconds", "Time from asking for a connection to getting one."),
            labels: [("pool_name", pool)],
            buckets: [
                .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
            ])
    }
}
