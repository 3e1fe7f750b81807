import Logging
import Synchronization
import Testing
@testable import Trellis

/// The application's logger defers metadata to the messages: the wrapped handler still gets
/// every key, merged into each message's own.
@Suite struct LogHandlerTests {
    /// Records the events it is given.
    struct Recording: LogHandler {
        let events: Events
        var metadata: Logger.Metadata = ["base": "kept"]
        var logLevel: Logger.Level = .info
        var metadataProvider: Logger.MetadataProvider?
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { events.list.withLock { $0.append(event) } }
    }

    final class Events: Sendable {
        let list = Mutex<[LogEvent]>([])
    }

    @Test func metadataReachesTheWrappedHandlerWithEachMessage() {
        let events = Events()
        var logger = Logger(label: "t") { _ in DeferredMetadataLogHandler(wrapping: Recording(events: events)) }
        logger.info("plain")
        logger[metadataKey: "hb.request.id"] = "42"
        logger[metadataKey: "shared"] = "logger"
        #expect(logger[metadataKey: "hb.request.id"] == "42")
        logger.info("with", metadata: ["shared": "message", "own": "1"])
        logger.debug("below the level")
        logger.logLevel = .debug
        logger.debug("now logged")
        let logged = events.list.withLock { $0 }
        #expect(logged.map(\.message.description) == ["plain", "with", "now logged"])
        #expect(logged[0].metadata == nil)
        #expect(logged[1].metadata == ["hb.request.id": "42", "shared": "message", "own": "1"])
        #expect(logged[2].metadata == ["hb.request.id": "42", "shared": "logger"])
        // The wrapped handler's own metadata is its own to add.
        #expect((logger.handler as? DeferredMetadataLogHandler)?.base.metadata == ["base": "kept"])
    }
}
