internal import HTTPTypes
internal import NIOCore
internal import NIOHTTPTypes

/// Closes the connection once an answer that says `Connection: close` has been written
/// (RFC 9112 §9.6): a 413 whose body was not read, a 400 for a body that could not be read,
/// a refused request target. Hummingbird closes only after a *request* that says so; after
/// such an answer it would go on reading — the rest of a body it refused, or whatever the
/// client sends next.
///
/// It sits between the HTTP codec and the application and watches what goes out.
final class CloseAfterAnswerHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The answer being written says `Connection: close`.
    private var closing = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            // An interim answer (100 Continue) says nothing about the connection.
            if head.status.kind != .informational {
                closing = head.headerFields[values: .connection].contains { value in
                    value.split(separator: ",").contains { $0.filter { $0 != " " && $0 != "\t" }.lowercased() == "close" }
                }
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closing else { return context.write(data, promise: promise) }
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.futureResult.whenComplete { _ in bound.value.close(promise: nil) }
            context.writeAndFlush(data, promise: written)
        }
    }
}
