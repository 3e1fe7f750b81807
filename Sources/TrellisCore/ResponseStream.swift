/// A response body written in pieces as they are produced: a download, a log tail,
/// newline-delimited JSON, server-sent events. Operations whose response declares
/// `"stream": true` answer with one.
///
/// The runtime pulls the next piece only when the previous one has been handed to the
/// connection, so a slow client slows the producer down instead of filling memory. When the
/// client goes away, the sequence's task is cancelled.
///
/// ```swift
/// let (lines, continuation) = AsyncStream.makeStream(of: String.self)
/// Task {
///     for number in 1...3 { continuation.yield("line \(number)\n") }
///     continuation.finish()
/// }
/// return .ok(ResponseStream(lines))
/// ```
public struct ResponseStream: AsyncSequence, Sendable {
    /// One chunk of the body's bytes; the runtime skips empty chunks.
    public typealias Element = [UInt8]

    private let makeIterator: @Sendable () -> Iterator

    /// Streams the byte chunks of `sequence`.
    public init<Chunks: AsyncSequence & Sendable>(_ sequence: Chunks) where Chunks.Element == [UInt8] {
        makeIterator = {
            var iterator = sequence.makeAsyncIterator()
            return Iterator { try await iterator.next() }
        }
    }

    /// Streams the text chunks of `sequence`, as UTF-8.
    public init<Chunks: AsyncSequence & Sendable>(_ sequence: Chunks) where Chunks.Element == String {
        makeIterator = {
            var iterator = sequence.makeAsyncIterator()
            return Iterator { try await iterator.next().map { Array($0.utf8) } }
        }
    }

    /// A body of the given chunks (for tests and small answers).
    public init(chunks: [[UInt8]]) {
        makeIterator = {
            var remaining = chunks[...]
            return Iterator { remaining.popFirst() }
        }
    }

    /// Returns an iterator over the chunks; each call starts a new pass over the underlying sequence.
    public func makeAsyncIterator() -> Iterator { makeIterator() }

    /// Reads the chunks one by one.
    public struct Iterator: AsyncIteratorProtocol {
        fileprivate let nextChunk: () async throws -> [UInt8]?

        /// The next chunk, or nil at the end of the body; throws what the underlying sequence throws.
        public mutating func next() async throws -> [UInt8]? { try await nextChunk() }
    }
}
