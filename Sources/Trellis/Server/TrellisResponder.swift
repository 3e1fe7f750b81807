import Foundation
internal import HTTPTypes
public import Hummingbird
internal import Logging
internal import NIOCore
internal import Prometheus
import Synchronization
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// Serves the operations of compiled services: routing, parameters, body, validation,
/// the handler, and every error answer.
public struct TrellisResponder: HTTPResponder {
    /// The request context Trellis serves with.
    public typealias Context = TrellisRequestContext

    let service: CompiledService
    let configuration: TrellisConfiguration
    let docs: DocsResponder
    /// The application's error handlers, tried in order.
    var errorHandlers: [ErrorHandler] = []
    /// The application's middleware, outermost first.
    var middleware: [any RouterMiddleware<TrellisRequestContext>] = []
    /// The middleware around the runtime's own answering, composed once when serving begins
    /// (``composed()``); nil before.
    private var chain: (@Sendable (Request, Context) async throws -> Response)?
    /// Cancels requests that outlive the request timeout, if there is one.
    let watchdog: RequestWatchdog?
    /// Refuses requests past the bound on requests in flight, if there is one.
    let loadShedder: LoadShedder?
    /// Reports handlers that block the cooperative thread pool, if on.
    let stallDetector: StallDetector?
    /// The application's singletons.
    let applicationDependencies: ApplicationDependencies
    /// The requests' background tasks.
    let backgroundWork = BackgroundWork()
    /// Starting, serving or draining.
    let lifecycle = Lifecycle()
    /// Request metrics, if they are on.
    let metrics: RequestMetrics?
    /// The readiness endpoint's checks.
    let readiness: ReadinessProbe
    /// When requests are traced: each operation's path template, by its id.
    let tracedRoutes: [String: String]?
    /// The application's dependency overrides (tests).
    var dependencyOverrides = DependencyOverrides()

    init(
        service: CompiledService, configuration: TrellisConfiguration, openAPI: String, asyncAPI: String?, applicationDependencies: ApplicationDependencies,
        metricsRegistry: PrometheusCollectorRegistry
    ) {
        self.applicationDependencies = applicationDependencies
        self.metrics = configuration.metricsPath == nil ? nil : RequestMetrics(registry: metricsRegistry)
        self.tracedRoutes =
            configuration.tracing
            ? Dictionary(service.operations.map { ($0.description.id, $0.description.path) }, uniquingKeysWith: { first, _ in first }) : nil
        self.readiness = ReadinessProbe(timeout: configuration.readinessCheckTimeout, cacheDuration: configuration.readinessCacheDuration)
        self.service = service
        self.configuration = configuration
        self.docs = DocsResponder(configuration: configuration.docs, openAPI: openAPI, asyncAPI: asyncAPI)
        self.watchdog = configuration.requestTimeout.map(RequestWatchdog.init(timeout:))
        self.loadShedder = configuration.maxRequestsInFlight.map(LoadShedder.init(limit:))
        self.stallDetector = configuration.stallThreshold.map { threshold in
            let logger = Logger(label: "trellis")
            return StallDetector(threshold: threshold, report: configuration.onStall ?? { logger.warning("\($0)") })
        }
    }

    /// Answers one request: through the middleware, docs pages, or routing, validation and
    /// the operation's handler; every error becomes an answer (this never throws).
    public func respond(to request: Request, context: Context) async throws -> Response {
        if request.method == HeaderLimitHandler.standIn { return headerLimitResponse() }
        // Past the bound on requests in flight: refused at once (the health endpoints excepted,
        // which a load balancer must still reach).
        guard let shedder = loadShedder, !isHealthCheck(request) else { return try await admitted(request, context: context) }
        guard shedder.admit() else { return overloaded(request, context: context) }
        defer { shedder.finish() }
        return try await admitted(request, context: context)
    }

    @inline(__always)
    private func admitted(_ request: Request, context: Context) async throws -> Response {
        guard !middleware.isEmpty else { return try await respondWithinMiddleware(to: request, context: context) }
        let chain = self.chain ?? composed().chain
        do {
            guard let chain else { return try await respondWithinMiddleware(to: request, context: context) }
            return try await chain(request, context)
        } catch {
            return await errorResponse(error, request: request, context: context)
        }
    }

    /// This responder with its middleware composed into one chain, innermost first: what the
    /// server runs (the application is complete by then; the builder's list stays as it was).
    package func composed() -> TrellisResponder {
        var product = self
        product.chain = nil
        let inner = product
        product.chain = middleware { request, context in try await inner.respondWithinMiddleware(to: request, context: context) }
        return product
    }

    /// The application's middleware around `terminal` instead of the runtime's answering; nil
    /// when there is none. The WebSocket gate runs an upgrade request through it.
    func middleware(around terminal: @escaping @Sendable (Request, Context) async throws -> Response) -> (
        @Sendable (Request, Context) async throws -> Response
    )? {
        guard !middleware.isEmpty else { return nil }
        var next = terminal
        for layer in middleware.reversed() {
            let following = next
            next = { request, context in try await layer.handle(request, context: context, next: following) }
        }
        return next
    }

    @inline(__always)  // one async frame and executor check fewer per request
    private func respondWithinMiddleware(to request: Request, context: Context) async throws -> Response {
        if let tracedRoutes {
            return await RequestTracing.traced(request, routes: tracedRoutes) { await answerAndRecord(request, context: context) }
        }
        return await answerAndRecord(request, context: context).0
    }

    /// The answer to `request` and the id of the operation that gave it (`-` for none),
    /// logged and measured.
    @inline(__always)
    private func answerAndRecord(_ request: Request, context: Context) async -> (Response, String) {
        // The clock is read only for a log line or metrics that will use it.
        let logsRequests = context.logger.logLevel <= .info
        let start = logsRequests || metrics != nil ? ContinuousClock.now : nil
        let response: Response
        var operationID = "-"
        do {
            if let watchdog {
                (response, operationID) = try await watchdog.run { try await route(request, context: context) }
            } else {
                (response, operationID) = try await route(request, context: context)
            }
        } catch {
            response = await errorResponse(error, request: request, context: context)
        }
        guard let start else { return (response, operationID) }
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: [
                "operation": .string(operationID), "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.3f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
            ])
        metrics?.record(operation: operationID, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        return (response, operationID)
    }

    /// Whether `request` asks for the liveness or readiness endpoint.
    private func isHealthCheck(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == configuration.livenessPath || path == configuration.readinessPath
    }

    /// `503 Service Unavailable` with `Retry-After: 1`, for a request past
    /// ``TrellisConfiguration/maxRequestsInFlight``.
    private func overloaded(_ request: Request, context: Context) -> Response {
        context.logger.debug("refused: \(loadShedder?.limit ?? 0) requests in flight", metadata: ["path": .string(request.uri.path)])
        metrics?.record(operation: "-", method: request.method.rawValue, status: 503, duration: .zero)
        var response = ErrorBody.response(
            .serviceUnavailable, detail: "Service Unavailable: the server is at capacity, retry shortly", format: configuration.errorFormat)
        response.headers[.retryAfter] = "1"
        return response
    }

    /// The answer to a request head over the limits, in place of which ``HeaderLimitHandler``
    /// passes on a stand-in request.
    private func headerLimitResponse() -> Response {
        var response = ErrorBody.response(
            .init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
            detail: "Request header fields larger than \(configuration.maxHeaderSize) bytes or more than \(configuration.maxHeaderCount)",
            format: configuration.errorFormat)
        response.headers[.connection] = "close"
        return response
    }

    /// The header a proxy that strips a path prefix names it in.
    private static let forwardedPrefix = HTTPField.Name("X-Forwarded-Prefix")!

    /// The readiness endpoint's answer: 503 while starting or draining, and while a check of
    /// a dependency fails (`{"status": "unavailable", "failing": [names]}`; the reasons are
    /// logged, not sent).
    private func readinessAnswer() async -> Response {
        let json = "application/json"
        switch lifecycle.phase {
        case .starting: return ErrorBody.json(.serviceUnavailable, ["status": "starting"], contentType: json)
        case .draining: return ErrorBody.json(.serviceUnavailable, ["status": "draining"], contentType: json)
        case .idle, .serving:
            let failing = await readiness.failing(applicationDependencies)
            guard failing.isEmpty else {
                return ErrorBody.json(.serviceUnavailable, ["status": "unavailable", "failing": .array(failing.map { .string($0) })], contentType: json)
            }
            return ErrorBody.json(.ok, ["status": "ready"], contentType: json)
        }
    }

    /// The answer of one of the runtime's own routes (`pathValues`: its path parameters).
    private func answer(_ route: CompiledService.BuiltIn, pathValues: [String], request: Request) -> Response {
        let json = "application/json"
        switch route {
        case .liveness:
            return ErrorBody.json(.ok, ["status": "ok"], contentType: json)
        case .readiness:
            break  // readinessAnswer()
        case .metrics:
            guard let metrics else { break }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        case .openAPI:
            return docs.openAPIResponse(for: docs.publicURL(forwardedPrefix: request.headers[Self.forwardedPrefix]))
        case .asyncAPI:
            if let document = docs.asyncAPIResponse() { return document }
        case .swaggerUI:
            if let openAPIPath = configuration.docs.openAPIPath {
                return docs.swaggerUIResponse(openAPIPath: openAPIPath, for: docs.publicURL(forwardedPrefix: request.headers[Self.forwardedPrefix]))
            }
        case .redoc:
            if let openAPIPath = configuration.docs.openAPIPath {
                return docs.redocResponse(openAPIPath: openAPIPath, for: docs.publicURL(forwardedPrefix: request.headers[Self.forwardedPrefix]))
            }
        case .docsAsset:
            if let file = pathValues.first, let asset = docs.asset(file) { return asset }
        }
        return ErrorBody.response(.notFound, detail: "Not Found", format: configuration.errorFormat)
    }

    // MARK: - Routing

    /// The mark of an upgrade request the ``WebSocketHandshakeGate`` refused.
    private static let refusedUpgrade = HTTPField.Name(WebSocketHandshakeGate.refusedHeader)!

    /// Throws the answer to an upgrade request the gate or the upgrader refused: the
    /// handshake's or the origin's refusal, else the route's security's (401, 403), its
    /// parameters' (422) or its dependencies' (a request marked by its client itself, that
    /// passes them all, gets the 426 that follows).
    private func refuseUpgrade(_ request: Request, to route: CompiledService.WebSocketRoute, pathValues: [String]) async throws {
        if var refusal = WebSocketHandshakeGate.handshakeRefusal(
            method: request.method.rawValue, fields: request.headers, origins: configuration.webSocketOrigins)
        {
            // The client wanted another protocol on this connection: it ends with the answer.
            refusal.headers[.connection] = "close"
            throw refusal
        }
        let settings = WebSocketHandshakeGate.Settings(service: service, origins: nil, application: applicationDependencies, overrides: dependencyOverrides)
        do {
            let admitted = try await WebSocketAdmission.admit(
                route, pathValues: pathValues, uri: request.uri.string, fields: request.headers, settings: settings, readsInput: true)
            if let scope = admitted.scope { _ = await scope.tearDown(after: nil) }
        } catch var refusal as HTTPError {
            refusal.headers[.connection] = "close"
            throw refusal
        }
    }

    @inline(__always)  // one async frame and executor check fewer per request
    private func route(_ request: Request, context: Context) async throws -> (Response, String) {
        let path = request.uri.path
        guard let match = service.routes.match(path) else {
            if let (webSocket, pathValues) = service.webSocket(at: path) {
                if request.headers[Self.refusedUpgrade] != nil || request.headers[values: .upgrade].contains(where: { $0.lowercased().contains("websocket") }) {
                    try await refuseUpgrade(request, to: webSocket, pathValues: pathValues)
                }
                // A WebSocket route asked without an upgrade (the upgrade never reaches the responder).
                guard request.method == .get || request.method == .head else {
                    var response = ErrorBody.response(.methodNotAllowed, detail: "Method Not Allowed", format: configuration.errorFormat)
                    response.headers[.allow] = "GET"
                    return (response, webSocket.description.id)
                }
                var response = ErrorBody.response(
                    .init(code: 426, reasonPhrase: "Upgrade Required"), detail: "Upgrade Required: \(path) is a WebSocket", format: configuration.errorFormat)
                response.headers[.upgrade] = "websocket"
                response.headers[.connection] = "Upgrade"
                return (response, webSocket.description.id)
            }
            if request.method == .connect || !path.hasPrefix("/") {
                // Not a proxy: `CONNECT host:443` and a target that is not a path (authority or
                // asterisk form, garbage) name nothing here. (NIO drops the body of an answer to
                // CONNECT, so the connection closes to end it.)
                var response = ErrorBody.response(
                    .badRequest, detail: "Bad Request: the request target must be a path (/…), this is not a proxy", format: configuration.errorFormat)
                response.headers[.connection] = "close"
                return (response, "-")
            }
            return (ErrorBody.response(.notFound, detail: "Not Found", format: configuration.errorFormat), "-")
        }
        var method = request.method.rawValue
        let isHead = method == "HEAD" && match.operations["HEAD"] == nil
        if isHead { method = "GET" }
        guard let index = match.operations[method] else {
            var allowed = Set(match.operations.keys)
            if allowed.contains("GET") { allowed.insert("HEAD") }
            allowed.insert("OPTIONS")
            let allow = allowed.sorted().joined(separator: ", ")
            if method == "OPTIONS" {
                return (Response(status: .noContent, headers: [.allow: allow]), "-")
            }
            var response = ErrorBody.response(.methodNotAllowed, detail: "Method Not Allowed", format: configuration.errorFormat)
            response.headers[.allow] = allow
            return (response, "-")
        }
        guard index < service.operations.count else {
            let builtIn = service.builtIns[index - service.operations.count]
            var response = builtIn == .readiness ? await readinessAnswer() : answer(builtIn, pathValues: match.values, request: request)
            if isHead { response.body = ResponseBody() }
            return (response, builtIn.id)
        }
        let operation = service.operations[index]
        var response: Response
        do {
            response = try await serve(operation, request: request, pathValues: match.values, context: context)
        } catch is CancellationError {
            throw CancellationError()  // the watchdog's: it answers with the timeout
        } catch {
            // Answered here, so that the log line and the metrics name the operation.
            response = await errorResponse(error, request: request, context: context)
        }
        if isHead { response.body = ResponseBody() }
        return (response, operation.description.id)
    }
}
