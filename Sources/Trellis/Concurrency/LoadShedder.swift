internal import Synchronization

/// Bounds the requests being answered at once (``TrellisConfiguration/maxRequestsInFlight``):
/// past the bound a request is refused at once with `503` and `Retry-After`, before any of it
/// is read, instead of queueing behind the others — under overload the requests that are
/// accepted keep their latency, the others learn to come back, and the server recovers as
/// soon as the load drops. Two relaxed atomic operations a request.
final class LoadShedder: Sendable {
    /// The most requests in flight.
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether one more request may start; if so, ``finish()`` must follow its answer.
    func admit() -> Bool {
        if inFlight.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func finish() {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
    }
}
