public import TrellisCore

extension ResponseStream {
    /// The body read as server-sent events (`text/event-stream`), each as it completes: what
    /// a generated client's streamed `text/event-stream` answer is read with.
    ///
    /// ```swift
    /// guard case .ok(let stream) = try await client.admissions(last: 5) else { return }
    /// for try await event in stream.events { print(event.event ?? "message", event.data) }
    /// ```
    public var events: ServerSentEvents { ServerSentEvents(chunks: self) }
}

/// Server-sent events read from a stream of body chunks, as the HTML standard's
/// `EventSource` reads them: lines end in CRLF, LF or CR; `data` lines are joined with line
/// breaks; a line starting with `:` is a comment; an event is dispatched at a blank line, and
/// one without data is not; an unfinished event at the end of the stream is dropped. Each
/// event carries its own `id` (nil when its block has none; a value with NUL is ignored)
/// and `retry` (digits only).
public struct ServerSentEvents: AsyncSequence, Sendable {
    /// One event.
    public typealias Element = ServerSentEvent

    let chunks: ResponseStream

    /// The longest line read, in bytes; a longer one ends the stream with an error rather than
    /// holding an unbounded line in memory.
    public var maxLineBytes = 1 << 20

    /// Reads the events of `chunks`.
    public init(chunks: ResponseStream) { self.chunks = chunks }

    /// Reads from the start of the chunks.
    public func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks.makeAsyncIterator(), maxLineBytes: maxLineBytes) }

    /// Reads the next event when asked.
    public struct Iterator: AsyncIteratorProtocol {
        var chunks: ResponseStream.Iterator
        let maxLineBytes: Int
        var pending: [UInt8] = []
        var start = 0
        var finished = false
        /// A CR ended the last line read: a LF right after it belongs to it.
        var afterCR = false
        var data: [UInt8] = []
        var hasData = false
        var event: String?
        var id: String?
        var retry: Int?

        init(chunks: ResponseStream.Iterator, maxLineBytes: Int) {
            self.chunks = chunks
            self.maxLineBytes = maxLineBytes
        }

        /// The next event; nil at the end of the stream.
        /// - Throws: What the stream throws; ``TrellisClientError/malformedBody(status:reason:body:)``
        ///   for a line longer than ``ServerSentEvents/maxLineBytes``.
        public mutating func next() async throws -> ServerSentEvent? {
            while true {
                while let line = nextLine() {
                    if let event = take(line) { return event }
                }
                if finished { return nil }
                guard let chunk = try await chunks.next() else {
                    // An unfinished line or event at the end is dropped, as the standard says.
                    finished = true
                    pending = []
                    start = 0
                    return nil
                }
                if start > 0 {
                    pending.removeFirst(start)
                    start = 0
                }
                pending += chunk
                if pending.count > maxLineBytes, !pending.contains(where: { $0 == 10 || $0 == 13 }) {
                    throw TrellisClientError.malformedBody(
                        status: 200, reason: "a server-sent event line is longer than \(maxLineBytes) bytes", body: Array(pending.prefix(200)))
                }
            }
        }

        /// The next complete line, without its end; nil when the buffer holds none.
        private mutating func nextLine() -> [UInt8]? {
            if afterCR, start < pending.count {
                if pending[start] == 10 { start += 1 }
                afterCR = false
            }
            guard let end = pending[start...].firstIndex(where: { $0 == 10 || $0 == 13 }) else { return nil }
            let line = Array(pending[start..<end])
            if pending[end] == 13 {
                if end + 1 < pending.count {
                    start = pending[end + 1] == 10 ? end + 2 : end + 1
                } else {
                    start = end + 1
                    afterCR = true
                }
            } else {
                start = end + 1
            }
            return line
        }

        /// Takes in one line; returns the event a blank line completes.
        private mutating func take(_ line: [UInt8]) -> ServerSentEvent? {
            if line.isEmpty {
                defer {
                    data = []
                    hasData = false
                    event = nil
                    id = nil
                    retry = nil
                }
                guard hasData else { return nil }
                return ServerSentEvent(data: String(decoding: data, as: UTF8.self), event: event, id: id, retry: retry)
            }
            if line[0] == UInt8(ascii: ":") { return nil }
            let colon = line.firstIndex(of: UInt8(ascii: ":"))
            let field = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
            var value = colon.map { line[($0 + 1)...] } ?? []
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            switch field {
            case "data":
                if hasData { data.append(10) }
                data += value
                hasData = true
            case "event": event = String(decoding: value, as: UTF8.self)
            case "id": if !value.contains(0) { id = String(decoding: value, as: UTF8.self) }
            case "retry":
                if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                    retry = Int(String(decoding: value, as: UTF8.self))
                }
            default: break
            }
            return nil
        }
    }
}
