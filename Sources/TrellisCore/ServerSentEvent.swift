/// One server-sent event (`text/event-stream`), as browsers' `EventSource` reads them.
///
/// Declare the response as a stream of that type —
/// `{"description": "Price updates", "contentType": "text/event-stream", "stream": true}` —
/// and answer with ``ResponseStream/init(events:)``:
///
/// ```swift
/// let (events, continuation) = AsyncStream.makeStream(of: ServerSentEvent.self)
/// Task {
///     for await price in prices { continuation.yield(ServerSentEvent(data: "\(price)", event: "price")) }
///     continuation.finish()
/// }
/// return .ok(ResponseStream(events: events))
/// ```
public struct ServerSentEvent: Sendable, Hashable {
    /// The data; each of its lines becomes a `data:` line.
    public var data: String
    /// The event's type (`event:`), for `addEventListener`; nil for `message`.
    public var event: String?
    /// The id (`id:`) a reconnecting client sends back as `Last-Event-ID`.
    public var id: String?
    /// How long a client waits before reconnecting (`retry:`, in milliseconds).
    public var retry: Int?

    /// An event.
    public init(data: String, event: String? = nil, id: String? = nil, retry: Int? = nil) {
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry
    }

    /// The event as the stream carries it, ending with its blank line. Line breaks in the
    /// event type and id, which the format cannot carry, become spaces.
    public var text: String {
        func field(_ value: String) -> String {
            String(value.map { $0.isNewline ? " " : $0 })
        }
        var text = ""
        if let event { text += "event: " + field(event) + "\n" }
        if let id { text += "id: " + field(id) + "\n" }
        if let retry { text += "retry: \(retry)\n" }
        for line in data.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            text += "data: " + line + "\n"
        }
        return text + "\n"
    }
}

extension ResponseStream {
    /// Streams server-sent events, each written (and flushed) as it comes.
    public init<Events: AsyncSequence & Sendable>(events: Events) where Events.Element == ServerSentEvent {
        self.init(ServerSentEventText(events: events))
    }
}

/// The text of a sequence of events.
private struct ServerSentEventText<Events: AsyncSequence & Sendable>: AsyncSequence, Sendable where Events.Element == ServerSentEvent {
    typealias Element = String
    let events: Events

    struct AsyncIterator: AsyncIteratorProtocol {
        var events: Events.AsyncIterator
        mutating func next() async throws -> String? { try await events.next()?.text }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(events: events.makeAsyncIterator()) }
}
