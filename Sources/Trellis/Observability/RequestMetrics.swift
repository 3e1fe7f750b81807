internal import Prometheus

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

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Records one answered request.
    func record(operation: String, method: String, status: Int, duration: Duration) {
        let code = String(status)
        registry.makeCounter(descriptor: Self.requests, labels: [("operation", operation), ("method", method), ("status", code)]).increment()
        registry.makeDurationHistogram(descriptor: Self.durations, labels: [("operation", operation), ("status", code)], buckets: Self.buckets)
            .record(duration)
    }

    /// The in-flight gauge of `operation`.
    func inFlight(_ operation: String) -> Gauge {
        registry.makeGauge(descriptor: Self.running, labels: [("operation", operation)])
    }

    /// The registry in Prometheus' text format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
