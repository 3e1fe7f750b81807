public import Hummingbird
internal import Logging
internal import NIOCore
internal import NIOPosix
internal import UnixSignals
internal import ServiceLifecycle
public import TrellisCore
internal import TrellisJSON

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
    public let configuration: TrellisConfiguration
    /// The responder: what Hummingbird (or a test) calls for every request.
    public let responder: TrellisResponder
    /// The OpenAPI document served at ``TrellisConfiguration/DocsConfiguration/openAPIPath``.
    public let openAPIDocument: String

    /// Compiles the services' schemas and routes.
    /// - Throws: ``TrellisStartupError`` when a schema does not compile or two operations share a route.
    public init(configuration: TrellisConfiguration = TrellisConfiguration(), services: any GeneratedService...) throws {
        try self.init(configuration: configuration, services: services)
    }

    /// Compiles the services' schemas and routes.
    /// - Throws: ``TrellisStartupError`` when a schema does not compile or two operations share a route.
    public init(configuration: TrellisConfiguration = TrellisConfiguration(), services: [any GeneratedService]) throws {
        self.configuration = configuration
        let compiled = try CompiledService(services: services, configuration: configuration)
        let descriptions = services.map { type(of: $0).serviceDescription }
        var writer = JSONWriter(style: .pretty(indent: 2))
        writer.write(OpenAPIAugmenter.augment(descriptions.map(\.openAPIDocument), services: descriptions, format: configuration.errorFormat))
        self.openAPIDocument = String(decoding: writer.bytes, as: UTF8.self)
        self.responder = TrellisResponder(service: compiled, configuration: configuration, openAPI: openAPIDocument)
    }

    /// Runs the server until SIGINT or SIGTERM; then it stops accepting connections and
    /// lets requests in flight finish (within ``TrellisConfiguration/shutdownGracePeriod``).
    public func run() async throws {
        try await makeApplication().runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Runs the server until the task is cancelled, without installing signal handlers
    /// (for tests and for embedding); `onServerRunning` receives the bound port.
    public func serve(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onServerRunning: onServerRunning).run()
    }

    /// The Hummingbird application, for running it among other services.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "trellis")
        logger.logLevel = ProcessEnvironment.variables["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? configuration.logLevel
        let threads = configuration.threads ?? NIOSingletons.groupLoopCountSuggestion
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Trellis"),
            onServerRunning: { [configuration, logger] channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("serving on http://\(configuration.host):\(port), docs at \(configuration.docs.swaggerUIPath ?? "-"), \(threads) thread\(threads == 1 ? "" : "s")")
                await onServerRunning(port)
            },
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: threads)),
            logger: logger)
    }
}
