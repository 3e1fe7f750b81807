import Foundation
import Logging
import OTel
import ServiceLifecycle

/// The example's traces: exported over OTLP/HTTP by swift-otel when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set — a span per
/// request and per database call, continuing an incoming `traceparent` — and every log line
/// then carries `trace_id` and `span_id`. The other `OTEL_*` variables of the OpenTelemetry
/// specification apply (`OTEL_SERVICE_NAME`, default `trellis-example`;
/// `OTEL_EXPORTER_OTLP_PROTOCOL`, `http/protobuf` by default or `http/json`; `OTEL_BSP_*`,
/// `OTEL_TRACES_SAMPLER`). Metrics stay Prometheus' at `/metrics`.
enum ExampleTelemetry {
    /// Whether `environment` asks for traces.
    static func isRequested(by environment: [String: String]) -> Bool {
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].contains { environment[$0]?.isEmpty == false }
    }

    /// Bootstraps swift-otel's tracer (process-wide, once) and returns the service that exports
    /// its spans, to run beside the server.
    static func bootstrapTracing(environment: [String: String]) throws -> some Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "trellis-example"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.otlpExporter.protocol = .httpProtobuf  // this build has no gRPC exporter
        return try OTel.bootstrap(configuration: configuration, environment: environment)
    }

    /// Log lines to standard output with the current span's `trace_id` and `span_id`.
    static func bootstrapLogging() {
        LoggingSystem.bootstrap(
            { label, provider in StreamLogHandler.standardOutput(label: label, metadataProvider: provider) },
            metadataProvider: OTel.makeLoggingMetadataProvider())
    }
}
