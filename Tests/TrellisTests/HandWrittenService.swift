import TrellisCore

/// A service written by hand for the runtime's tests: its operations as data, and one
/// function that answers them all (generated services bind one typed method per operation).
protocol HandWrittenService: GeneratedService {
    /// The operations, in the order they are served.
    static var operations: [OperationDescription] { get }
    /// Answers the operation `id`.
    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput
}

extension HandWrittenService {
    var operationHandlers: [OperationHandler] {
        Self.operations.map { description in
            OperationHandler(description) { source in try await self.handle(operation: description.id, from: source) }
        }
    }
}

/// An output written by hand for the runtime's tests: its parts as properties.
protocol HandWrittenOutput: OperationOutput {
    var statusCode: Int { get }
    var contentType: String? { get }
    var headers: [(name: String, value: String)] { get }
    var body: OutputBody { get }
}

extension HandWrittenOutput {
    var response: OutputResponse { OutputResponse(status: statusCode, contentType: contentType, headers: headers, body: body) }
}

/// An answer of a hand-written service: a status (200 unless said), a content type and a body.
struct PlainOutput: OperationOutput {
    var status = 200
    var type: String?
    var body: OutputBody
    var response: OutputResponse { OutputResponse(status: status, contentType: type, body: body) }
}
