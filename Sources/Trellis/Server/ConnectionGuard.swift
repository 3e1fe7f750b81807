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
    }

    /// Nothing is in progress: no request being read or answered, no head arriving.
    private var isIdle: Bool { heads == ends && ends == answered && headBytes == 0 }
    /// The server is shutting down (``RequestProgressHandler`` then answers with
    /// `Connection: close`): the connection closes once it has been idle for ``drainTime``.
    private(set) var quiescing = false
    /// How long a connection stays open, idle, once the server shuts down: a request its client
    /// sent just before (in the kernel's buffer, not yet read) is still read and answered.
    /// Closing idle connections at once reset those requests (Go and Hummingbird do so).
    static let drainTime = TimeAmount.milliseconds(500)

    /// Since when the connection's output has been shut after its last answer (a lingering
    /// close): what the client still sends is read and dropped until it has been quiet for
    /// ``lingerQuiet``, or for ``lingerMax`` at the most (nginx's `lingering_timeout` and
    /// `lingering_time`, shorter).
    private var lingeringSince: NIODeadline?
    static let lingerQuiet = TimeAmount.seconds(2)
    static let lingerMax = TimeAmount.seconds(30)

    /// The connection's output has been shut after its last answer.
    func linger() {
        lingeringSince = .now()
        lastActivity = .now()
    }

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
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Graceful shutdown: the guard closes the connection once it has been idle for the
        // drain time; until then what arrives is answered, with `Connection: close`. The event
        // goes no further: Hummingbird's handler would close idle connections at once, with
        // requests unread in their buffers (and is not there before the first request of a
        // connection that may upgrade). A WebSocket session gets it, as before.
        guard event is ChannelShouldQuiesceEvent, !upgraded else { return context.fireUserInboundEventTriggered(event) }
        guard !quiescing else { return }
        quiescing = true
        lastActivity = .now()
        timer?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: Self.drainTime) {
            let (handler, context) = bound.value
            handler.check(context: context)
        }
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
        let tick = quiescing ? min(limits.tick, .milliseconds(100)) : limits.tick
        timer = context.eventLoop.scheduleTask(in: tick) {
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
        if let since = lingeringSince {
            // The output is shut: the connection closes once the client is quiet (or at the most).
            if now - lastActivity >= Self.lingerQuiet || now - since >= Self.lingerMax {
                context.close(promise: nil)
                return
            }
            return schedule(context: context)
        }
        if quiescing, isIdle, now - lastActivity >= Self.drainTime {
            return expire(context: context, reason: "the server is shutting down", answer: false)
        }
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
///
/// It also closes the connection after an answer that says `Connection: close` (RFC 9112
/// §9.6) — a 413 whose body was not read, a 400 for a body that could not be read, a refused
/// request target, the 431 — and, once the server shuts down, after every answer, which then
/// says so. Hummingbird closes only after a *request* that says so; after such an answer it
/// would go on reading: the rest of a body it refused, or whatever the client sends next.
///
/// The close lingers, as nginx's and Go's do: the output is shut first (the client reads the
/// answer, then the end), what the client still sends is read and dropped, and the connection
/// closes when the client closes its side or has been quiet for 2 s (30 s at the most: the
/// guard's ``ConnectionGuard/linger()``). Closing at once
/// would make the kernel answer the client's unread bytes with a reset, which can destroy the
/// answer before the client reads it (a client uploading a body the server refused would lose
/// its 413).
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connectionGuard: ConnectionGuard
    /// Counts the requests read and not yet answered, for the bound on requests in flight.
    private let shedder: LoadShedder?
    /// This connection's requests read and not yet answered (it counts once in the shedder's
    /// count while there is any).
    private var unanswered = 0
    private var upgraded = false
    /// The answer being written is the connection's last.
    private var closing = false

    init(reportingTo connectionGuard: ConnectionGuard, shedder: LoadShedder?) {
        self.connectionGuard = connectionGuard
        self.shedder = shedder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !upgraded {
            switch unwrapInboundIn(data) {
            case .head:
                connectionGuard.headReceived()
                // A connection counts once, however many requests it has pipelined: they are
                // answered one at a time, and a client that pipelines and never reads must not
                // push the count up for everyone.
                if let shedder {
                    if unanswered == 0 { shedder.arrived() }
                    unanswered += 1
                }
            case .body: break
            case .end: connectionGuard.requestEnded()
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        forgetUnanswered()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        forgetUnanswered()
    }

    /// The connection's requests no longer wait for answers (it closed, or upgraded).
    private func forgetUnanswered() {
        if unanswered > 0 { shedder?.left(1) }
        unanswered = 0
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !upgraded else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if head.status == .switchingProtocols {
                upgraded = true
                connectionGuard.didUpgrade()
                forgetUnanswered()
            } else if head.status.code >= 200 {
                // (An interim answer, 100 Continue, says nothing about the connection.)
                closing = Self.saysClose(head.headers)
                if connectionGuard.quiescing, !closing {
                    // Shutting down: this answer is the connection's last, and says so.
                    closing = true
                    head.headers.replaceOrAdd(name: "connection", value: "close")
                    return context.write(wrapOutboundOut(.head(head)), promise: promise)
                }
            }
        case .end:
            connectionGuard.answerEnded()
            if unanswered > 0 {
                unanswered -= 1
                if unanswered == 0 { shedder?.left(1) }
            }
            if closing {
                closing = false
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.cascade(to: promise)
                let (channel, connectionGuard) = (context.channel, NIOLoopBound(connectionGuard, eventLoop: context.eventLoop))
                written.futureResult.whenComplete { _ in
                    channel.close(mode: .output, promise: nil)
                    connectionGuard.value.linger()
                }
                return context.writeAndFlush(data, promise: written)
            }
        case .body:
            break
        }
        context.write(data, promise: promise)
    }

    /// Whether the header fields hold `Connection: close`.
    private static func saysClose(_ headers: HTTPHeaders) -> Bool {
        headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
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
    /// The bound on requests in flight, if there is one.
    let shedder: LoadShedder?
    /// The 431's body and content type, for ``FirstHeadLimitHandler``.
    var firstHead: (body: [UInt8], contentType: String)?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (limits, firstHead, shedder) = (limits, firstHead, shedder)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let connectionGuard = ConnectionGuard(limits: limits, logger: logger)
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestProgressHandler(reportingTo: connectionGuard, shedder: shedder), position: .after(decoder.handler))
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
