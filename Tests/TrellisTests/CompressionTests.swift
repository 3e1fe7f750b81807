import CZlib
import HTTPTypes
import Testing
import TrellisJSON
import TrellisTesting

@testable import Petstore
@testable import Trellis

/// Inflates a gzip or zlib stream (window bits 47: either, detected from the header).
func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflate_init(&stream, 47) == Z_OK else { throw InflateError() }
    defer { inflateEnd(&stream) }
    var input = bytes
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    try input.withUnsafeMutableBufferPointer { inputBuffer in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = UInt32(inputBuffer.count)
        while true {
            let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.avail_out))
            }
            output += chunk[..<produced]
            if status == Z_STREAM_END { return }
            guard status == Z_OK, produced > 0 || stream.avail_in > 0 else { throw InflateError() }
        }
    }
    return output
}

struct InflateError: Error {}

@Suite struct CompressionTests {
    func app() throws -> TrellisApplication {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        var app = try TrellisApplication(configuration: configuration, services: PetstoreImplementation(), MisbehavingService())
        app.addMiddleware(CompressionMiddleware())
        return app
    }

    @Test func negotiation() {
        #expect(CompressionMiddleware.negotiate(["gzip, deflate, br"]) == .gzip)
        #expect(CompressionMiddleware.negotiate(["deflate;q=1, gzip;q=0.5"]) == .deflate)
        #expect(CompressionMiddleware.negotiate(["gzip;q=0, deflate"]) == .deflate)
        #expect(CompressionMiddleware.negotiate(["*"]) == .gzip)
        #expect(CompressionMiddleware.negotiate(["identity"]) == nil)
        #expect(CompressionMiddleware.negotiate(["*;q=0"]) == nil)
        #expect(CompressionMiddleware.negotiate([]) == nil)
    }

    @Test(arguments: Transport.allCases) func largeBodiesAreCompressedAsTheClientAsks(over transport: Transport) async throws {
        let app = try app()
        let check: (TrellisTestClient) async throws -> Void = { client in
            let plain = try await client.get("/pets?limit=100")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            for encoding in ["gzip", "deflate"] {
                let compressed = try await client.get("/pets?limit=100", headers: [.acceptEncoding: encoding])
                #expect(compressed.headers[.contentEncoding] == encoding)
                #expect(compressed.body.count < plain.body.count / 4)
                #expect(try inflate(compressed.body) == plain.body)
            }
            // Small bodies stay as they are.
            let small = try await client.get("/pets/7", headers: [.acceptEncoding: "gzip"])
            #expect(small.headers[.contentEncoding] == nil)
            #expect(try small.json()["id"] == 7)
            // Streams are compressed piece by piece.
            let stream = try await client.get("/stream", headers: [.acceptEncoding: "gzip"])
            #expect(stream.headers[.contentEncoding] == "gzip")
            #expect(String(decoding: try inflate(stream.body), as: UTF8.self) == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        }
        switch transport {
        case .inProcess: try await check(TrellisTestClient(app))
        case .socket: try await TrellisTestClient.withLiveServer(app, check)
        }
    }
}
