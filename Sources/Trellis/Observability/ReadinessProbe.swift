internal import Logging
internal import Synchronization
internal import TrellisCore

/// The readiness endpoint's checks: every started application dependency whose value is a
/// `ReadinessCheck`, and those added with ``TrellisApplication/addReadinessCheck(_:_:)``,
/// run together, each bounded by a timeout, at most once per cache period (concurrent probes
/// share one run).
final class ReadinessProbe: Sendable {
    typealias Check = (name: String, run: @Sendable () async throws -> Void)

    private struct State {
        var checks: [Check] = []
        var last: (at: ContinuousClock.Instant, failing: [String])?
        var running: Task<[String], Never>?
    }

    private let state = Mutex(State())
    private let timeout: Duration
    private let cacheDuration: Duration
    private let logger = Logger(label: "trellis.readiness")

    init(timeout: Duration, cacheDuration: Duration) {
        self.timeout = timeout
        self.cacheDuration = cacheDuration
    }

    /// Adds a check of the application's own.
    func add(_ name: String, _ check: @escaping @Sendable () async throws -> Void) {
        state.withLock { $0.checks.append((name, check)) }
    }

    /// The names of the checks that fail now (empty: ready).
    func failing(_ dependencies: ApplicationDependencies) async -> [String] {
        let now = ContinuousClock.now
        let task: Task<[String], Never> = state.withLock { state in
            if let last = state.last, last.at.duration(to: now) < cacheDuration { return Task { last.failing } }
            if let running = state.running { return running }
            let checks =
                state.checks
                + dependencies.readinessChecks().map { dependency, check in
                    (dependency, { @Sendable in try await check.checkReadiness() })
                }
            let running = Task { [timeout, logger] in
                await withTaskGroup(of: String?.self) { group in
                    for check in checks {
                        group.addTask {
                            guard let problem = await Self.run(check.run, within: timeout) else { return nil }
                            logger.warning("not ready: \(check.name): \(problem)")
                            return check.name
                        }
                    }
                    var failing: [String] = []
                    for await name in group { if let name { failing.append(name) } }
                    return failing.sorted()
                }
            }
            state.running = running
            return running
        }
        let failing = await task.value
        state.withLock { state in
            if state.running == task {
                state.running = nil
                state.last = (ContinuousClock.now, failing)
            }
        }
        return failing
    }

    /// nil when `check` returns within `timeout`; otherwise what went wrong. A check that
    /// ignores its cancellation is left to finish on its own: the probe does not wait for it.
    private static func run(_ check: @escaping @Sendable () async throws -> Void, within timeout: Duration) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let answer = FirstAnswer(continuation)
            let work = Task {
                do {
                    try await check()
                    answer.give(nil)
                } catch {
                    answer.give(String(describing: error))
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give("no answer within \(timeout)")
                work.cancel()
            }
        }
    }
}

/// Resumes a continuation with the first answer given, and ignores the others.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<String?, Never>?>

    init(_ continuation: CheckedContinuation<String?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ answer: String?) {
        continuation.withLock { $0.take() }?.resume(returning: answer)
    }
}
