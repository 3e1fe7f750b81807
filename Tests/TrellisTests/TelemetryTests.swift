import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import Trellis
import TrellisJSON
import TrellisTesting

@testable import Petstore
@testable import Shelter

/// The example's traces, exported for real: swift-otel's OTLP/HTTP exporter (as the example
/// bootstraps it) sends to a receiver in this process, which reads what arrives.
@Suite struct TelemetryTests {
    /// What an OTLP/HTTP receiver got: the spans of every `POST /v1/traces` (JSON encoding).
    final class Receiver: Sendable {
        struct Span: Sendable {
            let traceID: String
            let spanID: String
            let parentSpanID: String
            let name: String
            let kind: Int
            let attributes: [String: String]
        }

        private let spans = Mutex<[Span]>([])
        var received: [Span] { spans.withLock { $0 } }

        func take(_ body: Data) {
            guard let document = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return }
            var found: [Span] = []
            for resource in document["resourceSpans"] as? [[String: Any]] ?? [] {
                for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        var attributes: [String: String] = [:]
                        for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                            guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else { continue }
                            attributes[key] = (value["stringValue"] as? String) ?? (value["intValue"]).map { "\($0)" }
                        }
                        found.append(
                            Span(
                                traceID: Self.hex(span["traceId"]), spanID: Self.hex(span["spanId"]), parentSpanID: Self.hex(span["parentSpanId"]),
                                name: span["name"] as? String ?? "", kind: span["kind"] as? Int ?? 0, attributes: attributes))
                    }
                }
            }
            spans.withLock { $0 += found }
        }

        /// An id as hex: OTLP's JSON says hex, protobuf's JSON mapping writes base64.
        static func hex(_ value: Any?) -> String {
            guard let text = value as? String, !text.isEmpty else { return "" }
            if text.count == 32 || text.count == 16, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
            guard let bytes = Data(base64Encoded: text) else { return text }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    @Test func aRequestAndItsDatabaseCallAreExportedInTheCallersTrace() async throws {
        let receiver = Receiver()
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            receiver.take(Data(body.readableBytesView))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let collector = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) })
        let collecting = Task { try await collector.run() }
        defer { collecting.cancel() }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        // The example's own bootstrap (process-wide: no other test bootstraps a tracer).
        let exporter = try ExampleTelemetry.bootstrapTracing(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            "OTEL_BSP_SCHEDULE_DELAY": "50", "OTEL_SERVICE_NAME": "trellis-test",
        ])
        let exporting = Task { try await exporter.run() }
        defer { exporting.cancel() }

        try await StoreKind.sqlite.withStore { store in
            var configuration = TrellisConfiguration()
            configuration.tracing = true
            var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: store)
            let client = TrellisTestClient(app)
            let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
            let callerSpan = "00f067aa0ba902b7"
            let admitted = try await client.post(
                "/shelter/animals", json: ["name": "Tom", "species": "cat"],
                headers: [HTTPField.Name("X-API-Key")!: "staff-key", HTTPField.Name("traceparent")!: "00-\(traceID)-\(callerSpan)-01"])
            #expect(admitted.status == .created)

            var spans: [Receiver.Span] = []
            let deadline = ContinuousClock.now + .seconds(15)
            repeat {
                try await Task.sleep(for: .milliseconds(100))
                spans = receiver.received.filter { $0.traceID == traceID }
            } while !(spans.contains { $0.name == "INSERT animals" } && spans.contains { $0.kind == 2 }) && ContinuousClock.now < deadline

            let server = try #require(spans.first { $0.kind == 2 }, "no server span among \(receiver.received.map(\.name))")
            #expect(server.name == "POST /shelter/animals")
            #expect(server.parentSpanID == callerSpan)  // the caller's trace, continued
            #expect(server.attributes["http.route"] == "/shelter/animals")
            #expect(server.attributes["http.response.status_code"] == "201")
            #expect(server.attributes["trellis.operation"] == "admitAnimal")
            let insert = try #require(spans.first { $0.name == "INSERT animals" })
            #expect(insert.kind == 3)  // client
            #expect(insert.parentSpanID == server.spanID)
            #expect(insert.attributes["db.system.name"] == "sqlite")
            #expect(insert.attributes["db.query.text"]?.hasPrefix("INSERT INTO animals") == true)
            #expect(spans.contains { $0.name == "COMMIT" && $0.parentSpanID == server.spanID })
        }
    }
}
