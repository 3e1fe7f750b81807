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
