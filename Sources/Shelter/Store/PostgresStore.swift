import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization
import Trellis

/// The shelter in PostgreSQL (postgres-nio): the store that several replicas share. Nothing
/// lives in a replica — photos and export archives are rows too. The tables are migrated
/// when the store opens, under a transaction-scoped advisory lock, so replicas starting at
/// once migrate the database once.
public final class PostgresStore: ShelterStore {
    let pool: ConnectionPool<PostgresConnection>
    let logger: Logger

    /// Connects to the server `url` names and migrates its tables.
    /// - Throws: ``ShelterSettingsError`` for a URL that cannot be read; what connecting throws.
    init(url: String, pool settings: PoolSettings, metrics: PoolMetrics?) async throws {
        let configuration = try Self.configuration(url: url, connectTimeout: settings.connectTimeout)
        let logger = Logger(label: "shelter.postgres")
        let ids = ConnectionIDs()
        @Sendable func open() async throws -> PostgresConnection {
            try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: ids.next(), logger: logger
            ).get()
        }
        let first = try await open()
        do {
            try await Self.migrate(first, logger: logger)
        } catch {
            await Self.close(first)
            throw error
        }
        await Self.close(first)
        self.logger = logger
        self.pool = ConnectionPool(settings: settings, metrics: metrics, open: open, close: Self.close, isClosed: { $0.isClosed })
    }

    /// Connects to `url` with a pool of `size` connections (for tests and tools).
    public convenience init(url: String, size: Int = 4, acquireTimeout: Duration = .seconds(5)) async throws {
        var settings = PoolSettings()
        settings.size = size
        settings.acquireTimeout = acquireTimeout
        try await self.init(url: url, pool: settings, metrics: nil)
    }

    /// `postgres://user:password@host:port/database?sslmode=…` as postgres-nio's configuration
    /// (`sslmode`: `disable`, `prefer` — the default, as libpq's — or `require`).
    static func configuration(url text: String, connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""), let host = url.host, !host.isEmpty,
            let user = url.user, !user.isEmpty
        else { throw ShelterSettingsError("DATABASE_URL is not a postgres://user[:password]@host[:port]/database URL") }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let tls: PostgresConnection.Configuration.TLS
        switch url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case "require", "verify-ca", "verify-full": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case let mode: throw ShelterSettingsError("DATABASE_URL's sslmode=\(mode) is not disable, prefer or require")
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database.removingPercentEncoding, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(
            Int64(connectTimeout.components.seconds) * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
        return configuration
    }

    /// Closes `connection`, even from a cancelled task.
    @Sendable static func close(_ connection: PostgresConnection) async {
        try? await connection.close().get()
    }

    /// The schema, one step per version; a database at version n gets the steps after n.
    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE IF NOT EXISTS animals (
                id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, species TEXT NOT NULL,
                admitted_at DOUBLE PRECISION NOT NULL, admitted_by TEXT NOT NULL)
            """,
            "CREATE TABLE IF NOT EXISTS audit (id BIGSERIAL PRIMARY KEY, at DOUBLE PRECISION NOT NULL, entry TEXT NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS photos (
                animal_id BIGINT PRIMARY KEY REFERENCES animals (id), content_type TEXT NOT NULL, caption TEXT, bytes BYTEA NOT NULL)
            """,
            "CREATE TABLE IF NOT EXISTS exports (id BIGSERIAL PRIMARY KEY, at DOUBLE PRECISION NOT NULL, csv TEXT NOT NULL)",
        ]
    ]

    /// The advisory lock's key: one number for "the shelter's schema" in this database.
    static let migrationLock: Int64 = 0x7472_656c_6c69_73  // "trellis"

    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            // Held until COMMIT: a second replica waits here, then finds the work done.
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS shelter_schema (version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            var version = 0
            for try await found in try await connection.query("SELECT max(version) FROM shelter_schema", logger: logger).decode(Int?.self) {
                version = found ?? 0
            }
            for (index, steps) in migrations.enumerated() where index >= version {
                for step in steps { try await connection.query(step, logger: logger) }
                try await connection.query("INSERT INTO shelter_schema (version) VALUES (\(index + 1))", logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    public func begin() async throws -> any StoreTransaction {
        let connection = try await pool.lease()
        do {
            _ = try await traced("postgresql", "BEGIN") { try await connection.query("BEGIN", logger: logger) }
        } catch {
            // A connection that cannot even begin: the database went away (it is replaced).
            await pool.release(connection, broken: true)
            if error is CancellationError { throw error }
            logger.warning("BEGIN failed: \(String(reflecting: error))")
            throw HTTPError.databaseUnavailable
        }
        return Transaction(connection: connection, owner: self)
    }

    public func poolStatistics() async -> PoolStatistics { await pool.statistics }

    public func close() async throws { await pool.shutdown() }

    /// A transaction on one PostgreSQL connection.
    final class Transaction: StoreTransaction {
        let connection: PostgresConnection
        let owner: PostgresStore
        var store: any ShelterStore { owner }
        var logger: Logger { owner.logger }

        init(connection: PostgresConnection, owner: PostgresStore) {
            self.connection = connection
            self.owner = owner
        }

        /// Runs `statement` in a span of its own.
        @discardableResult
        func query(_ statement: PostgresQuery) async throws -> PostgresRowSequence {
            try await traced("postgresql", statement.sql) { try await connection.query(statement, logger: logger) }
        }

        func commit() async throws { try await end("COMMIT") }
        func rollback() async throws { try await end("ROLLBACK") }

        private func end(_ statement: PostgresQuery) async throws {
            do {
                try await query(statement)
            } catch {
                let undone = (try? await connection.query("ROLLBACK", logger: logger)) != nil
                await owner.pool.release(connection, broken: !undone)
                throw error
            }
            await owner.pool.release(connection)
        }

        typealias AnimalRow = (Int, String, String, Double, String)

        func admit(name: String, species: Species, at date: Date, by staff: String) async throws -> Animal {
            let rows = try await query(
                """
                INSERT INTO animals (name, species, admitted_at, admitted_by)
                VALUES (\(name), \(species.rawValue), \(date.timeIntervalSince1970), \(staff)) RETURNING id
                """)
            for try await id in rows.decode(Int.self) {
                return Animal(id: id, name: name, species: species, admittedAt: date, admittedBy: staff)
            }
            throw ShelterError("the database returned no id")
        }

        func animal(id: Int) async throws -> Animal? {
            try await animals(query("SELECT id, name, species, admitted_at, admitted_by FROM animals WHERE id = \(id)")).first
        }

        func animals(species: Species?, limit: Int) async throws -> [Animal] {
            if let species {
                return try await animals(
                    query(
                        """
                        SELECT id, name, species, admitted_at, admitted_by FROM animals WHERE species = \(species.rawValue)
                        ORDER BY id DESC LIMIT \(limit)
                        """))
            }
            return try await animals(
                query(
                    "SELECT id, name, species, admitted_at, admitted_by FROM animals ORDER BY id DESC LIMIT \(limit)"))
        }

        func allAnimals() async throws -> [Animal] {
            try await animals(query("SELECT id, name, species, admitted_at, admitted_by FROM animals ORDER BY id"))
        }

        private func animals(_ rows: PostgresRowSequence) async throws -> [Animal] {
            var animals: [Animal] = []
            for try await (id, name, species, admittedAt, admittedBy) in rows.decode(AnimalRow.self) {
                guard let species = Species(rawValue: species) else { throw ShelterError("animal \(id) is of no known species (\(species))") }
                animals.append(Animal(id: id, name: name, species: species, admittedAt: Date(timeIntervalSince1970: admittedAt), admittedBy: admittedBy))
            }
            return animals
        }

        func savePhoto(animalId: Int, contentType: String, caption: String?, bytes: ByteBuffer) async throws -> Bool {
            guard try await animal(id: animalId) != nil else { return false }
            try await query(
                """
                INSERT INTO photos (animal_id, content_type, caption, bytes) VALUES (\(animalId), \(contentType), \(caption), \(bytes))
                ON CONFLICT (animal_id) DO UPDATE SET content_type = excluded.content_type, caption = excluded.caption, bytes = excluded.bytes
                """)
            return true
        }

        func photo(animalId: Int) async throws -> (contentType: String, bytes: [UInt8])? {
            let rows = try await query("SELECT content_type, bytes FROM photos WHERE animal_id = \(animalId)")
            for try await (type, bytes) in rows.decode((String, ByteBuffer).self) {
                return (type, Array(bytes.readableBytesView))
            }
            return nil
        }

        func waiting(species: Species, limit: Int) async throws -> (count: Int, names: [String]) {
            var count = 0
            for try await found in try await query("SELECT count(*) FROM animals WHERE species = \(species.rawValue)")
                .decode(Int.self)
            {
                count = found
            }
            let names = try await animals(species: species, limit: limit).map(\.name)
            return (count, names)
        }

        func audit(_ entry: String, at date: Date) async throws {
            try await query("INSERT INTO audit (at, entry) VALUES (\(date.timeIntervalSince1970), \(entry))")
        }

        func auditLog() async throws -> [String] {
            var entries: [String] = []
            for try await entry in try await query("SELECT entry FROM audit ORDER BY at, id").decode(String.self) {
                entries.append(entry)
            }
            return entries
        }

        /// Archived in the database: a replica keeps nothing on its disk.
        func archiveExport(_ csv: String, at date: Date) async throws {
            try await query("INSERT INTO exports (at, csv) VALUES (\(date.timeIntervalSince1970), \(csv))")
        }
    }
}

/// Numbers for connections' log lines.
private final class ConnectionIDs: Sendable {
    private let last = Mutex(0)
    func next() -> Int {
        last.withLock {
            $0 += 1
            return $0
        }
    }
}
