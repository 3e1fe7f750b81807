internal import HTTPTypes
internal import HummingbirdWebSocket
internal import Logging
internal import NIOCore
internal import NIOWebSocket
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// Serves a generated WebSocket route on an upgraded connection: every text message is
/// parsed and validated against the route's `receive` schema; one that fails is answered
/// `{"type": "error", "detail": [...]}` (FastAPI's issue shape, `loc` starting with
/// `message`) and never reaches the handler.
final class WebSocketConnection: WebSocketTransport, @unchecked Sendable {
    // Safety: `iterator` is used by one reader at a time — the session's message loop —
    // which `WebSocketSession.Messages` guarantees by iterating sequentially.
    private var iterator: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter
    private let validator: Validator
    private let maxDepth: Int
    let application: ApplicationDependencies
    /// The scope the route's security was verified in, with the identities; nil when open.
    private let scope: DependencyScope?

    init(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, validator: Validator, maxSize: Int, maxDepth: Int,
        application: ApplicationDependencies, scope: DependencyScope?
    ) {
        self.scope = scope
        self.iterator = inbound.messages(maxSize: maxSize).makeAsyncIterator()
        self.outbound = outbound
        self.validator = validator
        self.maxDepth = maxDepth
        self.application = application
    }

    func receive() async throws -> JSONValue? {
        while let message = try await iterator.next() {
            guard case .text(let text) = message else {
                try await refuse(.string("binary messages are not accepted: send JSON text"))
                continue
            }
            let document: JSONDocument
            do {
                document = try JSONDocument(parsing: text, options: JSONParseOptions(maxDepth: maxDepth))
            } catch {
                let issue = ValidationIssue(
                    type: "json_invalid", loc: [.string("message"), .integer(Int64(error.offset))], msg: "JSON decode error", input: nil,
                    ctx: JSONObject([("error", .string(error.reason)), ("line", .integer(Int64(error.line))), ("column", .integer(Int64(error.column)))]))
                try await refuse(.array([issue.json]))
                continue
            }
            let errors = validator.validate(document.root)
            guard errors.isEmpty else {
                try await refuse(.array(errors.map { ValidationIssue($0, prefix: [.string("message")]).json }))
                continue
            }
            return document.root
        }
        return nil
    }

    private func refuse(_ detail: JSON) async throws {
        var writer = JSONWriter()
        writer.write(["type": "error", "detail": detail])
        try await outbound.write(.text(String(decoding: writer.bytes, as: UTF8.self)))
    }

    func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value? { scope?.identity(verifier) }

    func send(text: String) async throws {
        try await outbound.write(.text(text))
    }

    func close() async throws {
        try await outbound.close(.normalClosure, reason: nil)
    }
}
