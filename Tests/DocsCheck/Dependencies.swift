import Trellis
import TrellisCore
import TrellisTesting

// What the article's examples take for granted: a user directory, a database with a pool
// and transactions, a mailer, a test client and an operation's input (type-checked only).

struct User: Sendable {
    var id: Int
    var name: String
}

struct UserDirectory: Sendable {
    func find(token: String) async throws -> User? { nil }
}

enum Users: Dependency {
    static func resolve(in scope: DependencyScope) async throws -> UserDirectory { UserDirectory() }
}

enum Database {
    final class Transaction: Sendable {
        func commit() async throws {}
        func rollback() async throws {}
    }
}

final class ConnectionPool: Sendable {
    init(size: Int) async throws {}
    func begin() async throws -> Database.Transaction { Database.Transaction() }
    func close() async throws {}
}

struct Mailer: Sendable {
    func send(welcome user: User) async throws {}
}

struct SignUpInput {
    var backgroundTasks: BackgroundTasks
}

let client: TrellisTestClient = { fatalError("type-checked only") }()
let mailer = Mailer()
let user = User(id: 1, name: "Ann")
let input: SignUpInput = { fatalError("type-checked only") }()
