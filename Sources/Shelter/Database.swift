import Foundation
import Logging
import SQLiteNIO
import Trellis
import TrellisCore

/// A few SQLite connections to one database file, lent to one request at a time.
public actor ConnectionPool {
    private var idle: [SQLiteConnection]
    private var waiting: [CheckedContinuation<SQLiteConnection, Never>] = []
    private let all: [SQLiteConnection]

    /// Opens `size` connections to the file at `path` (write-ahead log, 5 s busy timeout)
    /// and creates the tables if they are not there.
    public init(path: String, size: Int) async throws {
        var connections: [SQLiteConnection] = []
        let logger = Logger(label: "shelter.sqlite")
        for _ in 0..<max(1, size) {
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            _ = try await connection.query("PRAGMA busy_timeout = 5000")
            connections.append(connection)
        }
        _ = try await connections[0].query("PRAGMA journal_mode = WAL")
        _ = try await connections[0].query("""
            CREATE TABLE IF NOT EXISTS animals (
                id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, species TEXT NOT NULL,
                admitted_at REAL NOT NULL, admitted_by TEXT NOT NULL)
            """)
        _ = try await connections[0].query("CREATE TABLE IF NOT EXISTS audit (at REAL NOT NULL, entry TEXT NOT NULL)")
        _ = try await connections[0].query("""
            CREATE TABLE IF NOT EXISTS photos (
                animal_id INTEGER PRIMARY KEY REFERENCES animals (id), content_type TEXT NOT NULL, caption TEXT, bytes BLOB NOT NULL)
            """)
        self.all = connections
        self.idle = connections
    }

    /// A connection, as soon as one is free.
    public func checkout() async -> SQLiteConnection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a connection back.
    public func checkin(_ connection: SQLiteConnection) {
        if waiting.isEmpty {
            idle.append(connection)
        } else {
            waiting.removeFirst().resume(returning: connection)
        }
    }

    /// Runs `body` on a connection of the pool.
    public func withConnection<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = await checkout()
        defer { checkin(connection) }
        return try await body(connection)
    }

    /// Closes every connection.
    public func close() async throws {
        for connection in all { try await connection.close() }
    }
}

/// The shelter's database: an application-wide pool, opened at start-up and closed at
/// shutdown. `SHELTER_DATABASE` names the file (default: `trellis-shelter.sqlite` in the
/// temporary folder), `SHELTER_CONNECTIONS` the pool's size (default 4).
public enum ShelterDatabase: ApplicationDependency {
    public static func start(in application: ApplicationDependencies) async throws -> ConnectionPool {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["SHELTER_DATABASE"] ?? FileManager.default.temporaryDirectory.appendingPathComponent("trellis-shelter.sqlite").path
        let size = environment["SHELTER_CONNECTIONS"].flatMap(Int.init) ?? 4
        return try await ConnectionPool(path: path, size: size)
    }

    public static func stop(_ pool: ConnectionPool) async throws {
        try await pool.close()
    }
}

/// One request's transaction: a connection from the pool with `BEGIN` run on it; committed
/// after the handler, rolled back if the request failed, and the connection given back.
public struct Transaction: Sendable {
    /// The connection, inside the transaction.
    public let connection: SQLiteConnection
    /// The pool it came from (for work outside the transaction, such as background tasks).
    public let pool: ConnectionPool

    /// Runs `sql` and returns its rows.
    public func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await connection.query(sql, binds)
    }
}

/// The request dependency that opens a ``Transaction``.
public enum ShelterTransaction: Dependency {
    public static let dependencies: [any Dependency.Type] = [ShelterDatabase.self]

    public static func resolve(in scope: DependencyScope) async throws -> Transaction {
        let pool = try await scope.resolve(ShelterDatabase.self)
        let connection = await pool.checkout()
        do {
            _ = try await connection.query("BEGIN")
        } catch {
            await pool.checkin(connection)
            throw error
        }
        scope.onTeardown { error in
            do {
                _ = try await connection.query(error == nil ? "COMMIT" : "ROLLBACK")
            } catch {
                await pool.checkin(connection)
                throw error
            }
            await pool.checkin(connection)
        }
        return Transaction(connection: connection, pool: pool)
    }
}
