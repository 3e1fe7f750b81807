internal import Synchronization

/// Cancels the requests that outlive ``TrellisConfiguration/requestTimeout``, with one ticker
/// for all of them. (A timer and a child task per request, the obvious way, cost a quarter
/// or more of the example's throughput.)
///
/// A request runs in a child task of the task that serves its connection; the watchdog
/// registers the child for the request's duration and cancels it once the deadline has
/// passed (within a tenth of the timeout, at most a second late). Cancellation is
/// cooperative: the handler stops at its next suspension point; the request is then
/// answered 503.
final class RequestWatchdog: Sendable {
    /// A task registered while it serves a request. The watchdog only touches it under the
    /// lock and while it is registered, that is while the task is inside ``run(_:)``.
    private struct Handle: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    private struct Entry {
        let deadline: ContinuousClock.Instant
        let handle: Handle
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var expired: Set<UInt64> = []
        var ticking = false
    }

    let timeout: Duration
    private let tick: Duration
    private let state = Mutex(State())

    init(timeout: Duration) {
        self.timeout = timeout
        self.tick = min(max(timeout / 10, .milliseconds(5)), .seconds(1))
    }

    /// Runs `operation` in a child task, cancelling it when it outlives the timeout; a
    /// cancelled operation then ends in ``RequestTimeoutError``. The child starts at once on
    /// the current thread (no hop to another executor), and the task serving the connection
    /// is never cancelled, so the 503 is written and the connection stays open.
    func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addImmediateTask {
                let id = self.register()
                let result: Result<T, any Error>
                do {
                    result = .success(try await operation())
                } catch {
                    result = .failure(error)
                }
                if self.deregister(id) { throw RequestTimeoutError(timeout: self.timeout) }
                return try result.get()
            }
            guard let value = try await group.next() else { throw CancellationError() }
            return value
        }
    }

    private func register() -> UInt64? {
        let deadline = ContinuousClock.now + timeout
        let (id, startTicker) = withUnsafeCurrentTask { task -> (UInt64?, Bool) in
            guard let task else { return (nil, false) }
            return state.withLock { state in
                let id = state.nextID
                state.nextID &+= 1
                state.entries[id] = Entry(deadline: deadline, handle: Handle(task: task))
                defer { state.ticking = true }
                return (id, !state.ticking)
            }
        }
        if startTicker { Task { await self.watch() } }
        return id
    }

    /// Whether the request timed out.
    private func deregister(_ id: UInt64?) -> Bool {
        guard let id else { return false }
        return state.withLock { state in
            state.entries[id] = nil
            return state.expired.remove(id) != nil
        }
    }

    /// Cancels the overdue requests every tick, while there are requests.
    private func watch() async {
        while true {
            try? await Task.sleep(for: tick)
            let more = state.withLock { state in
                let now = ContinuousClock.now
                for (id, entry) in state.entries where entry.deadline <= now && !state.expired.contains(id) {
                    state.expired.insert(id)
                    entry.handle.task.cancel()
                }
                if state.entries.isEmpty { state.ticking = false }
                return state.ticking
            }
            if !more { return }
        }
    }
}
