internal import Foundation
internal import HTTPTypes
internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import TrellisCore

/// Checks the first request of a connection, when it asks for a WebSocket upgrade, before
/// NIO's upgrader sees it: a request the runtime refuses — another version than 13, a missing
/// or malformed `Sec-WebSocket-Key` (RFC 6455 §4.2.1), an `Origin` outside
/// ``TrellisConfiguration/webSocketOrigins``, credentials the route's security refuses,
/// parameters that do not validate — is
/// handed on as a plain HTTP request (without its `Upgrade` header, marked with
/// ``refusedHeader``), which the responder answers as HTTP does (400, 426, 403, 401, 422), through the
/// application's middleware. Then the gate leaves the pipeline: only a connection's first
/// request may upgrade.
final class WebSocketHandshakeGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// Marks a refused upgrade request for the responder (a client that sends it itself only
    /// gets a refusal).
    static let refusedHeader = "Trellis-WebSocket-Refused"

    /// What the gate knows of the application.
    struct Settings: Sendable {
        let service: CompiledService
        let origins: [String]?
        let application: ApplicationDependencies
        let overrides: DependencyOverrides
        /// Whether the application's middleware lets an upgrade request through (it is run
        /// around a stand-in for the upgrade, a 101); nil when there is none.
        var middleware: (@Sendable (HTTPRequest, any Channel) async -> Bool)? = nil
    }

    private let settings: Settings
    /// The parts of the request held while its security is checked.
    private var held: [HTTPServerRequestPart]?

    init(settings: Settings) { self.settings = settings }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if held != nil {
            held?.append(part)
            return
        }
        guard case .head(var head) = part, head.headers.contains(where: { $0.name.lowercased() == "upgrade" && $0.value.lowercased().contains("websocket") })
        else {
            leave(context: context, with: [part])
            return
        }
        guard let (route, pathValues) = settings.service.webSocket(at: String(head.uri.prefix { $0 != "?" })) else {
            // No WebSocket there: an ordinary request (RFC 9110 §7.8: the Upgrade is ignored),
            // answered as its path and method are (404, 405, or the operation's answer), after
            // which the connection closes (its client wanted another protocol on it; a
            // `Connection: Upgrade, close` is not read as close).
            head.headers.remove(name: "Upgrade")
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            leave(context: context, with: [.head(head)])
            return
        }
        let fields = Self.fields(of: head)
        if Self.handshakeRefusal(method: head.method.rawValue, fields: fields, origins: settings.origins) != nil {
            Self.markRefused(&head)
            leave(context: context, with: [.head(head)])
            return
        }
        guard route.needsAdmission || settings.middleware != nil else {
            leave(context: context, with: [part])
            return
        }
        held = [part]
        let (uri, settings, channel) = (head.uri, settings, context.channel)
        let request = HTTPRequest(
            method: HTTPRequest.Method(head.method.rawValue) ?? .get, scheme: nil, authority: head.headers["Host"].first, path: head.uri, headerFields: fields)
        let loop = context.eventLoop
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        let boundSelf = NIOLoopBound(self, eventLoop: loop)
        loop.makeFutureWithTask { () -> WebSocketAdmission.Admitted? in
            // Everything, once: what is admitted is handed to the upgrader (NIO's answer to an
            // upgrade it declines is an empty 400, so that nothing may refuse after this).
            // The application's middleware first, as for any request; then the route's checks.
            if let middleware = settings.middleware, await !middleware(request, channel) { return nil }
            return try? await WebSocketAdmission.admit(route, pathValues: pathValues, uri: uri, fields: fields, settings: settings, readsInput: true)
        }.whenComplete { result in
            let gate = boundSelf.value
            let context = boundContext.value
            var parts = gate.held ?? []
            gate.held = nil
            if case .success(let admitted?) = result {
                try? context.pipeline.syncOperations.addHandler(WebSocketAdmission.Holder(admitted), position: .first)
            } else if case .head(var head)? = parts.first {
                Self.markRefused(&head)
                parts[0] = .head(head)
            }
            gate.leave(context: context, with: parts)
        }
    }

    /// Hands `parts` on and leaves the pipeline (in this order: a context that has left
    /// forwards nothing).
    private func leave(context: ChannelHandlerContext, with parts: [HTTPServerRequestPart]) {
        for part in parts { context.fireChannelRead(wrapInboundOut(part)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Makes an upgrade request a plain one, marked as refused, after whose answer the
    /// connection closes (its client wanted another protocol on it).
    private static func markRefused(_ head: inout HTTPRequestHead) {
        head.headers.remove(name: "Upgrade")
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        head.headers.replaceOrAdd(name: refusedHeader, value: "1")
    }

    /// Why RFC 6455 or the origin allow-list refuses an upgrade request: its status, detail
    /// and headers; nil when neither does.
    static func handshakeRefusal(method: String, fields: HTTPFields, origins: [String]?) -> HTTPError? {
        guard fields[values: HTTPField.Name("Sec-WebSocket-Version")!] == ["13"] else {
            return HTTPError(
                .upgradeRequired, detail: "Unsupported WebSocket version: send Sec-WebSocket-Version: 13",
                headers: [HTTPField.Name("Sec-WebSocket-Version")!: "13"])
        }
        let keys = fields[values: HTTPField.Name("Sec-WebSocket-Key")!]
        guard method == "GET", keys.count == 1, let key = keys.first, Data(base64Encoded: key.trimmingCharacters(in: .whitespaces))?.count == 16 else {
            return HTTPError(.badRequest, detail: "Malformed WebSocket handshake: a GET with one Sec-WebSocket-Key of 16 bytes in base64")
        }
        if let origins, let origin = fields[.origin], !origins.contains(origin) {
            return HTTPError(.forbidden, detail: "Origin \(origin) may not open this WebSocket")
        }
        return nil
    }

    /// A dependency scope for an upgrade request (its verifiers').
    static func scope(uri: String, fields: HTTPFields, route: CompiledService.WebSocketRoute, settings: Settings) -> DependencyScope {
        let query = uri.firstIndex(of: "?").map { PercentDecoding.queryItems(uri[uri.index(after: $0)...]) } ?? []
        return TrellisResponder.scope(
            operationID: route.description.id, method: "GET", path: String(uri.prefix { $0 != "?" }), headers: fields, query: query,
            cookies: TrellisResponder.cookies(fields[values: .cookie]), application: settings.application, overrides: settings.overrides,
            parameter: nil)
    }

    static func fields(of head: HTTPRequestHead) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in head.headers { if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) } }
        return fields
    }
}

/// A child channel that sets up as `base` does and then puts a ``WebSocketHandshakeGate``
/// in front of NIO's upgrade handler.
struct WebSocketGateChannel<Base: ServerChildChannel, UpgradeResult: Sendable>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let settings: WebSocketHandshakeGate.Settings

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let settings = settings
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let upgrader = try channel.pipeline.syncOperations.context(handlerType: NIOTypedHTTPServerUpgradeHandler<UpgradeResult>.self)
            try channel.pipeline.syncOperations.addHandler(WebSocketHandshakeGate(settings: settings), position: .before(upgrader.handler))
            try channel.pipeline.syncOperations.addHandler(MaskedFrameGuard(), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A first request that cannot be parsed has been answered (``FirstHeadLimitHandler``);
        // the upgrade's negotiation then fails, which Hummingbird logs as an error.
        await base.handle(value: value, logger: logger.demoting(Self.clientFaults))
    }

    /// What Hummingbird logs as errors of a connection whose first request could not be read.
    static var clientFaults: Set<String> { ["Error handling upgrade result"] }
}
