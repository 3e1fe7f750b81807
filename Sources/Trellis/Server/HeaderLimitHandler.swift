internal import HTTPTypes
internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPTypes

/// Answers a request head larger than the limits (``TrellisConfiguration/maxHeaderSize``,
/// ``TrellisConfiguration/maxHeaderCount``) with `431 Request Header Fields Too Large` and
/// closes the connection. NIO's decoder reports such a head as `HTTPParserError.headerOverflow`;
/// without this handler Hummingbird would answer every parse error with an empty 400.
///
/// It sits between the HTTP codec and the application: it watches heads and ends go by to
/// know whether a response is under way (then it only closes: a second head cannot be sent).
final class HeaderLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The error body, already in the configured format.
    private let body: [UInt8]
    private let contentType: String
    /// Requests whose head arrived and whose response has not ended.
    private var pendingResponses = 0

    init(body: [UInt8], contentType: String) {
        self.body = body
        self.contentType = contentType
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { pendingResponses += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { pendingResponses = max(0, pendingResponses - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        guard pendingResponses == 0 else {
            // A response is being written for an earlier request: no room for another head.
            context.close(promise: nil)
            return
        }
        let head = HTTPResponse(
            status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
            headerFields: [.contentType: contentType, .contentLength: String(body.count), .connection: "close"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
