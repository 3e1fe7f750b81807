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

    /// The first key is kept apart from the others; every way of setting, replacing and
    /// removing keys reads back as one dictionary would.
    @Test func keysBehaveAsOneDictionary() {
        var handler = DeferredMetadataLogHandler(wrapping: Recording(events: Events()))
        var expected: Logger.Metadata = [:]
        func set(_ key: String, _ value: Logger.Metadata.Value?) {
            handler[metadataKey: key] = value
            expected[key] = value
            #expect(handler.metadata == expected, "after \(key) = \(value.map { "\($0)" } ?? "nil")")
            for key in ["a", "b", "c"] { #expect(handler[metadataKey: key] == expected[key]) }
        }
        set("a", "1")  // the inline key
        set("a", "2")  // replaced in place
        set("b", "3")
        set("a", nil)  // the inline key removed; "b" stays
        set("c", "4")  // a new inline key
        set("b", "5")  // replaced among the others
        set("b", nil)
        set("c", nil)
        set("a", "6")
        handler.metadata = ["x": "7"]
        #expect(handler.metadata == ["x": "7"])
        #expect(handler[metadataKey: "a"] == nil)
    }
}
