import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing
import TrellisJSON

@testable import Trellis

/// The 422 body, written straight to bytes, is the issues' JSON exactly, in both formats.
@Suite struct ErrorBodyTests {
    let issues = [
        ValidationIssue(type: "missing", loc: ["body", "name"], msg: "Field required", input: nil, ctx: nil),
        ValidationIssue(
            type: "string_pattern_mismatch", loc: ["body", "tags", 2], msg: "String should match pattern '^[A-Z]{3}-\\d{4}$'",
            input: "a\"b\u{1}", ctx: JSONObject([("pattern", "^[A-Z]{3}-\\d{4}$")])),
        ValidationIssue(type: "enum", loc: ["query", "status"], msg: "Input should be 'a' or 'b'", input: ["x": [1, 2.5, nil]], ctx: JSONObject()),
    ]

    func body(_ response: Response) async throws -> [UInt8] {
        let sink = Sink()
        try await response.body.write(Collector(sink: sink))
        return sink.bytes.withLock { $0 }
    }

    @Test func fastAPIShape() async throws {
        let response = ErrorBody.validationResponse(issues, format: .fastAPI)
        #expect(response.status == .unprocessableContent)
        #expect(response.headers[.contentType] == "application/json")
        var expected = JSONWriter()
        expected.write(["detail": .array(issues.map(\.json))])
        #expect(try await body(response) == expected.bytes)
    }

    @Test func problemDetailsShape() async throws {
        let response = ErrorBody.validationResponse(issues, format: .problemDetails)
        #expect(response.headers[.contentType] == "application/problem+json")
        var expected = JSONWriter()
        expected.write([
            "type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": "3 validation errors", "errors": .array(issues.map(\.json)),
        ])
        #expect(try await body(response) == expected.bytes)
        var one = JSONWriter()
        one.write(["type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": "1 validation error", "errors": [issues[0].json]])
        #expect(try await body(ErrorBody.validationResponse([issues[0]], format: .problemDetails)) == one.bytes)
    }
}

/// Collects what a response body writes.
struct Collector: ResponseBodyWriter {
    let sink: Sink
    mutating func write(_ buffer: ByteBuffer) async throws { sink.bytes.withLock { $0 += Array(buffer.readableBytesView) } }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

final class Sink: Sendable {
    let bytes = Mutex<[UInt8]>([])
}
