internal import HummingbirdCore
internal import Logging
internal import NIOCore

/// A child channel that sets up as `base` does and then puts a ``FirstHeadLimitHandler`` at
/// the end of the pipeline: for channels (the WebSocket upgrade's) that add their HTTP
/// handlers only after the first request.
struct FirstHeadLimitChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    /// The 431's body and content type.
    let body: [UInt8]
    let contentType: String

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (body, contentType) = (body, contentType)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(FirstHeadLimitHandler(body: body, contentType: contentType))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
