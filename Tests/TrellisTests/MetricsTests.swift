import HTTPTypes
import Testing
import Trellis
import TrellisJSON
import TrellisTesting

@testable import Petstore

@Suite struct MetricsTests {
    @Test(arguments: Transport.allCases) func requestMetricsInPrometheusFormat(over transport: Transport) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.metricsPath = "/metrics"
        let app = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
        let check: (TrellisTestClient) async throws -> Void = { client in
            _ = try await client.get("/pets/7")
            _ = try await client.get("/pets/7")
            _ = try await client.get("/pets/abc")
            _ = try await client.get("/nowhere")
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = metrics.text
            #expect(text.contains(#"http_requests_total{operation="getPet",method="GET",status="200"} 2"#), "\(text)")
            #expect(text.contains(#"http_requests_total{operation="getPet",method="GET",status="422"} 1"#))
            #expect(text.contains(#"http_requests_total{operation="-",method="GET",status="404"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_count{operation="getPet",status="200"} 2"#))
            #expect(text.contains(#"http_requests_in_flight{operation="getPet"} 0"#))
            #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
        }
        switch transport {
        case .inProcess: try await check(TrellisTestClient(app))
        case .socket: try await TrellisTestClient.withLiveServer(app, check)
        }
    }

    @Test func offByDefault() async throws {
        let client = TrellisTestClient(try TrellisApplication(services: PetstoreImplementation()))
        #expect(try await client.get("/metrics").status == .notFound)
    }
}
