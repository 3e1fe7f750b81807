public import Hummingbird
internal import HummingbirdCore
internal import HummingbirdWebSocket
internal import Logging
public import NIOCore
public import NIOPosix
public import Prometheus
public import ServiceLifecycle
public import TrellisCore
internal import TrellisJSON
public import UnixSignals

/// Serves one or more generated services with your implementations.
///
/// ```swift
/// let app = try TrellisApplication(configuration: .fromEnvironment(), services: PetstoreImplementation())
/// try await app.run()   // until SIGINT or SIGTERM, then a graceful shutdown
/// ```
///
/// Every request is routed, its parameters and body are validated against the
/// declaration's schemas (every error answered at once with a 422), and only then does
/// the handler run; `/openapi.json`, `/docs` and `/redoc` describe exactly what runs.
public struct TrellisApplication: Sendable {
    /// The configuration.
    public package(set) var configuration: TrellisConfiguration
    /// The responder: what Hummingbird (or a test) calls for every request.
    public internal(set) var responder: TrellisResponder
    /// The application's Prometheus registry: the request metrics when
    /// ``TrellisConfiguration/metricsPath`` is set, and any metrics of your own, all served at
    /// that path. To make it swift-metrics' backend as well:
    /// `MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: app.metricsRegistry))`.
    public let metricsRegistry: PrometheusCollectorRegistry
    /// The OpenAPI document served at ``TrellisConfiguration/DocsConfiguration/openAPIPath``.
    public let openAPIDocument: String

    /// What the local docs-assets folders lack (logged at start-up): one sentence per page
    /// that will not render.
    var docsAssetProblems: [String] { responder.docs.missingAssets }
    /// The AsyncAPI 3.0 document of the services' channels (WebSockets, server-sent events),
    /// served at ``TrellisConfiguration/DocsConfiguration/asyncAPIPath``; nil without channels.
    public let asyncAPIDocument: String?

    /// Compiles the services' schemas and routes.
    /// - Throws: ``TrellisStartupError`` when a schema does not compile or two operations share a route.
    public init(configuration: TrellisConfiguration = TrellisConfiguration(), services: any GeneratedService...) throws {
        try self.init(configuration: configuration, services: services)
    }

    /// Compiles the services' schemas and routes.
    /// - Throws: ``TrellisStartupError`` when a schema does not compile or two operations share a route.
    public init(configuration: TrellisConfiguration = TrellisConfiguration(), services: [any GeneratedService]) throws {
        if !configuration.environmentProblems.isEmpty {
            throw TrellisStartupError("the environment's settings cannot be read: " + configuration.environmentProblems.joined(separator: "; "))
        }
        if let url = configuration.docs.publicURL, PublicURL(url) == nil {
            throw TrellisStartupError("docs.publicURL is neither an http(s) URL nor a path that starts with /: '\(url)'")
        }
        self.configuration = configuration
        let compiled = try CompiledService(services: services, configuration: configuration)
        let descriptions = services.map { type(of: $0).serviceDescription }
        var webSocketSecurity: [String: [SecurityRequirement]] = [:]
        for service in services {
            for handler in service.webSocketHandlers { webSocketSecurity[handler.description.path] = handler.description.security }
        }
        let (openAPI, asyncAPI) = AsyncAPIBuilder.split(
            OpenAPIAugmenter.augment(descriptions.map(\.openAPIDocument), services: descriptions, configuration: configuration),
            webSocketSecurity: webSocketSecurity)
        var writer = JSONWriter(style: .pretty(indent: 2))
        writer.write(openAPI)
        self.openAPIDocument = String(decoding: writer.bytes, as: UTF8.self)
        self.asyncAPIDocument = asyncAPI.map { document in
            var writer = JSONWriter(style: .pretty(indent: 2))
            writer.write(document)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        let declared = services.flatMap { service in
            type(of: service).dependencyTypes + service.securityVerifiers.keys.sorted().compactMap { service.securityVerifiers[$0] }
        }
        if let cycle = DependencyGraph.cycle(from: declared) {
            throw TrellisStartupError("the dependencies form a cycle: " + cycle.joined(separator: " → "))
        }
        var seen: Set<ObjectIdentifier> = []
        self.applicationDependencyTypes =
            declared
            .compactMap { $0 as? any ApplicationDependency.Type }
            .filter { seen.insert(ObjectIdentifier($0)).inserted }
        self.metricsRegistry = PrometheusCollectorRegistry()
        self.responder = TrellisResponder(
            service: compiled, configuration: configuration, openAPI: openAPIDocument, asyncAPI: asyncAPIDocument,
            applicationDependencies: ApplicationDependencies(),
            metricsRegistry: metricsRegistry)
        responder.applicationDependencies.preset(ApplicationMetrics.self, value: metricsRegistry)
    }

    /// The application-wide dependencies the services declare, in declaration order.
    let applicationDependencyTypes: [any ApplicationDependency.Type]
    private var startupHooks: [@Sendable () async throws -> Void] = []
    /// Services run beside the server by `run`.
    private var services: [any Service] = []
    private var shutdownHooks: [@Sendable () async throws -> Void] = []

    /// The application's singletons: ``run(gracefulShutdownSignals:onServerRunning:)`` and
    /// ``serve(onServerRunning:)`` start the declared ones before serving and stop them
    /// after; in-process tests start them on first use (stop them with `stop()`).
    public var applicationDependencies: ApplicationDependencies { responder.applicationDependencies }

    /// Replaces `type`, for every request, with `resolve` (for tests; to replace it for the
    /// requests of one task only, see `DependencyOverrides.with(_:operation:)`).
    public mutating func overrideDependency<D: Dependency>(_ type: D.Type, with resolve: @escaping @Sendable (DependencyScope) async throws -> D.Value) {
        responder.dependencyOverrides.override(type, with: resolve)
    }

    /// Replaces `type`, for every request, with a fixed value (for tests).
    public mutating func overrideDependency<D: Dependency>(_ type: D.Type, value: D.Value) {
        responder.dependencyOverrides.override(type, value: value)
        // An application-wide one is replaced everywhere: it is not started, and other
        // application dependencies and WebSocket sessions get the value too.
        if type is any ApplicationDependency.Type { responder.applicationDependencies.preset(type, value: value) }
    }

    /// Adds `middleware` around every request (the docs pages and health endpoints included):
    /// the first added is the outermost. Any of Hummingbird's `RouterMiddleware` works —
    /// its `CORSMiddleware`, `LogRequestsMiddleware`, `MetricsMiddleware` and
    /// `TracingMiddleware` among them — as do ``RequestIDMiddleware``, ``TimingMiddleware``,
    /// ``TrustedHostMiddleware`` and your own. An error a middleware throws is answered like
    /// a handler's.
    public mutating func addMiddleware(_ middleware: some RouterMiddleware<TrellisRequestContext>) {
        responder.middleware.append(middleware)
    }

    /// Runs `service` (swift-service-lifecycle's) beside the server in
    /// ``run(gracefulShutdownSignals:onServerRunning:)``: started with it, and shut down after
    /// the server has drained — the place of a telemetry exporter, which then sends the last
    /// requests' spans. A service that throws stops the application.
    public mutating func addService(_ service: some Service) {
        services.append(service)
    }

    /// Adds a check to the readiness endpoint (``TrellisConfiguration/readinessPath``): while
    /// `check` throws, or takes longer than ``TrellisConfiguration/readinessCheckTimeout``, the
    /// endpoint answers 503 naming `name`. The values of application dependencies that are a
    /// `ReadinessCheck` are checked without being added.
    public mutating func addReadinessCheck(_ name: String, _ check: @escaping @Sendable () async throws -> Void) {
        responder.readiness.add(name, check)
    }

    /// Runs `hook` after the application's dependencies have started and before the server
    /// accepts requests (FastAPI's lifespan start-up); a hook that throws stops the start.
    public mutating func onStartup(_ hook: @escaping @Sendable () async throws -> Void) {
        startupHooks.append(hook)
    }

    /// Runs `hook` after the server has stopped and background tasks have finished, before
    /// the dependencies stop; shutdown hooks run in the reverse order of adding, and one
    /// that throws is logged.
    public mutating func onShutdown(_ hook: @escaping @Sendable () async throws -> Void) {
        shutdownHooks.append(hook)
    }

    /// Waits until the background tasks of the requests answered so far have finished, or
    /// `limit` has passed (for tests; shutdown waits by itself).
    public func waitForBackgroundTasks(within limit: Duration? = nil) async {
        await responder.backgroundWork.waitUntilIdle(within: limit)
    }

    /// The application's life around `body` (which serves): dependencies and start-up hooks
    /// before; after it returns or throws, background tasks (within the grace period),
    /// shutdown hooks, and the dependencies' stop.
    private func withLifecycle(_ body: () async throws -> Void) async throws {
        let dependencies = responder.applicationDependencies
        let lifecycle = responder.lifecycle
        var logger = Logger(label: "trellis")
        logger.logLevel = configuration.logLevel
        func stop() async {
            lifecycle.phase = .draining
            await responder.backgroundWork.waitUntilIdle(within: configuration.shutdownGracePeriod)
            for hook in shutdownHooks.reversed() {
                do { try await hook() } catch { logger.error("a shutdown hook failed: \(String(reflecting: error))") }
            }
            for (name, error) in await dependencies.stop() {
                logger.error("stopping the dependency \(name) failed: \(String(reflecting: error))")
            }
            lifecycle.phase = .idle
        }
        lifecycle.phase = .starting
        do {
            try await dependencies.start(applicationDependencyTypes)
            for hook in startupHooks { try await hook() }
            lifecycle.phase = .serving
            try await body()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Runs the server until one of `gracefulShutdownSignals` arrives (SIGTERM, SIGINT), then
    /// shuts down gracefully: it stops accepting connections, lets requests in flight finish
    /// (cancelling those still running after ``TrellisConfiguration/shutdownGracePeriod``),
    /// and returns.
    /// - Parameters:
    ///   - gracefulShutdownSignals: The signals that start a graceful shutdown.
    ///   - onServerRunning: Called with the bound port once the server listens.
    public func run(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await withLifecycle {
            try await withEventLoopGroup { group in
                let listener = ListenerDrain.Port()
                let application = makeApplication(eventLoopGroup: group) { bound in
                    listener.port = bound
                    await onServerRunning(bound)
                }
                // Services shut down in reverse order: readiness turns false, and the listener
                // stops taking new connections, before the server drains.
                let drain = DrainSignal(lifecycle: responder.lifecycle, listener: listener, delay: self.configuration.drainDelay)
                var configuration = ServiceGroupConfiguration(
                    services: services + [application, drain], gracefulShutdownSignals: gracefulShutdownSignals, logger: application.logger)
                configuration.maximumGracefulShutdownDuration = self.configuration.shutdownGracePeriod + self.configuration.drainDelay
                try await ServiceGroup(configuration: configuration).run()
            }
        }
    }

    /// Runs the server until the task is cancelled, without installing signal handlers
    /// (for tests and for embedding); `onServerRunning` receives the bound port.
    public func serve(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await withLifecycle {
            try await withEventLoopGroup { group in
                try await makeApplication(eventLoopGroup: group, onServerRunning: onServerRunning).run()
            }
        }
    }

    /// The Hummingbird application, for running it among other services (in your own
    /// `ServiceGroup`). It runs on `eventLoopGroup`: by default NIO's shared group, which
    /// has a thread per core; ``TrellisConfiguration/threads`` applies to ``run(gracefulShutdownSignals:onServerRunning:)``
    /// and ``serve(onServerRunning:)`` only.
    public func makeApplication(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger.withDeferredMetadata(label: "trellis")
        logger.logLevel = ProcessEnvironment.variables["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? configuration.logLevel
        let threads = eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
        for problem in docsAssetProblems { logger.warning("\(problem)") }
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [HeaderLimitHandler()],
            // The idle bound is the connection guard's (for every connection, from its accept).
            idleTimeout: nil,
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderSize, maxHeaderListSize: configuration.maxHeaderSize,
                maxHeaderFieldCount: configuration.maxHeaderCount))
        let webSockets = responder.service.webSockets
        func amount(_ duration: Duration) -> TimeAmount {
            .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        }
        let limits = ConnectionGuard.Limits(
            headTimeout: configuration.requestHeadTimeout.map(amount), idleTimeout: configuration.idleTimeout.map(amount),
            minimumBodyRate: configuration.minimumBodyRate, bodyGracePeriod: amount(configuration.bodyGracePeriod),
            writeTimeout: configuration.writeTimeout.map(amount),
            timeoutAnswer: ErrorBody.rawAnswer(
                .init(code: 408, reasonPhrase: "Request Timeout"), detail: "Request Timeout: the request did not arrive in time",
                format: configuration.errorFormat))
        let shedder = responder.loadShedder
        let server: HTTPServerBuilder
        if webSockets.isEmpty {
            server = HTTPServerBuilder { responder in
                GuardedChannel(base: HTTP1Channel(responder: responder, configuration: http1), limits: limits, shedder: shedder)
            }
        } else {
            let maxSize = configuration.maxBodySize
            let maxDepth = configuration.maxBodyDepth
            let dependencies = responder.applicationDependencies
            let limit = ErrorBody.bytes(
                .init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                detail: "Request header fields larger than \(configuration.maxHeaderSize) bytes or more than \(configuration.maxHeaderCount)",
                format: configuration.errorFormat)
            let service = responder.service
            var settings = WebSocketHandshakeGate.Settings(
                service: service, origins: configuration.webSocketOrigins, application: dependencies,
                overrides: responder.dependencyOverrides)
            // The middleware sees an upgrade as any request: it may refuse it (its answer is then
            // the refusal's), and what it logs or counts of it is a 101.
            if let chain = responder.middleware(around: { _, _ in Response(status: .switchingProtocols) }) {
                let upgradeLogger = logger
                settings.middleware = { request, channel in
                    let context = TrellisRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: upgradeLogger))
                    let response = try? await chain(Request(head: request, body: RequestBody(buffer: ByteBuffer())), context)
                    return response?.status == .switchingProtocols
                }
            }
            let gateSettings = settings
            let shouldUpgrade:
                @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> = {
                    request, channel, logger in
                    let uri = request.path ?? "/"
                    guard let (route, _) = service.webSocket(at: String(uri.prefix { $0 != "?" })) else { return .dontUpgrade }
                    // What the gate admitted (the identities, the input, the dependencies' scope);
                    // a route that needs no admission has none.
                    var admitted = WebSocketAdmission.Admitted(scope: nil, input: nil)
                    if let holder = try? await channel.pipeline.handler(type: WebSocketAdmission.Holder.self).get(), let taken = holder.take() {
                        admitted = taken
                        try? await channel.pipeline.removeHandler(holder).get()
                    } else if route.needsAdmission {
                        return .dontUpgrade
                    }
                    return .upgrade([:]) { [admitted] inbound, outbound, _ in
                        let connection = WebSocketConnection(
                            inbound: inbound, outbound: outbound, validator: route.receive, maxSize: maxSize, maxDepth: maxDepth,
                            application: dependencies, scope: admitted.scope)
                        var failure: (any Error)?
                        do {
                            try await route.handler(connection, input: admitted.input)
                        } catch {
                            failure = error
                        }
                        // The route's dependencies end with the session.
                        if let scope = admitted.scope {
                            for teardown in await scope.tearDown(after: failure) {
                                logger.error(
                                    "dependency teardown failed: \(String(reflecting: teardown))", metadata: ["operation": .string(route.description.id)])
                            }
                        }
                        guard let error = failure else { return }
                        if error is CancellationError {
                            logger.debug("WebSocket \(route.description.id) cancelled (the server is stopping)")
                        } else {
                            // Rethrown, the session closes with the code the error calls for: the
                            // client's protocol errors (text that is not UTF-8: 1007) with theirs,
                            // the handler's with 1011 (RFC 6455 §7.4.1), never with 1000.
                            if String(reflecting: type(of: error)).hasPrefix("WSCore.WebSocketHandler.InternalError") {
                                logger.debug("WebSocket \(route.description.id) closed: the client broke the protocol (\(String(reflecting: error)))")
                            } else {
                                logger.error("WebSocket \(route.description.id) ended with an error: \(String(reflecting: error))")
                            }
                            throw error
                        }
                    }
                }
            server = HTTPServerBuilder { responder in
                GuardedChannel(
                    base: WebSocketGateChannel<HTTP1WebSocketUpgradeChannel, HTTP1WebSocketUpgradeChannel.UpgradeResult>(
                        base: HTTP1WebSocketUpgradeChannel(
                            responder: responder,
                            // A frame over the body limit is closed with 1009, text that is not UTF-8 with 1007 (RFC 6455 §7.4.1).
                            configuration: .init(http1: http1, ws: WebSocketServerConfiguration(maxFrameSize: max(maxSize, 125), validateUTF8: true)),
                            shouldUpgrade: shouldUpgrade),
                        settings: gateSettings),
                    limits: limits, shedder: shedder, firstHead: (limit.bytes, limit.contentType))
            }
        }
        return Application(
            responder: responder.composed(),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: configuration.serverName, backlog: configuration.backlog,
                availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)),
            onServerRunning: { [configuration, logger] channel in
                let port = channel.localAddress?.port ?? configuration.port
                // SwiftNIO accepts 4 connections each time the listening socket is readable; under a
                // burst of new connections (1024 at once) the rest waited in the backlog behind every
                // busy connection's turn, some longer than 2 s. Taking up to 256 at a time lets the
                // burst in at once (measured with Benchmarks/overload/run: no answer later than 2 s
                // at 1024 connections, where 4 left about 300).
                try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: Self.acceptsPerWakeUp).get()
                logger.info(
                    "serving on http://\(configuration.host):\(port), docs at \(configuration.docs.swaggerUIPath ?? "-"), \(threads) thread\(threads == 1 ? "" : "s")\(Self.tasksRunOnEventLoops ? ", tasks on the event loops" : "")"
                )
                await onServerRunning(port)
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger)
    }

    /// How many waiting connections the listening socket accepts each time it is readable.
    static let acceptsPerWakeUp: UInt = 256

    /// Runs `body` on the configured number of event-loop threads: NIO's shared group
    /// when ``TrellisConfiguration/threads`` is nil, else a group of its own, shut down after.
    private func withEventLoopGroup(_ body: (any EventLoopGroup) async throws -> Void) async throws {
        guard let threads = configuration.threads, !Self.tasksRunOnEventLoops else {
            try await body(MultiThreadedEventLoopGroup.singleton)
            return
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            try await body(group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }
}

/// Marks the application as draining as soon as a graceful shutdown begins (the readiness
/// endpoint answers 503), keeps serving for the drain delay, then stops accepting.
private struct DrainSignal: Service {
    let lifecycle: Lifecycle
    /// The port the server listens on, once it does.
    let listener: ListenerDrain.Port
    /// ``TrellisConfiguration/drainDelay``.
    let delay: Duration

    func run() async throws {
        try? await gracefulShutdown()
        lifecycle.phase = .draining
        if delay > .zero {
            // Not cancelled by the shutdown itself: only a second signal's cancellation ends it early.
            try? await Task.sleep(for: delay)
        }
        // No new connections, and a moment for the server to accept those the kernel has
        // queued: the listener's close would reset them, requests and all.
        if let port = listener.port, ListenerDrain.refuseNewConnections(port: port) {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
