internal import HTTPTypes
internal import NIOCore
internal import NIOHTTPTypes

/// Closes the connection once an answer that says `Connection: close` has been written
/// (RFC 9112 §9.6): a 413 whose body was not read, a 400 for a body that could not be read,
/// a refused request target. Hummingbird closes only after a *request* that says so; after
/// such an answer it would go on reading — the rest of a body it refused, or whatever the
/// client sends next.
///
/// The close lingers, as nginx's and Go's do (RFC 9112 §9.6 warns of the alternative): the
/// output is shut first (the client reads the answer and then the end), what the client still
/// sends is read and dropped, and the connection is closed when the client closes its side or
/// after ``lingerTime`` at the most. Closing at once would make the kernel answer the client's
/// unread bytes with a reset, which can destroy the answer before the client reads it (a
/// client uploading a body the server refused loses the 413).
///
/// It sits between the HTTP codec and the application and watches what goes out.
final class CloseAfterAnswerHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The longest the connection stays open, reading and dropping, after the answer.
    static let lingerTime = TimeAmount.seconds(2)

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
            let channel = context.channel
            written.futureResult.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
            }
            context.writeAndFlush(data, promise: written)
        }
    }
}
