import Foundation
import Testing
import Trellis

@testable import Petstore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The same answers through a real socket.
@Suite struct LiveSocketTests {
    @Test func servesOverTCP() async throws {
        var configuration = TrellisConfiguration()
        configuration.port = 0
        configuration.threads = 1
        let app = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.serve(onServerRunning: { continuation.yield($0) }) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let base = "http://127.0.0.1:\(port)"

            let (data, response) = try await URLSession.shared.data(from: URL(string: base + "/pets/7")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("\"name\":\"pet-7\""))

            var request = URLRequest(url: URL(string: base + "/pets")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"name":"","age":300,"status":"lost"}"#.utf8)
            let (body, invalid) = try await URLSession.shared.data(for: request)
            #expect((invalid as? HTTPURLResponse)?.statusCode == 422)
            #expect(String(decoding: body, as: UTF8.self).contains("less_than_equal"))
            group.cancelAll()
        }
    }
}
