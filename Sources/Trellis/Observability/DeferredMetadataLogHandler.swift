internal import Logging

/// Wraps the application's log handler (whatever `LoggingSystem` was bootstrapped with) and
/// keeps the metadata set on a logger in a dictionary of its own, handing it to the wrapped
/// handler with each message instead.
///
/// Hummingbird sets a request id on the logger of every request; swift-log's
/// `StreamLogHandler` formats all of its metadata again on every such change, which cost
/// about 2.5% of a small request's time even when nothing is logged. Here the first key set
/// is kept inline (the request id: no dictionary, no hashing) and others in a dictionary,
/// and formatting happens only for messages that are logged. The wrapped handler sees the
/// same metadata, merged into each message's own (the message's wins, as it does in the logger).
struct DeferredMetadataLogHandler: LogHandler {
    var base: any LogHandler
    /// The first key set, while it is set.
    private var first: (key: String, value: Logger.Metadata.Value)?
    /// The other keys.
    private var rest: Logger.Metadata = [:]

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

    /// Every key set.
    var metadata: Logger.Metadata {
        get {
            guard let first else { return rest }
            var all = rest
            all[first.key] = first.value
            return all
        }
        set {
            first = nil
            rest = newValue
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get {
            if let first, first.key == key { return first.value }
            return rest.isEmpty ? nil : rest[key]
        }
        set {
            if let first, first.key == key {
                self.first = newValue.map { (key, $0) }
            } else if first == nil, let newValue, rest.isEmpty || rest[key] == nil {
                first = (key, newValue)
            } else {
                rest[key] = newValue
            }
        }
    }

    func log(event: LogEvent) {
        guard first != nil || !rest.isEmpty else { return base.log(event: event) }
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
