internal import Synchronization

/// The application's singletons (``ApplicationDependency``): each started once — at start-up
/// by the runtime, or on first use — and stopped at shutdown in the reverse order of
/// starting, so that a dependency stops before those it was started from.
public final class ApplicationDependencies: Sendable {
    private struct State {
        /// Values given instead of starting (overrides in tests): never started nor stopped.
        var presets: [ObjectIdentifier: any Sendable] = [:]
        var values: [ObjectIdentifier: any Sendable] = [:]
        var starting: [ObjectIdentifier: Task<any Sendable, any Error>] = [:]
        /// How to stop each started value, in the order they finished starting.
        var stops: [(name: String, stop: @Sendable () async throws -> Void)] = []
        /// The names of the values and presets, for the readiness endpoint's answer.
        var names: [ObjectIdentifier: String] = [:]
    }

    private let state = Mutex(State())

    /// The dependencies being started by the current task, outermost first (to report a
    /// cycle instead of waiting for ever).
    @TaskLocal private static var underway: [(key: ObjectIdentifier, name: String)] = []

    /// No dependency started yet.
    public init() {}

    /// The value of `type`, started if it is not yet (once, however many ask at the same time).
    /// - Throws: What its `start(in:)` throws, or ``DependencyCycleError``.
    public func value<D: ApplicationDependency>(of type: D.Type) async throws -> D.Value {
        let key = ObjectIdentifier(type)
        let name = String(describing: type)
        if let start = Self.underway.firstIndex(where: { $0.key == key }) {
            throw DependencyCycleError(cycle: Self.underway[start...].map(\.name) + [name])
        }
        let (found, task): ((any Sendable)?, Task<any Sendable, any Error>?) = state.withLock { state in
            if let value = state.presets[key] ?? state.values[key] { return (value, nil) }
            if let task = state.starting[key] { return (nil, task) }
            let chain = Self.underway + [(key, name)]
            let task = Task<any Sendable, any Error> {
                try await Self.$underway.withValue(chain) { try await D.start(in: self) }
            }
            state.starting[key] = task
            return (nil, task)
        }
        let value: any Sendable
        if let found {
            value = found
        } else if let task {
            do {
                value = try await task.value
            } catch {
                state.withLock { state in state.starting[key] = nil }  // a later use tries again
                throw error
            }
            state.withLock { state in
                guard state.values[key] == nil else { return }
                state.values[key] = value
                state.names[key] = name
                state.starting[key] = nil
                state.stops.append(
                    (
                        name,
                        {
                            if let typed = value as? D.Value { try await D.stop(typed) }
                        }
                    ))
            }
        } else {
            throw DependencyCycleError(cycle: [name])  // unreachable: the lock returns one of the two
        }
        guard let typed = value as? D.Value else { throw DependencyTypeError(dependency: name, found: value) }
        return typed
    }

    /// Uses `value` for the dependency `type` instead of starting it (and never stops it):
    /// how an application-wide override reaches other application dependencies and
    /// WebSocket sessions.
    public func preset<D: Dependency>(_ type: D.Type, value: D.Value) {
        state.withLock { state in
            state.presets[ObjectIdentifier(type)] = value
            state.names[ObjectIdentifier(type)] = String(describing: type)
        }
    }

    /// Starts every one of `types` (and what they use), in order.
    public func start(_ types: [any ApplicationDependency.Type]) async throws {
        for type in types { try await startOne(type) }
    }

    private func startOne<D: ApplicationDependency>(_ type: D.Type) async throws {
        _ = try await value(of: type)
    }

    /// Stops every started dependency, the last started first, each even when one before it
    /// throws; returns what they threw, with the dependency's name. Afterwards a use starts
    /// the dependency again.
    @discardableResult
    public func stop() async -> [(dependency: String, error: any Error)] {
        let stops = state.withLock { state in
            defer {
                state.stops.removeAll()
                state.values.removeAll()
            }
            return state.stops
        }
        var failures: [(dependency: String, error: any Error)] = []
        for (name, stop) in stops.reversed() {
            do { try await stop() } catch { failures.append((name, error)) }
        }
        return failures
    }

    /// The started (or preset) values that are a ``ReadinessCheck``, with their dependency's
    /// name, in the order of the names.
    package func readinessChecks() -> [(dependency: String, check: any ReadinessCheck)] {
        state.withLock { state in
            var checks: [(dependency: String, check: any ReadinessCheck)] = []
            for (key, value) in state.values.merging(state.presets, uniquingKeysWith: { _, preset in preset }) {
                if let check = value as? any ReadinessCheck { checks.append((state.names[key] ?? "?", check)) }
            }
            return checks.sorted { $0.dependency < $1.dependency }
        }
    }
}
