// The example: the bench API (../shared/bench/API.md), declared in ./schemas, and the
// animal shelter (SQLite, staff keys, background tasks, server-sent events), declared in
// ./schemas/shelter and implemented in Sources/Shelter.
//
//     swift run Petstore                      # serves on 127.0.0.1:8080, docs at /docs
//     PORT=9000 THREADS=1 swift run Petstore  # or --host, --port, --threads
//     swift run -c release Petstore --bench-client 2000  # a typed-client call's cost, in process
//     DATABASE_URL=postgres://… swift run Petstore        # the shelter in PostgreSQL
//     OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 swift run Petstore  # traces over OTLP
import Foundation
import Shelter
import Trellis

if ProcessEnvironment.variables["TRELLIS_EVENT_LOOP_EXECUTOR"] == "1" {
    TrellisApplication.runTasksOnEventLoops(threads: TrellisConfiguration.fromEnvironment().threads)
}
do {
    if let calls = ClientBenchmark.requestedCalls {
        try await ClientBenchmark.run(calls: calls)
        exit(0)
    }
    var configuration = TrellisConfiguration.fromEnvironment()
    // Metrics on by default (TRELLIS_METRICS_PATH= turns them off): requests and the shelter's pool.
    if ProcessEnvironment.variables["TRELLIS_METRICS_PATH"] == nil { configuration.metricsPath = "/metrics" }
    // Traces when an OTLP endpoint is set (Telemetry.swift).
    let environment = ProcessInfo.processInfo.environment
    let traces = ExampleTelemetry.isRequested(by: environment)
    if traces {
        ExampleTelemetry.bootstrapLogging()
        configuration.tracing = true
    }
    var app = try TrellisApplication(configuration: configuration, services: PetstoreImplementation(), ShelterImplementation())
    if traces { app.addService(try ExampleTelemetry.bootstrapTracing(environment: environment)) }
    try await app.run()
} catch {
    FileHandle.standardError.write(Data("Petstore: \(error)\n".utf8))
    exit(1)
}
