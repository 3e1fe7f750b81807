// Whole requests through the framework, in process (no socket, no HTTP parsing): what
// Trellis adds on top of Hummingbird for each request of the bench API, next to a
// Hummingbird router answering GET /plaintext with a closure, as a hand-written server does.
import Benchmark
import BenchmarkModels
import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import Trellis

func wholeRequestBenchmarks() {
    var configuration = TrellisConfiguration()
    configuration.logLevel = .warning
    let application = try! TrellisApplication(configuration: configuration, services: BenchPetstore())
    let trellis = application.responder
    nonisolated(unsafe) let channel = EmbeddedChannel()  // only read, by one benchmark at a time
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    let trellisContext = { TrellisRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger)) }

    let router = Router()
    router.get("/plaintext") { _, _ in "Hello, World!" }
    let hummingbird = router.buildResponder()
    let hummingbirdContext = { BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger)) }

    let valid = Array(#"{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}"#.utf8)
    let invalid = Array(#"{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}"#.utf8)

    Benchmark("Request GET /plaintext, in process (Hummingbird router, closure)") { benchmark in
        for _ in benchmark.scaledIterations { try await send(hummingbird, .get, "/plaintext", expect: .ok, makeContext: hummingbirdContext) }
    }
    let requests: [(String, HTTPRequest.Method, String, [UInt8]?, HTTPResponse.Status)] = [
        ("GET /plaintext", .get, "/plaintext", nil, .ok),
        ("GET /pets/7", .get, "/pets/7", nil, .ok),
        ("GET /pets?limit=100", .get, "/pets?limit=100", nil, .ok),
        ("POST /pets (valid)", .post, "/pets", valid, .created),
        ("POST /pets (invalid)", .post, "/pets", invalid, .unprocessableContent),
    ]
    for request in requests {
        Benchmark("Request \(request.0), in process (Trellis)") { benchmark in
            for _ in benchmark.scaledIterations {
                try await send(trellis, request.1, request.2, body: request.3, expect: request.4, makeContext: trellisContext)
            }
        }
    }
}
