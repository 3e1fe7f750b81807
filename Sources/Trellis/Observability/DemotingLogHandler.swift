internal import Logging

/// Wraps a log handler and logs the given messages of a library at `debug` instead of their
/// own level: what a library reports as an error but is a client's fault that Trellis has
/// already answered, so that a client cannot fill the error log (and page someone) at will.
struct DemotingLogHandler: LogHandler {
    var base: any LogHandler
    /// The messages logged at `debug`, exactly as the library words them.
    let messages: Set<String>

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level > .debug, messages.contains(event.message.description) else { return base.log(event: event) }
        guard base.logLevel <= .debug else { return }
        var event = event
        event.level = .debug
        base.log(event: event)
    }
}

extension Logger {
    /// This logger, with `messages` logged at `debug` (``DemotingLogHandler``).
    func demoting(_ messages: Set<String>) -> Logger {
        var logger = self
        logger.handler = DemotingLogHandler(base: handler, messages: messages)
        return logger
    }
}
