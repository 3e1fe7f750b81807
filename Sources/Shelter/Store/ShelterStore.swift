import Foundation
import Logging
import NIOCore
import Prometheus
import Trellis
import TrellisCore

/// What the shelter reads and writes, whatever database keeps it: the handlers see only this.
public protocol ShelterRecords: Sendable {
    /// Adds an animal and returns it with its number.
    func admit(name: String, species: Species, at date: Date, by staff: String) async throws -> Animal
    /// The animal numbered `id`, if there is one.
    func animal(id: Int) async throws -> Animal?
    /// The latest `limit` animals (of `species` when given), the latest first.
    func animals(species: Species?, limit: Int) async throws -> [Animal]
    /// Every animal, the first admitted first.
    func allAnimals() async throws -> [Animal]
    /// Stores the photo of the animal numbered `animalId`, replacing any; false when there is
    /// no such animal.
    func savePhoto(animalId: Int, contentType: String, caption: String?, bytes: ByteBuffer) async throws -> Bool
    /// The photo of the animal numbered `animalId`, if it has one.
    func photo(animalId: Int) async throws -> (contentType: String, bytes: [UInt8])?
    /// How many animals of `species` wait, and the names of the latest `limit` of them.
    func waiting(species: Species, limit: Int) async throws -> (count: Int, names: [String])
    /// Appends a line to the audit log.
    func audit(_ entry: String, at date: Date) async throws
    /// The audit log, oldest first.
    func auditLog() async throws -> [String]
    /// Keeps a copy of an export (in the database, or a file beside an embedded one).
    func archiveExport(_ csv: String, at date: Date) async throws
}

/// One request's transaction: records read and written on one connection, inside `BEGIN`.
public protocol StoreTransaction: ShelterRecords {
    /// The store it belongs to (for work outside the transaction, such as background tasks).
    var store: any ShelterStore { get }
    /// Makes the transaction's writes permanent and gives the connection back.
    func commit() async throws
    /// Undoes the transaction's writes and gives the connection back.
    func rollback() async throws
}

/// Where the shelter's data lives: ``SQLiteStore`` (embedded, the default) or
/// ``PostgresStore`` (a database server that replicas share).
public protocol ShelterStore: ReadinessCheck {
    /// Starts a transaction on a connection of the store's pool.
    /// - Throws: `HTTPError(.serviceUnavailable)` with `Retry-After` when no connection came
    ///   free within ``PoolSettings/acquireTimeout``.
    func begin() async throws -> any StoreTransaction
    /// What the store's pool holds now.
    func poolStatistics() async -> PoolStatistics
    /// Closes the store's connections.
    func close() async throws
}

extension ShelterStore {
    /// Runs `body` in a transaction of its own: committed when it returns, rolled back when it throws.
    public func withTransaction<T: Sendable>(_ body: @Sendable (any StoreTransaction) async throws -> T) async throws -> T {
        let transaction = try await begin()
        let result: T
        do {
            result = try await body(transaction)
        } catch {
            try? await transaction.rollback()
            throw error
        }
        try await transaction.commit()
        return result
    }

    /// Answers a readiness probe: a round trip to the database (`SELECT 1`) through the pool.
    public func checkReadiness() async throws {
        _ = try await withTransaction { try await $0.animals(species: nil, limit: 0) }
    }
}

/// Which store the shelter uses, and its pool, from the environment:
///
/// - `DATABASE_URL=postgres://user:password@host:5432/database[?sslmode=disable|prefer|require]`:
///   PostgreSQL (``PostgresStore``), which several replicas can share;
/// - otherwise SQLite (``SQLiteStore``) in the file `SHELTER_DATABASE` (default:
///   `trellis-shelter.sqlite` in the temporary folder);
/// - `DATABASE_POOL_SIZE` (default 4), `DATABASE_CONNECT_TIMEOUT` and
///   `DATABASE_ACQUIRE_TIMEOUT` (seconds, default 5 each): ``PoolSettings``.
public struct ShelterStoreSettings: Sendable {
    /// A PostgreSQL server's URL, or nil for SQLite.
    public var databaseURL: String?
    /// The SQLite file.
    public var sqlitePath: String
    /// The pool.
    public var pool: PoolSettings

    /// Reads the settings.
    /// - Throws: ``ShelterSettingsError`` for a value that cannot be read.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ShelterStoreSettings {
        ShelterStoreSettings(
            databaseURL: environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            sqlitePath: environment["SHELTER_DATABASE"]
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("trellis-shelter.sqlite").path,
            pool: try PoolSettings.fromEnvironment(environment))
    }

    /// Opens the store these settings name (migrating its tables first).
    public func open(metrics registry: PrometheusCollectorRegistry? = nil) async throws -> any ShelterStore {
        let metrics = registry.map { PoolMetrics(registry: $0, pool: "shelter") }
        if let databaseURL {
            return try await PostgresStore(url: databaseURL, pool: pool, metrics: metrics)
        }
        return try await SQLiteStore(path: sqlitePath, pool: pool, metrics: metrics)
    }
}

/// The shelter's database: an application-wide store, opened (and migrated) at start-up and
/// closed at shutdown; its pool's figures are in the application's metrics. See
/// ``ShelterStoreSettings`` for the environment it reads.
public enum ShelterDatabase: ApplicationDependency {
    public static let dependencies: [any Dependency.Type] = [ApplicationMetrics.self]

    public static func start(in application: ApplicationDependencies) async throws -> any ShelterStore {
        let registry = try await application.value(of: ApplicationMetrics.self)
        return try await ShelterStoreSettings.fromEnvironment().open(metrics: registry)
    }

    public static func stop(_ store: any ShelterStore) async throws {
        try await store.close()
    }
}

/// The request dependency that opens a ``StoreTransaction``: committed after the handler,
/// rolled back if the request failed.
public enum ShelterTransaction: Dependency {
    public static let dependencies: [any Dependency.Type] = [ShelterDatabase.self]

    public static func resolve(in scope: DependencyScope) async throws -> any StoreTransaction {
        let store = try await scope.resolve(ShelterDatabase.self)
        let transaction = try await store.begin()
        scope.onTeardown { error in
            if error == nil { try await transaction.commit() } else { try await transaction.rollback() }
        }
        return transaction
    }
}
