import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Testing

@testable import Shelter

/// The databases the shelter's tests run on: SQLite always, and PostgreSQL when
/// `TRELLIS_TEST_POSTGRES_URL` names a server whose user may create databases (`.ci/test`
/// starts one with `scripts/postgres`). Each test gets a new, empty database of its own.
enum StoreKind: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// The administrator's URL of the test server, if there is one.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TRELLIS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// SQLite, and PostgreSQL when there is a server.
    static var available: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new, empty database of this kind: its settings (an SQLite file, or a PostgreSQL URL),
    /// for `body`; removed afterwards.
    func withDatabase<T>(_ body: (ShelterStoreSettings) async throws -> T) async throws -> T {
        var settings = try ShelterStoreSettings.fromEnvironment([:])
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shelter-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            settings.sqlitePath = folder.appendingPathComponent("shelter.sqlite").path
            return try await body(settings)
        case .postgres:
            let admin = try #require(Self.postgresURL)
            let name = "shelter_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await Self.administer(admin, "CREATE DATABASE \(name)")
            var url = try #require(URLComponents(string: admin))
            url.path = "/" + name
            settings.databaseURL = url.string
            do {
                let result = try await body(settings)
                try await Self.administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
                return result
            } catch {
                try? await Self.administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
                throw error
            }
        }
    }

    /// A store of this kind on a new database, with a pool of `size`, for `body`.
    func withStore<T>(size: Int = 2, acquireTimeout: Duration = .seconds(5), _ body: (any ShelterStore) async throws -> T) async throws -> T {
        try await withDatabase { settings in
            var settings = settings
            settings.pool.size = size
            settings.pool.acquireTimeout = acquireTimeout
            let store = try await settings.open()
            do {
                let result = try await body(store)
                try await store.close()
                return result
            } catch {
                try? await store.close()
                throw error
            }
        }
    }

    /// Runs `statement` on the server `url` names (its own database).
    static func administer(_ url: String, _ statement: String) async throws {
        let configuration = try PostgresStore.configuration(url: url, connectTimeout: .seconds(5))
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0, logger: Logger(label: "test.postgres")
        ).get()
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "test.postgres"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
