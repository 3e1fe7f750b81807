internal import Logging
internal import Synchronization

/// The background tasks of an application's requests (`BackgroundTasks`): started once a
/// response has been written, counted so that shutdown can wait for them.
final class BackgroundWork: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `tasks` one after the other in a task of their own; errors are logged with
    /// `logger` (which carries the request id).
    func launch(_ tasks: [@Sendable () async throws -> Void], logger: Logger, operation: String) {
        guard !tasks.isEmpty else { return }
        state.withLock { $0.running += 1 }
        Task {
            for task in tasks {
                do {
                    try await task()
                } catch {
                    logger.error("a background task of \(operation) failed: \(String(reflecting: error))")
                }
            }
            self.finished()
        }
    }

    /// How many requests' tasks are running.
    var running: Int { state.withLock { $0.running } }

    private func finished() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func releaseWaiters() {
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when no background task runs, or when `limit` has passed (nil: no limit).
    func waitUntilIdle(within limit: Duration?) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.running == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle {
                continuation.resume()
            } else if let limit {
                // Unstructured, so that a cancelled caller still waits its grace period.
                Task {
                    try? await Task.sleep(for: limit)
                    self.releaseWaiters()
                }
            }
        }
    }
}

/// Where an application is in its life, for the readiness endpoint.
final class Lifecycle: Sendable {
    enum Phase: Sendable {
        /// Not run by `run`/`serve` (in-process tests): requests are served.
        case idle
        /// Starting dependencies and start-up hooks.
        case starting
        /// Serving.
        case serving
        /// Shutting down: requests in flight finish, no new ones are wanted.
        case draining
    }

    private let state = Mutex(Phase.idle)

    var phase: Phase {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
