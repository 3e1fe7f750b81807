internal import Synchronization
package import TrellisJSON

/// One request's dependencies: what a ``Dependency`` reads the request from, resolves other
/// dependencies with, and registers its teardown with.
///
/// Every dependency is resolved at most once per request: the first ``resolve(_:)`` runs its
/// ``Dependency/resolve(in:)`` and later ones (from the operation or from other dependencies)
/// get the same value. Resolve dependencies one after the other (not in parallel with
/// `async let`): the scope detects cycles by the dependencies under way.
public final class DependencyScope: Sendable {
    /// The operation being served (its `operationId`).
    public let operationID: String
    /// The request's method (`GET`) and path (`/pets/7`, without the query).
    public let method: String, path: String
    /// The application's dependencies (singletons such as a pool).
    public let application: ApplicationDependencies

    private let request: RequestValues
    private let overrides: DependencyOverrides
    private let state = Mutex(State())

    private struct State {
        var values: [ObjectIdentifier: any Sendable] = [:]
        /// The dependencies being resolved, outermost first.
        var underway: [(key: ObjectIdentifier, name: String)] = []
        var teardowns: [@Sendable ((any Error)?) async throws -> Void] = []
        /// The validated parameters, once they are (a scope made before them, for the
        /// security verifiers, gets them later).
        var parameters: (@Sendable (ParameterKey) -> JSONValue?)?
    }

    /// What the runtime knows of the request, as the scope reads it.
    package struct RequestValues: Sendable {
        /// Every value of a header, by case-insensitive name.
        package var headers: @Sendable (String) -> [String]
        /// Every value of a query parameter, decoded.
        package var query: @Sendable (String) -> [String]
        /// A cookie's value.
        package var cookie: @Sendable (String) -> String?
        /// A validated parameter (declared by the operation or one of its dependencies).
        package var parameter: @Sendable (ParameterKey) -> JSONValue?

        package init(
            headers: @escaping @Sendable (String) -> [String], query: @escaping @Sendable (String) -> [String],
            cookie: @escaping @Sendable (String) -> String?, parameter: @escaping @Sendable (ParameterKey) -> JSONValue?
        ) {
            self.headers = headers
            self.query = query
            self.cookie = cookie
            self.parameter = parameter
        }
    }

    /// A scope for one request (the runtime makes one for every request it serves; tests of
    /// a dependency can make their own).
    package init(
        operationID: String, method: String, path: String, application: ApplicationDependencies, overrides: DependencyOverrides,
        request: RequestValues
    ) {
        self.operationID = operationID
        self.method = method
        self.path = path
        self.application = application
        self.overrides = overrides
        self.request = request
    }

    /// The value of `type` for this request: resolved on first use, then the same value.
    /// An override (``DependencyOverrides``) replaces the dependency's own `resolve(in:)`.
    /// - Throws: What the dependency throws (an `HTTPError` refuses the request), or
    ///   ``DependencyCycleError`` when `type` is already being resolved.
    public func resolve<D: Dependency>(_ type: D.Type) async throws -> D.Value {
        let key = ObjectIdentifier(type)
        let name = String(describing: type)
        let cached: (any Sendable)? = try state.withLock { state in
            if let value = state.values[key] { return value }
            if let start = state.underway.firstIndex(where: { $0.key == key }) {
                throw DependencyCycleError(cycle: state.underway[start...].map(\.name) + [name])
            }
            state.underway.append((key, name))
            return nil
        }
        if let cached {
            guard let value = cached as? D.Value else { throw DependencyTypeError(dependency: name, found: cached) }
            return value
        }
        do {
            let value: D.Value
            if let override = DependencyOverrides.current.resolver(for: key) ?? overrides.resolver(for: key) {
                let produced = try await override(self)
                guard let typed = produced as? D.Value else { throw DependencyTypeError(dependency: name, found: produced) }
                value = typed
            } else {
                value = try await D.resolve(in: self)
            }
            state.withLock { state in
                state.values[key] = value
                state.underway.removeAll { $0.key == key }
            }
            return value
        } catch {
            state.withLock { state in state.underway.removeAll { $0.key == key } }
            throw error
        }
    }

    /// Registers work to run after the handler — releasing a connection, committing or
    /// rolling back a transaction — given the error the request ended with, if any (the
    /// handler's, or another dependency's). Teardowns run in the reverse order of their
    /// registration, after the handler returns or throws and before the response is sent;
    /// each runs even when an earlier one throws.
    public func onTeardown(_ body: @escaping @Sendable (_ error: (any Error)?) async throws -> Void) {
        state.withLock { $0.teardowns.append(body) }
    }

    /// The first value of the header `name` (case-insensitive), as sent.
    public func header(_ name: String) -> String? { request.headers(name).first }

    /// Every value of the header `name` (case-insensitive), as sent.
    public func headers(named name: String) -> [String] { request.headers(name) }

    /// The first value of the query parameter `name`, percent-decoded, as sent.
    public func query(_ name: String) -> String? { request.query(name).first }

    /// The value of the cookie `name`, as sent.
    public func cookie(_ name: String) -> String? { request.cookie(name) }

    /// A parameter the dependency declares (or the operation does), validated against its
    /// schema and decoded; nil when it is absent.
    public func parameter<T: Decodable>(_ name: String, in location: ParameterLocation, as type: T.Type) throws -> T? {
        let lookup = state.withLock { $0.parameters } ?? request.parameter
        guard let value = lookup(ParameterKey(location, name)), !value.isNull else { return nil }
        return try JSONValueDecoder().decode(type, from: value)
    }

    /// Gives the scope the request's validated parameters (made before them, it had none).
    package func provideParameters(_ lookup: @escaping @Sendable (ParameterKey) -> JSONValue?) {
        state.withLock { $0.parameters = lookup }
    }

    /// Stores `value` as the request's value of the dependency with `key` (a verified
    /// identity: resolving its verifier then gives it).
    package func store(_ value: any Sendable, forKey key: ObjectIdentifier) {
        state.withLock { $0.values[key] = value }
    }

    /// Whether `type` is overridden for this request (in tests).
    package func isOverridden<D: Dependency>(_ type: D.Type) -> Bool {
        let key = ObjectIdentifier(type)
        return DependencyOverrides.current.resolver(for: key) != nil || overrides.resolver(for: key) != nil
    }

    /// The value of `type` if this request resolved it, without resolving it.
    package func resolvedValue<D: Dependency>(of type: D.Type) -> D.Value? {
        state.withLock { $0.values[ObjectIdentifier(type)] } as? D.Value
    }

    /// Runs the registered teardowns, last registered first, each even when one before it
    /// throws; returns what they threw.
    package func tearDown(after error: (any Error)?) async -> [any Error] {
        let teardowns = state.withLock { state in
            defer { state.teardowns.removeAll() }
            return state.teardowns
        }
        var failures: [any Error] = []
        for teardown in teardowns.reversed() {
            do { try await teardown(error) } catch { failures.append(error) }
        }
        return failures
    }
}

/// An override or a stored value of the wrong type for its dependency.
public struct DependencyTypeError: Error, Sendable, CustomStringConvertible {
    /// The dependency.
    public var dependency: String
    /// The type of the value found instead.
    public var found: String

    init(dependency: String, found: any Sendable) {
        self.dependency = dependency
        self.found = String(describing: Swift.type(of: found))
    }

    /// "the override of X produced a Y".
    public var description: String { "the override of \(dependency) produced a \(found), not its value type" }
}
