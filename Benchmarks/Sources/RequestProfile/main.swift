// Sends one request of the bench API to the example's Trellis responder in process, over and
// over, so that a profiler sees Trellis's part of a request without the network:
//
//     swift build -c release --product RequestProfile
//     perf record -g .build/release/RequestProfile post-valid 200000
//
// Requests: plaintext, get-pet, list-pets, post-valid, post-invalid.
import BenchmarkModels
import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import Trellis

let arguments = CommandLine.arguments.dropFirst()
let scenario = arguments.first ?? "get-pet"
let count = arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
let valid = Array(#"{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}"#.utf8)
let invalid = Array(#"{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}"#.utf8)
let requests: [String: (HTTPRequest.Method, String, [UInt8]?, HTTPResponse.Status)] = [
    "plaintext": (.get, "/plaintext", nil, .ok),
    "get-pet": (.get, "/pets/7", nil, .ok),
    "list-pets": (.get, "/pets?limit=100", nil, .ok),
    "post-valid": (.post, "/pets", valid, .created),
    "post-invalid": (.post, "/pets", invalid, .unprocessableContent),
]
guard let (method, path, body, status) = requests[scenario] else {
    FileHandle.standardError.write(Data("unknown request \(scenario); one of \(requests.keys.sorted())\n".utf8))
    exit(2)
}
var configuration = TrellisConfiguration()
configuration.logLevel = .warning
let responder = try TrellisApplication(configuration: configuration, services: BenchPetstore()).responder
nonisolated(unsafe) let channel = EmbeddedChannel()
var logger = Logger(label: "profile")
logger.logLevel = .warning
// Off the main actor, so that no request hops between it and the global executor.
let elapsed = try await Task.detached { [logger] in
    let start = ContinuousClock.now
    for _ in 0..<count {
        try await send(responder, method, path, body: body, expect: status) {
            TrellisRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        }
    }
    return ContinuousClock.now - start
}.value
print("\(scenario): \(count) requests, \(elapsed / count) each")
