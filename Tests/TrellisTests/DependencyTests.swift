import Foundation
import HTTPTypes
import Synchronization
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

// MARK: - Dependencies that write down what they do

/// What the dependencies of one application did, in order.
final class Journal: Sendable {
    private let entries = Mutex<[String]>([])
    func write(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// The journal: an application singleton (a new one per application, so tests never share one).
enum Recorder: ApplicationDependency {
    static func start(in application: ApplicationDependencies) async throws -> Journal { Journal() }
}

enum Settings: ApplicationDependency {
    static func start(in application: ApplicationDependencies) async throws -> String {
        try await application.value(of: Recorder.self).write("start settings")
        return "settings"
    }
    static func stop(_ value: String) async throws { throw StopFailure() }  // logged, and the others still stop
    struct StopFailure: Error {}
}

enum Pool: ApplicationDependency {
    static func start(in application: ApplicationDependencies) async throws -> Journal {
        let journal = try await application.value(of: Recorder.self)
        _ = try await application.value(of: Settings.self)
        journal.write("start pool")
        return journal
    }
    static func stop(_ journal: Journal) async throws { journal.write("stop pool") }
}

/// Slow to start: concurrent first uses must still start it once.
enum SlowSingleton: ApplicationDependency {
    static func start(in application: ApplicationDependencies) async throws -> Journal {
        try await Task.sleep(for: .milliseconds(50))
        return Journal()
    }
}

/// Its own application dependency.
actor VisitCounter: ApplicationSingleton {
    private(set) var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}

enum Connection: Dependency {
    static func resolve(in scope: DependencyScope) async throws -> String {
        let journal = try await scope.resolve(Pool.self)
        journal.write("open connection")
        scope.onTeardown { error in journal.write("close connection" + (error == nil ? "" : " after an error")) }
        return "connection"
    }
}

enum Transaction: Dependency {
    static let dependencies: [any Dependency.Type] = [Connection.self, Pool.self]

    static func resolve(in scope: DependencyScope) async throws -> String {
        let connection = try await scope.resolve(Connection.self)
        let journal = try await scope.resolve(Pool.self)
        journal.write("begin")
        scope.onTeardown { error in journal.write(error == nil ? "commit" : "rollback") }
        return "transaction on " + connection
    }
}

enum CurrentUser: Dependency {
    static func resolve(in scope: DependencyScope) async throws -> String {
        let token = try await scope.resolve(BearerToken.self)
        guard token != "stolen" else { throw HTTPError(.forbidden, detail: "token revoked") }
        return "user-" + token
    }
}

enum ServiceKey: APIKeyDependency {
    static let keyName = "X-API-Key"
    static let location = ParameterLocation.header
}

enum QueryKey: APIKeyDependency {
    static let keyName = "key"
    static let location = ParameterLocation.query
}

/// A cycle its types declare: the application refuses to start.
enum DeclaredCycleA: Dependency {
    static let dependencies: [any Dependency.Type] = [DeclaredCycleB.self]
    static func resolve(in scope: DependencyScope) async throws -> Int { 0 }
}

enum DeclaredCycleB: Dependency {
    static let dependencies: [any Dependency.Type] = [Connection.self, DeclaredCycleA.self]
    static func resolve(in scope: DependencyScope) async throws -> Int { 0 }
}

/// A cycle nobody declares: caught when a request meets it.
enum CycleA: Dependency {
    static func resolve(in scope: DependencyScope) async throws -> Int { try await scope.resolve(CycleB.self) }
}

enum CycleB: Dependency {
    static func resolve(in scope: DependencyScope) async throws -> Int { try await scope.resolve(CycleA.self) }
}

// MARK: - A service that uses them

/// Written by hand: the dependencies of its operations are what the tests exercise.
struct DependentService: HandWrittenService {
    struct Output: HandWrittenOutput {
        var statusCode: Int { 200 }
        var contentType: String? { "text/plain" }
        var headers: [(name: String, value: String)] { [] }
        var body: OutputBody
    }

    static func operation(_ id: String, _ dependencies: [String]) -> OperationDescription {
        OperationDescription(
            id: id, method: .get, path: "/" + id, parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: dependencies)
    }

    static let serviceDescription = ServiceDescription(
        name: "Dependent", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "D", "version": "1"}, "paths": {}}"#, schemaDocuments: [:])

    static let operations: [OperationDescription] = [
        operation("transaction", ["connection", "transaction"]),
        operation("failing", ["connection", "transaction"]),
        operation("me", ["currentUser"]),
        operation("keys", ["serviceKey", "queryKey"]),
        operation("basic", ["basic"]),
        operation("cycle", ["cycleA"]),
        operation("plain", []),
    ]

    static var dependencyTypes: [any Dependency.Type] {
        [Connection.self, Transaction.self, Pool.self, CurrentUser.self, ServiceKey.self, QueryKey.self, HTTPBasic.self, CycleA.self]
    }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        switch id {
        case "transaction", "failing":
            let connection = try await source.dependency(Connection.self)
            let transaction = try await source.dependency(Transaction.self)
            try await source.dependency(Pool.self).write("handler")
            if id == "failing" { throw HTTPError(.conflict, detail: "no") }
            return Output(body: .text(connection + ", " + transaction))
        case "me": return Output(body: .text(try await source.dependency(CurrentUser.self)))
        case "keys": return Output(body: .text(try await source.dependency(ServiceKey.self) + " " + source.dependency(QueryKey.self)))
        case "basic":
            let credentials = try await source.dependency(HTTPBasic.self)
            return Output(body: .text(credentials.username + ":" + credentials.password))
        case "cycle": return Output(body: .text("\(try await source.dependency(CycleA.self))"))
        case "plain": return Output(body: .text(try await String(describing: source.dependency(Connection.self))))
        default: throw NotImplementedError(operation: id)
        }
    }
}

@Suite struct DependencyTests {
    func application() throws -> TrellisApplication {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        return try TrellisApplication(configuration: configuration, services: DependentService())
    }

    @Test func resolvedOnceAndTornDownInReverseOrder() async throws {
        let app = try application()
        let client = TrellisTestClient(app)
        let response = try await client.get("/transaction")
        #expect(response.status == .ok)
        #expect(response.text == "connection, transaction on connection")
        let journal = try await app.applicationDependencies.value(of: Recorder.self)
        #expect(journal.all == ["start settings", "start pool", "open connection", "begin", "handler", "commit", "close connection"])
    }

    @Test func teardownSeesTheHandlersError() async throws {
        let app = try application()
        let response = try await TrellisTestClient(app).get("/failing")
        #expect(response.status == .conflict)
        let journal = try await app.applicationDependencies.value(of: Recorder.self)
        #expect(journal.all.suffix(3) == ["handler", "rollback", "close connection after an error"])
    }

    @Test func aDependencyRefusesTheRequest() async throws {
        let client = TrellisTestClient(try application())
        let missing = try await client.get("/me")
        #expect(missing.status == .unauthorized)
        #expect(missing.headers[.wwwAuthenticate] == "Bearer")
        #expect(try missing.json() == ["detail": "Not authenticated"])
        #expect(try await client.get("/me", headers: [.authorization: "Basic abc"]).status == .unauthorized)
        #expect(try await client.get("/me", headers: [.authorization: "Bearer stolen"]).status == .forbidden)
        #expect(try await client.get("/me", headers: [.authorization: "bearer abc"]).text == "user-abc")
    }

    @Test func builtInCredentials() async throws {
        let client = TrellisTestClient(try application())
        #expect(try await client.get("/keys?key=q1", headers: [HTTPField.Name("X-API-Key")!: "h1"]).text == "h1 q1")
        // The test client also takes header names as strings, and refuses one that is not a name.
        #expect(try await client.get("/keys?key=q1", headers: ["X-API-Key": "h2"]).text == "h2 q1")
        #expect(try await client.get("/keys?key=q1", headers: [:]).status == .unauthorized)  // [:] is not ambiguous
        await #expect(throws: (any Error).self) { try await client.get("/keys", headers: ["X API Key": "h3"]) }
        #expect(try await client.get("/keys?key=q1").status == .unauthorized)
        #expect(try await client.get("/basic", headers: [.authorization: "Basic " + "ann:s3:cret".base64]).text == "ann:s3:cret")
        let malformed = try await client.get("/basic", headers: [.authorization: "Basic !!!"])
        #expect(malformed.status == .unauthorized)
        #expect(malformed.headers[.wwwAuthenticate] == "Basic")
    }

    @Test func anApplicationDependencyStartsOnceHoweverManyAskAtOnce() async throws {
        let dependencies = ApplicationDependencies()
        let values = try await withThrowingTaskGroup(of: Journal.self) { group in
            for _ in 0..<8 { group.addTask { try await dependencies.value(of: SlowSingleton.self) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.count == 8)
        #expect(values.allSatisfy { $0 === values[0] })
    }

    @Test func anApplicationSingletonIsItsOwnValueOncePerApplication() async throws {
        let first = ApplicationDependencies()
        let counter = try await first.value(of: VisitCounter.self)
        #expect(await counter.next() == 1)
        #expect(try await first.value(of: VisitCounter.self).next() == 2)
        // Another application has its own.
        #expect(try await ApplicationDependencies().value(of: VisitCounter.self).next() == 1)
        try await first.start([VisitCounter.self])
        #expect(try await first.value(of: VisitCounter.self) === counter)
        #expect(await first.stop().isEmpty)
    }

    @Test func aDeclaredCycleStopsTheStart() {
        struct Cyclic: HandWrittenService {
            static let serviceDescription = ServiceDescription(name: "Cyclic", openAPIDocument: "{}", schemaDocuments: [:])

            static let operations: [OperationDescription] = []
            static var dependencyTypes: [any Dependency.Type] { [Connection.self, DeclaredCycleA.self] }
            func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
                throw NotImplementedError(operation: id)
            }
        }
        #expect {
            try TrellisApplication(services: Cyclic())
        } throws: { error in
            "\(error)" == "the dependencies form a cycle: DeclaredCycleA → DeclaredCycleB → DeclaredCycleA"
        }
    }

    @Test func cyclesAreA500ThatNamesThem() async throws {
        let response = try await TrellisTestClient(try application()).get("/cycle")
        #expect(response.status == .internalServerError)
        #expect(try response.json() == ["detail": "Internal Server Error"])
    }

    @Test func undeclaredDependenciesAreRefused() async throws {
        let response = try await TrellisTestClient(try application()).get("/plain")
        #expect(response.status == .internalServerError)
    }

    @Test func applicationOverrides() async throws {
        var app = try application()
        app.overrideDependency(CurrentUser.self, value: "tester")
        app.overrideDependency(Connection.self) { scope in "fake connection for \(scope.operationID)" }
        let client = TrellisTestClient(app)
        #expect(try await client.get("/me").text == "tester")
        #expect(try await client.get("/transaction").text == "fake connection for transaction, transaction on fake connection for transaction")
    }

    @Test func taskOverridesStayInTheirTask() async throws {
        let client = TrellisTestClient(try application())
        try await withThrowingTaskGroup(of: (String, String).self) { group in
            for name in ["ann", "bob", "cid", "dee"] {
                group.addTask {
                    var overrides = DependencyOverrides()
                    overrides.override(CurrentUser.self, value: name)
                    return try await DependencyOverrides.with(overrides) {
                        try await Task.sleep(for: .milliseconds(5))
                        return (name, try await client.get("/me").text)
                    }
                }
            }
            for try await (name, answer) in group { #expect(answer == name) }
        }
        #expect(try await client.get("/me").status == .unauthorized)  // none outside
    }

    @Test func applicationDependenciesStartBeforeServingAndStopAfterInReverse() async throws {
        let app = try application()
        let journal = try await TrellisTestClient.withLiveServer(app) { client in
            // Started before the first request.
            let journal = try await app.applicationDependencies.value(of: Recorder.self)
            #expect(journal.all == ["start settings", "start pool"])
            #expect(try await client.get("/transaction").status == .ok)
            return journal
        }
        // Pool stops before Settings (whose failure is logged) and Recorder.
        #expect(journal.all.last == "stop pool")
        // A later use starts them again.
        let again = try await app.applicationDependencies.value(of: Recorder.self)
        #expect(again !== journal)
    }
}

extension String {
    var base64: String { Data(utf8).base64EncodedString() }
}
