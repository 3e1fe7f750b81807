/// A value an operation needs that comes from the request or the application rather than
/// from its parameters and body: the caller, a database transaction, settings. FastAPI's
/// `Depends`, checked by the compiler.
///
/// The service declaration names the dependency type an operation (or a tag, or the whole
/// service) needs; the generated input then carries its ``Value``, typed. The runtime calls
/// ``resolve(in:)`` at most once per request, whoever asks for it (the operation, or other
/// dependencies through ``DependencyScope/resolve(_:)``), before the handler runs.
///
/// ```swift
/// enum CurrentUser: Dependency {
///     static func resolve(in scope: DependencyScope) async throws -> User {
///         let token = try await scope.resolve(BearerToken.self)
///         guard let user = try await scope.resolve(Users.self).find(token: token) else {
///             throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"])
///         }
///         return user
///     }
/// }
/// ```
///
/// A dependency that holds a resource for the request's life registers its release with
/// ``DependencyScope/onTeardown(_:)``. To refuse the request, throw (an `HTTPError` of the
/// runtime gives the status; declare the statuses in the declaration's `responses` of the
/// dependency so that the OpenAPI document lists them on every operation that uses it).
public protocol Dependency: Sendable {
    /// What the operation receives.
    associatedtype Value: Sendable

    /// Produces the value for one request.
    static func resolve(in scope: DependencyScope) async throws -> Value

    /// The dependencies ``resolve(in:)`` uses (default: none declared). The application
    /// checks the graph they make at start-up and refuses to start on a cycle; a cycle
    /// through undeclared ones is still caught, as a ``DependencyCycleError``, when a
    /// request meets it.
    static var dependencies: [any Dependency.Type] { get }
}

extension Dependency {
    /// None declared.
    public static var dependencies: [any Dependency.Type] { [] }
}

/// The dependency graph's cycles, found from the declared ``Dependency/dependencies``.
public enum DependencyGraph {
    /// The first cycle reachable from `roots`, as the names along it (the first repeated at
    /// the end), or nil when there is none.
    public static func cycle(from roots: [any Dependency.Type]) -> [String]? {
        var done: Set<ObjectIdentifier> = []
        var path: [(key: ObjectIdentifier, name: String)] = []
        func visit(_ type: any Dependency.Type) -> [String]? {
            let key = ObjectIdentifier(type)
            if let start = path.firstIndex(where: { $0.key == key }) {
                return path[start...].map(\.name) + [String(describing: type)]
            }
            guard !done.contains(key) else { return nil }
            path.append((key, String(describing: type)))
            for next in type.dependencies {
                if let cycle = visit(next) { return cycle }
            }
            path.removeLast()
            done.insert(key)
            return nil
        }
        for root in roots {
            if let cycle = visit(root) { return cycle }
        }
        return nil
    }
}

/// A dependency with one value for the whole application — a connection pool, settings, a
/// client — started once before the server accepts requests and stopped after the last one,
/// in the reverse order of starting.
///
/// ```swift
/// enum Pool: ApplicationDependency {
///     static func start(in application: ApplicationDependencies) async throws -> ConnectionPool {
///         try await ConnectionPool(path: try await application.value(of: Settings.self).databasePath)
///     }
///     static func stop(_ pool: ConnectionPool) async throws { try await pool.close() }
/// }
/// ```
///
/// Requests (and request dependencies) read it like any dependency: `scope.resolve(Pool.self)`.
public protocol ApplicationDependency: Dependency {
    /// What the application holds (and operations receive); inferred from ``start(in:)``.
    associatedtype Value

    /// Creates the value, once, at start-up (or on first use when nothing started the
    /// application's dependencies, as in an in-process test); may use other application
    /// dependencies, which then start first.
    static func start(in application: ApplicationDependencies) async throws -> Value

    /// Releases the value at shutdown (the default does nothing).
    static func stop(_ value: Value) async throws
}

extension ApplicationDependency {
    /// Does nothing.
    public static func stop(_ value: Value) async throws {}

    /// The application's value.
    public static func resolve(in scope: DependencyScope) async throws -> Value {
        try await scope.application.value(of: Self.self)
    }
}

/// A type that is its own application dependency: one value of it, made with `init()` at
/// start-up, for the whole application — an in-memory store, a cache, a rate limiter.
///
/// ```swift
/// actor OrderStore: ApplicationSingleton {
///     private var orders: [Int: Order] = [:]
///     func find(_ id: Int) -> Order? { orders[id] }
/// }
/// ```
///
/// The declaration names the type itself (`"store": {"type": "OrderStore"}`), and handlers get
/// the application's `OrderStore` (`input.store`). A value that needs other dependencies to be
/// made, or that must be released at shutdown, is an ``ApplicationDependency`` instead.
public protocol ApplicationSingleton: ApplicationDependency where Value == Self {
    /// Makes the application's value, once.
    init() async throws
}

extension ApplicationSingleton {
    /// `Self()`.
    public static func start(in application: ApplicationDependencies) async throws -> Self { try await Self() }
}

/// Two dependencies that need each other (directly or through others): the request cannot
/// be served; the runtime answers 500 and logs the cycle.
public struct DependencyCycleError: Error, Sendable, CustomStringConvertible {
    /// The dependencies of the cycle, in the order they asked for each other.
    public var cycle: [String]

    /// "dependency cycle: A → B → A".
    public var description: String { "dependency cycle: " + cycle.joined(separator: " → ") }
}
