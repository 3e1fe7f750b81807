internal import Logging

/// Wraps the application's log handler (whatever `LoggingSystem` was bootstrapped with) and
/// keeps the metadata set on a logger in a dictionary of its own, handing it to the wrapped
/// handler with each message instead.
///
/// Hummingbird sets a request id on the logger of every request; swift-log's
/// `StreamLogHandler` formats all of its metadata again on every such change, which cost
/// about 2.5% of a small request's time even when nothing is logged. Here a change costs a
/// dictionary insertion, and formatting happens only for messages that are logged. The
/// wrapped handler sees the same metadata, merged into each message's own (the message's
/// wins, as it does in the logger).
struct DeferredMetadataLogHandler: LogHandler {
    var base: any LogHandler
    var metadata: Logger.Metadata = [:]

    init(wrapping base: any LogHandler) {
        self.base = base
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard !metadata.isEmpty else { return base.log(event: event) }
        var event = event
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, own in own }
        base.log(event: event)
    }
}

extension Logger {
    /// A logger named `label` from the bootstrapped logging system, whose metadata changes
    /// are deferred to the messages logged (``DeferredMetadataLogHandler``).
    static func withDeferredMetadata(label: String) -> Logger {
        let base = Logger(label: label).handler
        return Logger(label: label) { _ in DeferredMetadataLogHandler(wrapping: base) }
    }
}
