internal import Prometheus
internal import Synchronization

/// What the runtime measures of every request when ``TrellisConfiguration/metricsPath`` is
/// set, in Prometheus' names and served in its text format at that path:
///
/// - `http_requests_total{operation, method, status}`: a counter;
/// - `http_request_duration_seconds{operation, status}`: a histogram, 1 ms to 10 s;
/// - `http_requests_in_flight{operation}`: a gauge of the handlers running.
///
/// `operation` is the operationId, or `-` for what no operation answered (404, 405, docs).
/// The registry is the application's (``TrellisApplication/metricsRegistry``): add metrics of
/// your own to it, or make it swift-metrics' backend with
/// `MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: app.metricsRegistry))`.
final class RequestMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    // Computed: the descriptor type is not `Sendable`, so it cannot be a stored static.
    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "total", helpText: "Requests answered, by operation, method and status.")
    }
    private static var durations: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration", unitName: "seconds", helpText: "Time from the request's head to its answer, by operation and status.")
    }
    private static var running: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "in_flight", helpText: "Handlers running, by operation.")
    }

    /// The series already made, by their labels: the registry makes a series by hashing its
    /// name and labels under its lock, which cost a quarter of the smallest requests' throughput.
    private let series = Mutex<[SeriesKey: (requests: Counter, durations: DurationHistogram)]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])

    private struct SeriesKey: Hashable {
        let operation: String
        let method: String
        let status: Int
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Records one answered request.
    func record(operation: String, method: String, status: Int, duration: Duration) {
        let key = SeriesKey(operation: operation, method: method, status: status)
        let found = series.withLock { $0[key] }
        let (requests, durations) = found ?? makeSeries(key)
        requests.increment()
        durations.record(duration)
    }

    private func makeSeries(_ key: SeriesKey) -> (requests: Counter, durations: DurationHistogram) {
        let code = String(key.status)
        let made = (
            requests: registry.makeCounter(descriptor: Self.requests, labels: [("operation", key.operation), ("method", key.method), ("status", code)]),
            durations: registry.makeDurationHistogram(
                descriptor: Self.durations, labels: [("operation", key.operation), ("status", code)], buckets: Self.buckets)
        )
        series.withLock { $0[key] = made }
        return made
    }

    /// The in-flight gauge of `operation`.
    func inFlight(_ operation: String) -> Gauge {
        if let gauge = gauges.withLock({ $0[operation] }) { return gauge }
        let gauge = registry.makeGauge(descriptor: Self.running, labels: [("operation", operation)])
        gauges.withLock { $0[operation] = gauge }
        return gauge
    }

    /// The registry in Prometheus' text format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
