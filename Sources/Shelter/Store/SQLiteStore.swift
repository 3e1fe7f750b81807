import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import Tracing
import Trellis

/// The shelter in an SQLite file beside the process: the embedded default, nothing to set up.
/// Connections share the file in write-ahead-log mode with a 5 s busy timeout; the tables are
/// migrated when the store opens, inside `BEGIN IMMEDIATE`, so two processes opening the same
/// file at once migrate it once.
public final class SQLiteStore: ShelterStore {
    let pool: ConnectionPool<SQLiteConnection>
    /// The threads SQLite's calls block: one per connection and one more, so that a
    /// connection waiting for the file's lock (up to the busy timeout) never keeps the
    /// connection that holds it from finishing — with a shared pool of a thread per core,
    /// waiting writers could hold every thread.
    let threads: NIOThreadPool

    /// Opens the file at `path` (creating it) and migrates its tables.
    init(path: String, pool settings: PoolSettings, metrics: PoolMetrics?) async throws {
        let logger = Logger(label: "shelter.sqlite")
        let threads = NIOThreadPool(numberOfThreads: settings.size + 1)
        threads.start()
        @Sendable func open() async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threads, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
            do {
                _ = try await connection.query("PRAGMA busy_timeout = 5000")
                _ = try await connection.query("PRAGMA foreign_keys = ON")
                // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a power
                // loss can undo the last commits, never corrupt the file (as Rails and most
                // embedded uses set it); FULL made every request wait for the disk.
                _ = try await connection.query("PRAGMA synchronous = NORMAL")
            } catch {
                await Self.close(connection)
                throw error
            }
            return connection
        }
        let first: SQLiteConnection
        do {
            first = try await open()
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
        do {
            // A process opening a new file beside another can find it locked in ways SQLite
            // does not wait out (while the other switches it to WAL): it tries again, for a while.
            for attempt in 1... {
                do {
                    try await Self.migrate(first)
                    try await Self.useWriteAheadLog(first)
                    break
                } catch  where Self.isBusy(error) && attempt < 50 {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        } catch {
            await Self.close(first)
            try? await threads.shutdownGracefully()
            throw error
        }
        await Self.close(first)
        self.threads = threads
        self.pool = ConnectionPool(settings: settings, metrics: metrics, open: open, close: Self.close, isClosed: { $0.isClosed })
    }

    /// Opens the SQLite file at `path` with a pool of `size` connections (for tests and tools).
    public convenience init(path: String, size: Int = 4) async throws {
        var settings = PoolSettings()
        settings.size = size
        try await self.init(path: path, pool: settings, metrics: nil)
    }

    /// The schema, one step per version; a database at version n gets the steps after n.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE IF NOT EXISTS animals (
                id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, species TEXT NOT NULL,
                admitted_at REAL NOT NULL, admitted_by TEXT NOT NULL)
            """,
            "CREATE TABLE IF NOT EXISTS audit (at REAL NOT NULL, entry TEXT NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS photos (
                animal_id INTEGER PRIMARY KEY REFERENCES animals (id), content_type TEXT NOT NULL, caption TEXT, bytes BLOB NOT NULL)
            """,
        ]
    ]

    /// Closes `connection`, even from a cancelled task (the `async` close does nothing there,
    /// and a connection released unclosed stops the process in debug builds).
    @Sendable static func close(_ connection: SQLiteConnection) async {
        try? await connection.close().get()
    }

    /// Whether `error` says another connection holds the file for now.
    static func isBusy(_ error: any Error) -> Bool {
        if error is NotYetWriteAheadLog { return true }
        guard let error = error as? SQLiteError else { return false }
        return [.busy, .locked].contains(error.reason)
    }

    /// The file is not in write-ahead-log mode yet (another connection holds it).
    struct NotYetWriteAheadLog: Error {}

    /// Write-ahead-log mode, so that readers do not wait for writers.
    static func useWriteAheadLog(_ connection: SQLiteConnection) async throws {
        let mode = try await connection.query("PRAGMA journal_mode = WAL").first?.column("journal_mode")?.string
        guard mode == "wal" else { throw NotYetWriteAheadLog() }
    }

    static func migrate(_ connection: SQLiteConnection) async throws {
        // IMMEDIATE takes the write lock at once: a second process waits (busy_timeout)
        // and then finds the work done.
        _ = try await connection.query("BEGIN IMMEDIATE")
        do {
            let version = try await connection.query("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
            for (index, steps) in migrations.enumerated() where index >= version {
                for step in steps { _ = try await connection.query(step) }
            }
            if version < migrations.count { _ = try await connection.query("PRAGMA user_version = \(migrations.count)") }
            _ = try await connection.query("COMMIT")
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    public func begin() async throws -> any StoreTransaction {
        let connection = try await pool.lease()
        do {
            _ = try await traced("sqlite", "BEGIN") { try await connection.query("BEGIN") }
        } catch {
            // A connection that cannot even begin: the database went away (it is replaced).
            await pool.release(connection, broken: true)
            if error is CancellationError { throw error }
            Logger(label: "shelter.sqlite").warning("BEGIN failed: \(String(reflecting: error))")
            throw HTTPError.databaseUnavailable
        }
        return Transaction(connection: connection, owner: self)
    }

    public func poolStatistics() async -> PoolStatistics { await pool.statistics }

    /// Closes the free connections and refuses new transactions; the connections lent out
    /// are closed as they come back (a background task may still hold one), and the store's
    /// threads stop once the last is closed — waited for here up to 5 s, then in the background.
    public func close() async throws {
        await pool.shutdown()
        let deadline = ContinuousClock.now + .seconds(5)
        while await pool.statistics.open > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        guard await pool.statistics.open > 0 else {
            try await threads.shutdownGracefully()
            return
        }
        Task { [pool, threads] in
            while await pool.statistics.open > 0 { try? await Task.sleep(for: .milliseconds(100)) }
            try? await threads.shutdownGracefully()
        }
    }

    /// A transaction on one SQLite connection.
    final class Transaction: StoreTransaction {
        let connection: SQLiteConnection
        let owner: SQLiteStore
        var store: any ShelterStore { owner }

        init(connection: SQLiteConnection, owner: SQLiteStore) {
            self.connection = connection
            self.owner = owner
        }

        /// Runs `sql` in a span of its own.
        func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
            try await traced("sqlite", sql) { try await connection.query(sql, binds) }
        }

        func commit() async throws { try await end("COMMIT") }
        func rollback() async throws { try await end("ROLLBACK") }

        private func end(_ statement: String) async throws {
            do {
                _ = try await query(statement)
            } catch {
                // Still inside the transaction: undone, or the connection is not reused.
                let undone = (try? await connection.query("ROLLBACK")) != nil
                await owner.pool.release(connection, broken: !undone)
                throw error
            }
            await owner.pool.release(connection)
        }

        func admit(name: String, species: Species, at date: Date, by staff: String) async throws -> Animal {
            let rows = try await query(
                "INSERT INTO animals (name, species, admitted_at, admitted_by) VALUES (?, ?, ?, ?) RETURNING id",
                [.text(name), .text(species.rawValue), .float(date.timeIntervalSince1970), .text(staff)])
            guard let id = rows.first?.column("id")?.integer else { throw ShelterError("the database returned no id") }
            return Animal(id: id, name: name, species: species, admittedAt: date, admittedBy: staff)
        }

        func animal(id: Int) async throws -> Animal? {
            try await query("SELECT * FROM animals WHERE id = ?", [.integer(id)]).first.map(Self.animal)
        }

        func animals(species: Species?, limit: Int) async throws -> [Animal] {
            let rows: [SQLiteRow]
            if let species {
                rows = try await query(
                    "SELECT * FROM animals WHERE species = ? ORDER BY id DESC LIMIT ?", [.text(species.rawValue), .integer(limit)])
            } else {
                rows = try await query("SELECT * FROM animals ORDER BY id DESC LIMIT ?", [.integer(limit)])
            }
            return try rows.map(Self.animal)
        }

        func allAnimals() async throws -> [Animal] {
            try await query("SELECT * FROM animals ORDER BY id").map(Self.animal)
        }

        /// One statement that writes, first in its transaction: SQLite lets a transaction that
        /// has read and then writes fail at once (`SQLITE_BUSY`, no waiting) when another
        /// connection wrote in between, where a transaction that starts by writing waits its turn.
        func savePhoto(animalId: Int, contentType: String, caption: String?, bytes: ByteBuffer) async throws -> Bool {
            let saved = try await query(
                """
                INSERT OR REPLACE INTO photos (animal_id, content_type, caption, bytes)
                SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM animals WHERE id = ?) RETURNING animal_id
                """,
                [.integer(animalId), .text(contentType), caption.map { .text($0) } ?? .null, .blob(bytes), .integer(animalId)])
            return !saved.isEmpty
        }

        func photo(animalId: Int) async throws -> (contentType: String, bytes: [UInt8])? {
            let rows = try await query("SELECT content_type, bytes FROM photos WHERE animal_id = ?", [.integer(animalId)])
            guard let row = rows.first, let type = row.column("content_type")?.string, let blob = row.column("bytes")?.blob else { return nil }
            return (type, Array(blob.readableBytesView))
        }

        func waiting(species: Species, limit: Int) async throws -> (count: Int, names: [String]) {
            let count = try await query("SELECT COUNT(*) AS n FROM animals WHERE species = ?", [.text(species.rawValue)])
            let rows = try await query(
                "SELECT name FROM animals WHERE species = ? ORDER BY id DESC LIMIT ?", [.text(species.rawValue), .integer(limit)])
            return (count.first?.column("n")?.integer ?? 0, rows.compactMap { $0.column("name")?.string })
        }

        func audit(_ entry: String, at date: Date) async throws {
            _ = try await query("INSERT INTO audit (at, entry) VALUES (?, ?)", [.float(date.timeIntervalSince1970), .text(entry)])
        }

        func auditLog() async throws -> [String] {
            try await query("SELECT entry FROM audit ORDER BY at, rowid").compactMap { $0.column("entry")?.string }
        }

        /// Beside an embedded database, the archive is a file in the temporary folder:
        /// synchronous file I/O, which blocks its thread, goes through `runBlocking`.
        func archiveExport(_ csv: String, at date: Date) async throws {
            let archive = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-shelter-export.csv")
            try await runBlocking { try csv.write(to: archive, atomically: true, encoding: .utf8) }
        }

        static func animal(_ row: SQLiteRow) throws -> Animal {
            guard let id = row.column("id")?.integer, let name = row.column("name")?.string,
                let species = row.column("species")?.string.flatMap(Species.init(rawValue:)),
                let admittedAt = row.column("admitted_at")?.double, let admittedBy = row.column("admitted_by")?.string
            else { throw ShelterError("a row of animals does not read as an animal") }
            return Animal(id: id, name: name, species: species, admittedAt: Date(timeIntervalSince1970: admittedAt), admittedBy: admittedBy)
        }
    }
}
