internal import Foundation
internal import Synchronization

/// Notices when Swift's cooperative thread pool — where handlers run — stops running tasks
/// because handlers block its threads, and reports it with the operations in flight.
///
/// While requests are in flight, a heartbeat task beats every quarter of the threshold and
/// a watcher on a thread of its own (which blocking cannot starve) checks the beats; a gap
/// longer than the threshold is reported once, naming each operation in flight and for how
/// long. It costs a lock per request and nothing when no request is in flight; it is on in
/// debug builds (see ``TrellisConfiguration/stallThreshold``).
final class StallDetector: Sendable {
    private struct State {
        var inFlight: [UInt64: (operation: String, since: ContinuousClock.Instant)] = [:]
        var nextID: UInt64 = 0
        var watching = false
        var lastBeat = ContinuousClock.now
        var reported = false
    }

    let threshold: Duration
    private let report: @Sendable (String) -> Void
    private let state = Mutex(State())

    init(threshold: Duration, report: @escaping @Sendable (String) -> Void) {
        self.threshold = threshold
        self.report = report
    }

    /// Records that `operation` started; starts watching if nothing was in flight.
    func begin(_ operation: String) -> UInt64 {
        let now = ContinuousClock.now
        let (id, start) = state.withLock { state in
            let id = state.nextID
            state.nextID &+= 1
            state.inFlight[id] = (operation, now)
            guard !state.watching else { return (id, false) }
            state.watching = true
            state.lastBeat = now
            state.reported = false
            return (id, true)
        }
        if start { startWatching() }
        return id
    }

    /// Records that a request ended.
    func end(_ id: UInt64) {
        state.withLock { state in _ = state.inFlight.removeValue(forKey: id) }
    }

    private func startWatching() {
        let beat = threshold / 4
        Task.detached { [self] in  // at the priority of requests: queued behind them, as a request would be
            while state.withLock({ state in
                state.lastBeat = .now
                return state.watching
            }) {
                try? await Task.sleep(for: beat)
            }
        }
        let thread = Thread { [self] in watch() }
        thread.name = "trellis-stall-detector"
        thread.start()
    }

    /// The watcher's loop: until no request is in flight.
    private func watch() {
        let interval = Double((threshold / 4).components.seconds) + Double((threshold / 4).components.attoseconds) / 1e18
        while true {
            Thread.sleep(forTimeInterval: interval)
            let message: String? = state.withLock { state in
                guard !state.inFlight.isEmpty else {
                    state.watching = false
                    return nil
                }
                let now = ContinuousClock.now
                let gap = now - state.lastBeat
                guard gap > threshold else {
                    state.reported = false
                    return nil
                }
                guard !state.reported else { return nil }
                state.reported = true
                let operations = state.inFlight.values.sorted { $0.since < $1.since }
                    .map { "\($0.operation) for \(Self.milliseconds(now - $0.since)) ms" }
                return "Swift's cooperative thread pool ran nothing for \(Self.milliseconds(gap)) ms: a handler is blocking a thread "
                    + "(run blocking work with runBlocking). In flight: " + operations.joined(separator: ", ")
            }
            if let message { report(message) }
            if !state.withLock({ $0.watching }) { return }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
