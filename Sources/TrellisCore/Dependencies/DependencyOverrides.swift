/// Replacements for dependencies, for tests: an override's value is what every operation
/// and dependency that asks for the dependency gets, and the dependency's own `resolve(in:)`
/// does not run.
///
/// Overrides apply either to one application (`TrellisApplication.overrideDependencies`
/// in the runtime), or to the requests sent from one task with ``with(_:operation:)``: a
/// task-local value, so tests running in parallel never see each other's overrides.
///
/// ```swift
/// var overrides = DependencyOverrides()
/// overrides.override(CurrentUser.self, value: User(id: 1, name: "test"))
/// try await DependencyOverrides.with(overrides) {
///     #expect(try await client.get("/me").status == .ok)   // in-process client
/// }
/// ```
public struct DependencyOverrides: Sendable {
    /// The overrides of the current task (see ``with(_:operation:)``).
    @TaskLocal public static var current = DependencyOverrides()

    private var resolvers: [ObjectIdentifier: @Sendable (DependencyScope) async throws -> any Sendable] = [:]

    /// No overrides.
    public init() {}

    /// Whether there are none.
    public var isEmpty: Bool { resolvers.isEmpty }

    /// Replaces `type` with `resolve`, which may use the scope like a dependency does.
    public mutating func override<D: Dependency>(_ type: D.Type, with resolve: @escaping @Sendable (DependencyScope) async throws -> D.Value) {
        resolvers[ObjectIdentifier(type)] = { scope in try await resolve(scope) }
    }

    /// Replaces `type` with a fixed value.
    public mutating func override<D: Dependency>(_ type: D.Type, value: D.Value) {
        resolvers[ObjectIdentifier(type)] = { _ in value }
    }

    /// Runs `operation` with these overrides added to (and taking precedence over) the
    /// current task's; requests served in process from that task see them.
    public static func with<Result>(_ overrides: DependencyOverrides, operation: () async throws -> Result) async rethrows -> Result {
        var merged = current
        merged.resolvers.merge(overrides.resolvers) { _, new in new }
        return try await $current.withValue(merged, operation: operation)
    }

    func resolver(for key: ObjectIdentifier) -> (@Sendable (DependencyScope) async throws -> any Sendable)? {
        resolvers.isEmpty ? nil : resolvers[key]
    }
}
