/// Something the service needs in order to serve — a database, another service — that can
/// say whether it is reachable now.
///
/// The value of an application dependency that conforms is asked by the readiness endpoint
/// (`/readyz`) once the application has started it: the endpoint answers 503 while any check
/// throws or takes longer than the configured timeout, so that a load balancer sends requests
/// to other replicas. Checks run at most once per cache period, however often the balancer asks.
///
/// ```swift
/// extension DatabasePool: ReadinessCheck {
///     func checkReadiness() async throws { try await query("SELECT 1") }
/// }
/// ```
public protocol ReadinessCheck: Sendable {
    /// Returns when the dependency can serve; throws (a short, safe description) when it cannot.
    func checkReadiness() async throws
}
