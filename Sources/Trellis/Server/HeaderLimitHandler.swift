internal import HTTPTypes
internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPTypes

/// Answers a request head larger than the limits (``TrellisConfiguration/maxHeaderSize``,
/// ``TrellisConfiguration/maxHeaderCount``) with `431 Request Header Fields Too Large` and
/// closes the connection. NIO's decoder reports such a head as `HTTPParserError.headerOverflow`;
/// without this handler Hummingbird would answer every parse error with an empty 400.
///
/// It sits between the HTTP codec and the application and watches only what comes in, so
/// that answers do not pass through it. In place of the oversized head it passes on a
/// stand-in request (method ``standIn``, which no HTTP/1 parser yields, and
/// `Connection: close`): the application answers the requests read before it first, in
/// order, and then the stand-in, which ``TrellisResponder`` answers with the 431. When the
/// application has shut the connection's output after that answer, the handler closes the
/// connection. A head that overflows in the middle of a request (its trailers) cannot be
/// answered: the connection is closed.
final class HeaderLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// The method of the stand-in request: a token HTTP/1 parsers do not accept as a method.
    static let standIn = HTTPRequest.Method("TRELLIS-431")!

    /// A request's head has come and its end has not.
    private var inRequest = false
    /// The stand-in has been passed on: nothing more is read.
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: inRequest = true
        case .body: break
        case .end: inRequest = false
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if refused {
            // The decoder drops what comes after the oversized head (the rest of it, usually,
            // in later reads) and says so; the answers, the 431 last, are still to be written:
            // the connection is closed once they are (`userInboundEventTriggered`).
            if error is ByteToMessageDecoderError { return }
            return context.fireErrorCaught(error)
        }
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            return context.fireErrorCaught(error)
        }
        guard !inRequest else {
            // Trailers too large: the request cannot be answered whole.
            return context.close(promise: nil)
        }
        refused = true
        let head = HTTPRequest(method: Self.standIn, scheme: nil, authority: nil, path: "/", headerFields: [.connection: "close"])
        context.fireChannelRead(wrapInboundOut(.head(head)))
        context.fireChannelRead(wrapInboundOut(.end(nil)))
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if refused, let event = event as? ChannelEvent, event == .outputClosed {
            // The 431 has been written and the output shut: close, as the answer says.
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Answers a *first* request head that cannot be parsed on a connection that may upgrade to
/// a WebSocket: 431 for one over the limits, an empty 400 (as Hummingbird answers other parse
/// errors) for the rest. There, Hummingbird adds ``HeaderLimitHandler`` (with the HTTP codec)
/// only once the first request has been read and is not an upgrade, so an error in that first
/// head would reach no handler and the connection would hang. This handler sits at the end of
/// the pipeline Hummingbird sets up; no answer can be under way before the first head, so it
/// writes the answer itself and closes the connection. It leaves the pipeline when the first
/// request's head comes through.
final class FirstHeadLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The error body, already in the configured format.
    private let body: [UInt8]
    private let contentType: String

    init(body: [UInt8], contentType: String) {
        self.body = body
        self.contentType = contentType
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        // The first head is through: from here on, ``HeaderLimitHandler`` answers.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// The answer is written: what still comes in is dropped by the decoder.
    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if answered, error is ByteToMessageDecoderError { return }
        guard let parserError = error as? HTTPParserError else {
            return context.fireErrorCaught(error)
        }
        answered = true
        var headers = HTTPHeaders()
        let status: HTTPResponseStatus
        let body: [UInt8]
        if parserError == .headerOverflow {
            status = .init(statusCode: 431, reasonPhrase: "Request Header Fields Too Large")
            body = self.body
            headers.add(name: "Content-Type", value: contentType)
        } else {
            status = .badRequest
            body = []
        }
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
