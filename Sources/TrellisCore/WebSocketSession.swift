public import TrellisJSON

/// What a WebSocket session runs over: the runtime implements it on an upgraded connection,
/// tests can implement it directly.
public protocol WebSocketTransport: Sendable {
    /// The next message from the client, already parsed and validated against the route's
    /// `receive` schema (invalid messages never arrive: the runtime answers them itself);
    /// nil once the client has closed.
    func receive() async throws -> JSONValue?
    /// Sends a text message.
    func send(text: String) async throws
    /// Closes the session (normal closure).
    func close() async throws
    /// The application's dependencies (a pool, settings).
    var application: ApplicationDependencies { get }
    /// The identity `verifier` verified before the upgrade, or nil.
    func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value?
}

extension WebSocketTransport {
    /// None.
    public func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value? { nil }
}

/// A WebSocket session with typed messages: what a generated WebSocket handler receives.
///
/// ```swift
/// func adoptionDesk(_ session: WebSocketSession<DeskQuestion, DeskAnswer>) async throws {
///     for try await question in session.messages {
///         try await session.send(DeskAnswer(species: question.species, waiting: try await count(question.species)))
///     }
/// }
/// ```
///
/// Every message from the client has been validated against the declared `receive` schema
/// before it is decoded: one that does not conform is answered with
/// `{"type": "error", "detail": [...]}` (FastAPI's issue shape) and never reaches the handler.
/// The session ends when the handler returns (or throws), or when the client closes.
public struct WebSocketSession<Receive: Decodable & Sendable, Send: Encodable & Sendable>: Sendable {
    private let transport: any WebSocketTransport

    /// A session over `transport`.
    public init(transport: any WebSocketTransport) {
        self.transport = transport
    }

    /// The client's messages, decoded, until it closes.
    public var messages: Messages { Messages(transport: transport) }

    /// The application's dependencies.
    public var application: ApplicationDependencies { transport.application }

    /// The caller's identity as `verifier` verified it before the upgrade (the route's
    /// security), or nil when it verified none.
    public func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value? { transport.identity(verifier) }

    /// Sends `message` as a JSON text message.
    public func send(_ message: Send) async throws {
        let bytes = try JSONBody.bytes(of: message)
        try await transport.send(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Closes the session.
    public func close() async throws { try await transport.close() }

    /// The client's messages.
    public struct Messages: AsyncSequence, Sendable {
        /// A decoded message.
        public typealias Element = Receive
        let transport: any WebSocketTransport

        /// Reads messages one by one.
        public func makeAsyncIterator() -> Iterator { Iterator(transport: transport) }

        /// Reads and decodes the next message.
        public struct Iterator: AsyncIteratorProtocol {
            let transport: any WebSocketTransport

            /// The next message, or nil once the client has closed.
            public mutating func next() async throws -> Receive? {
                guard let value = try await transport.receive() else { return nil }
                return try JSONBody.read(Receive.self, from: value)
            }
        }
    }
}
