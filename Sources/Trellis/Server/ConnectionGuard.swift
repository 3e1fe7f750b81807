internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOHTTP1

/// Bounds how long a client may hold a connection without doing its part — the defence
/// against slow and silent clients (Slowloris and its kin), which otherwise keep a descriptor
/// and its memory for good:
///
/// - a request's head must arrive whole within ``Limits/headTimeout`` of its first byte (the
///   first request's, of the connection's accept): else `408 Request Timeout` (nothing when
///   not one byte came) and the connection closes;
/// - while the server waits for a request's body, the client must keep up
///   ``Limits/minimumBodyRate`` bytes a second once ``Limits/bodyGracePeriod`` has passed (the
///   time counts only while the server asks for more, not while the handler is busy): else 408
///   and close (Kestrel's rule);
/// - between requests, a connection silent for ``Limits/idleTimeout`` is closed;
/// - a client that does not read its answer (the connection's buffers full) for
///   ``Limits/writeTimeout`` is closed.
///
/// It sits first in the pipeline, where the bytes arrive, and learns where each request
/// stands from ``RequestProgressHandler`` (after the HTTP decoder). One timer per connection
/// ticks while the connection is open; the request path pays a clock read per read.
/// A WebSocket upgrade ends its watch: the session's own rules apply.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// The bounds; nil or zero turns one off.
    struct Limits: Sendable {
        var headTimeout: TimeAmount?
        var idleTimeout: TimeAmount?
        var minimumBodyRate: Int
        var bodyGracePeriod: TimeAmount
        var writeTimeout: TimeAmount?
        /// The whole 408 answer, in the configured error format.
        var timeoutAnswer: [UInt8]

        /// How often the timer looks: a quarter of the shortest bound, between 10 ms and 1 s.
        var tick: TimeAmount {
            let bounds = [headTimeout, idleTimeout, writeTimeout, minimumBodyRate > 0 ? bodyGracePeriod : nil].compactMap { $0 }
            let shortest = bounds.min() ?? .seconds(1)
            return min(max(.nanoseconds(shortest.nanoseconds / 4), .milliseconds(10)), .seconds(1))
        }
    }

    private let limits: Limits
    private let logger: Logger

    // Where the requests stand (from ``RequestProgressHandler``).
    /// Heads read, requests read to their end, answers written to their end.
    private var heads = 0
    private var ends = 0
    private var answered = 0
    /// Upgraded to a WebSocket: no longer watched.
    private var upgraded = false

    // The clock.
    /// When the head being awaited began (its first byte, or the accept); nil between requests.
    private var headStart: NIODeadline?
    /// Bytes of the head being awaited.
    private var headBytes = 0
    /// The last byte read or answer finished: for the idle bound.
    private var lastActivity = NIODeadline.now()
    /// Of the body being read: its bytes, and the time the server spent waiting for them.
    private var bodyBytes = 0
    private var bodyWaited = TimeAmount.zero
    /// Since when the server has asked for more of the body without getting it.
    private var readPendingSince: NIODeadline?
    /// Since when the connection's output has been full.
    private var unwritableSince: NIODeadline?
    /// Something of an answer has been written since the last one ended.
    private var answering = false
    private var timer: Scheduled<Void>?

    init(limits: Limits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    // MARK: - Progress, from RequestProgressHandler

    func headReceived() {
        heads += 1
        headStart = nil
        headBytes = 0
        bodyBytes = 0
        bodyWaited = .zero
        readPendingSince = nil
    }

    func requestEnded() {
        ends += 1
        readPendingSince = nil
    }

    func answerEnded() {
        answered += 1
        answering = false
        lastActivity = .now()
        if quiescing, let context = quiescingContext, isIdle {
            // After the answer's end has been written and flushed (in this same turn of the loop).
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.execute { bound.value.close(promise: nil) }
        }
    }

    /// Nothing is in progress: no request being read or answered, no head arriving.
    private var isIdle: Bool { heads == ends && ends == answered && headBytes == 0 }
    /// The server is shutting down: the connection closes once it is idle.
    private var quiescing = false
    private var quiescingContext: ChannelHandlerContext?

    func didUpgrade() {
        upgraded = true
        timer?.cancel()
        timer = nil
    }

    // MARK: - The channel

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        quiescingContext = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        quiescingContext = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Graceful shutdown: a connection with nothing in progress closes now (Hummingbird's
        // own handler is not there yet before the first request of a connection that may
        // upgrade), the others after their answer.
        if event is ChannelShouldQuiesceEvent, !upgraded {
            if isIdle {
                context.close(promise: nil)
            } else {
                quiescing = true
                quiescingContext = context
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !upgraded {
            let now = NIODeadline.now()
            lastActivity = now
            let count = unwrapInboundIn(data).readableBytes
            if heads > ends {
                bodyBytes += count
                if let since = readPendingSince {
                    bodyWaited = bodyWaited + (now - since)
                    readPendingSince = nil
                }
            } else {
                // Bytes of a head (the decoder, after this handler, has not seen them yet).
                if headStart == nil { headStart = now }
                headBytes += count
            }
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        // The server asks for more: while a body is being read, the wait is the client's.
        if !upgraded, heads > ends, readPendingSince == nil { readPendingSince = .now() }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        answering = true
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        unwritableSince = context.channel.isWritable ? nil : .now()
        context.fireChannelWritabilityChanged()
    }

    // MARK: - The timer

    private func start(context: ChannelHandlerContext) {
        guard timer == nil, !upgraded else { return }
        // The first request's head is due within the head timeout of the accept.
        headStart = .now()
        lastActivity = .now()
        schedule(context: context)
    }

    private func schedule(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: limits.tick) {
            let (handler, context) = bound.value
            handler.check(context: context)
        }
    }

    /// Whether a bound has been passed; if so, the connection closes (with a 408 where the
    /// client is owed one), else the timer is set again.
    private func check(context: ChannelHandlerContext) {
        timer = nil
        guard !upgraded, context.channel.isActive else { return }
        let now = NIODeadline.now()
        if let limit = limits.writeTimeout, let since = unwritableSince, now - since >= limit {
            return expire(context: context, reason: "the client did not read its answer for \(limit)", answer: false)
        }
        if heads > ends {
            // Reading a body: the client must keep up the minimum rate once the grace has passed.
            let waited = bodyWaited + (readPendingSince.map { now - $0 } ?? .zero)
            if limits.minimumBodyRate > 0, waited > limits.bodyGracePeriod,
                Double(bodyBytes) < Double(limits.minimumBodyRate) * Double(waited.nanoseconds) / 1e9
            {
                return expire(
                    context: context, reason: "the body came slower than \(limits.minimumBodyRate) bytes/s (\(bodyBytes) bytes in \(waited))",
                    answer: !answering)
            }
        } else if answered < ends {
            // The server is answering: nothing is awaited of the client.
        } else if let start = headStart {
            if let limit = limits.headTimeout, now - start >= limit {
                // A silent connection is closed without a word (a browser's preconnect is one).
                return expire(context: context, reason: "no whole request head within \(limit) (\(headBytes) bytes)", answer: headBytes > 0 && !answering)
            }
            // Not one byte since the accept: the connection is idle as well.
            if headBytes == 0, let idle = limits.idleTimeout, now - lastActivity >= idle {
                return expire(context: context, reason: "idle for \(idle) since its accept", answer: false)
            }
        } else if let idle = limits.idleTimeout, now - lastActivity >= idle {
            return expire(context: context, reason: "idle for \(idle)", answer: false)
        }
        schedule(context: context)
    }

    private func expire(context: ChannelHandlerContext, reason: String, answer: Bool) {
        logger.debug("closing a connection: \(reason)", metadata: ["remote": .string(context.remoteAddress?.description ?? "?")])
        guard answer else {
            context.close(promise: nil)
            return
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer(bytes: limits.timeoutAnswer)))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}

/// Tells a ``ConnectionGuard`` where the connection's requests stand: it sits after the HTTP
/// decoder and sees each request's head and end, and each answer's end. On a WebSocket
/// upgrade (a 101 going out) it ends the guard's watch and from then on passes everything on
/// untouched (it cannot leave the pipeline in the middle of the upgrader's write: the write's
/// flush would be lost).
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connectionGuard: ConnectionGuard
    private var upgraded = false

    init(reportingTo connectionGuard: ConnectionGuard) {
        self.connectionGuard = connectionGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !upgraded {
            switch unwrapInboundIn(data) {
            case .head: connectionGuard.headReceived()
            case .body: break
            case .end: connectionGuard.requestEnded()
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !upgraded {
            switch unwrapOutboundIn(data) {
            case .head(let head) where head.status == .switchingProtocols:
                upgraded = true
                connectionGuard.didUpgrade()
            case .end:
                connectionGuard.answerEnded()
            default:
                break
            }
        }
        context.write(data, promise: promise)
    }
}

/// A child channel that sets up as `base` does, then puts a ``ConnectionGuard`` first in the
/// pipeline with its ``RequestProgressHandler`` after the HTTP decoder; with `firstHead`, a
/// ``FirstHeadLimitHandler`` at the end (for channels — the WebSocket upgrade's — that add their
/// HTTP handlers only after the first request).
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let limits: ConnectionGuard.Limits
    /// The 431's body and content type, for ``FirstHeadLimitHandler``.
    var firstHead: (body: [UInt8], contentType: String)?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (limits, firstHead) = (limits, firstHead)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let connectionGuard = ConnectionGuard(limits: limits, logger: logger)
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestProgressHandler(reportingTo: connectionGuard), position: .after(decoder.handler))
            try pipeline.addHandler(connectionGuard, position: .first)
            if let firstHead {
                try pipeline.addHandler(FirstHeadLimitHandler(body: firstHead.body, contentType: firstHead.contentType))
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
