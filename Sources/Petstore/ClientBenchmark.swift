import Foundation
import Trellis
import TrellisClient
import TrellisTesting

/// `Petstore --bench-client CALLS`: the cost of a call through the example's generated client
/// and ``InProcessTransport`` — the client, the runtime's responder and the handler, no socket —
/// for GET /pets/7 and POST /pets, as `petstore-client URL --bench CALLS` measures it over a
/// socket (the median of 5 rounds of sequential calls, in microseconds). Run by
/// Benchmarks/client/run beside the socket clients and swift-openapi-generator's.
enum ClientBenchmark {
    /// The calls asked for on the command line, or nil when it asks for no benchmark.
    static var requestedCalls: Int? {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: "--bench-client"), index + 1 < arguments.count else { return nil }
        return Int(arguments[index + 1]).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Measures `calls` calls of each operation, five times, and prints the medians.
    static func run(calls: Int) async throws {
        let application = try TrellisApplication(configuration: .fromEnvironment(), services: PetstoreImplementation())
        let client = try PetstoreClient(baseURL: "http://localhost", transport: InProcessTransport(application), validation: .none)
        let newPet = NewPet(name: "Rex", tag: "dog", age: 3, status: .available, tags: ["good"])
        struct NotOK: Error {}
        func microseconds(_ body: () async throws -> Void) async throws -> Double {
            var rounds: [Double] = []
            for _ in 0..<5 {
                let start = ContinuousClock.now
                for _ in 0..<calls { try await body() }
                let elapsed = ContinuousClock.now - start
                rounds.append((Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(calls))
            }
            return rounds.sorted()[2]
        }
        let get = try await microseconds { guard case .ok = try await client.getPet(petId: 7) else { throw NotOK() } }
        let post = try await microseconds { guard case .created = try await client.createPet(body: newPet) else { throw NotOK() } }
        print(String(format: "trellis-client (in-process) get-pet %.1f us/call, post-pet %.1f us/call", get, post))
    }
}
