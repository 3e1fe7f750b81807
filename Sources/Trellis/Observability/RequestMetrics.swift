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

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Records one answered request.
    func record(operation: String, method: String, status: Int, duration: Duration) {
        let code = String(status)
        registry.makeCounter(
            name: "http_requests_total", labels: [("operation", operation), ("method", method), ("status", code)],
            help: "Requests answered, by operation, method and status."
        ).increment()
        registry.makeDurationHistogram(
            name: "http_request_duration_seconds", labels: [("operation", operation), ("status", code)], buckets: Self.buckets,
            help: "Time from the request's head to its answer, by operation and status."
        ).record(duration)
    }

    /// The in-flight gauge of `operation`.
    func inFlight(_ operation: String) -> Gauge {
        registry.makeGauge(name: "http_requests_in_flight", labels: [("operation", operation)], help: "Handlers running, by operation.")
    }

    /// The registry in Prometheus' text format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
