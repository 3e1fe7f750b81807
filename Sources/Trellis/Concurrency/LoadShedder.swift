internal import Synchronization

/// Bounds the requests in flight (``TrellisConfiguration/maxRequestsInFlight``): past the bound
/// a request is refused at once with `503` and `Retry-After` instead of queueing behind the
/// others — under overload the requests that are accepted keep their latency, the others
/// learn to come back, and the server recovers as soon as the load drops.
///
/// Two counts, each bounded: the requests whose handlers run (``admit()``/``finish()``, around
/// the responder), and, over a socket, the connections with a request read and not yet
/// answered (``arrived()``/``left(_:)``, from ``RequestProgressHandler``; a connection counts
/// once however many requests it pipelines). The second is the one that
/// matters under overload: requests read from thousands of connections wait for the
/// cooperative pool before any handler runs, and only it sees them. A few relaxed atomic
/// operations a request.
final class LoadShedder: Sendable {
    /// The most requests in flight.
    let limit: Int
    private let running = Atomic<Int>(0)
    private let unanswered = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether one more request may start its handler; if so, ``finish()`` must follow its
    /// answer. False when too many handlers run, or too many requests read over the
    /// connections wait for their answers.
    func admit() -> Bool {
        guard unanswered.load(ordering: .relaxed) <= limit else { return false }
        if running.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        running.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func finish() {
        running.wrappingSubtract(1, ordering: .relaxed)
    }

    /// A request's head has been read from a connection.
    func arrived() {
        unanswered.wrappingAdd(1, ordering: .relaxed)
    }

    /// `count` requests read from a connection have been answered (or the connection closed).
    func left(_ count: Int) {
        unanswered.wrappingSubtract(count, ordering: .relaxed)
    }
}
