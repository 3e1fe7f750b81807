public import Prometheus
public import TrellisCore

/// The application's Prometheus registry (``TrellisApplication/metricsRegistry``), as an
/// application dependency: how another application dependency (a database pool, a client)
/// puts its own metrics beside the request metrics, at ``TrellisConfiguration/metricsPath``.
///
/// ```swift
/// enum Database: ApplicationDependency {
///     static let dependencies: [any Dependency.Type] = [ApplicationMetrics.self]
///     static func start(in application: ApplicationDependencies) async throws -> Pool {
///         Pool(metrics: try await application.value(of: ApplicationMetrics.self))
///     }
/// }
/// ```
public enum ApplicationMetrics: ApplicationDependency {
    /// A registry of its own when no ``TrellisApplication`` provides one (the application
    /// always does).
    public static func start(in application: ApplicationDependencies) async throws -> PrometheusCollectorRegistry {
        PrometheusCollectorRegistry()
    }
}
