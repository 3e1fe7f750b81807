public import Logging

/// How a ``TrellisApplication`` serves: address, threads, limits, docs and error format.
///
/// ```swift
/// var configuration = TrellisConfiguration.fromEnvironment()   // HOST, PORT, THREADS, TRELLIS_DOCS_ASSETS; --host, --port, --threads
/// configuration.maxBodySize = 64 * 1024
/// ```
public struct TrellisConfiguration: Sendable {
    /// The address to listen on (default `127.0.0.1`).
    public var host: String = "127.0.0.1"
    /// The port (default 8080; 0 picks a free one).
    public var port: Int = 8080
    /// Event-loop threads; nil uses every core.
    public var threads: Int?
    /// How many connections may wait to be accepted (the listen backlog; default 2048, as
    /// uvicorn has; the kernel caps it at `net.core.somaxconn`). Hummingbird's default of 256
    /// drops connections opened in a burst, which their clients retry after a second or more.
    public var backlog: Int = 2048
    /// The `Server` header of every answer (none by default: naming the software and its
    /// version tells attackers more than it tells clients; set it to "Trellis" to send one).
    public var serverName: String?
    /// The largest request body accepted; larger ones get 413 (default 1 MiB).
    public var maxBodySize: Int = 1 << 20
    /// The largest `multipart/form-data` body accepted, files included, unless the operation
    /// declares its own limit; a larger one gets 413 as soon as it is seen (default 64 MiB;
    /// `TRELLIS_MAX_UPLOAD_SIZE` in bytes sets it). Files are streamed to disk, not held in
    /// memory; a field that is not a file is bounded by ``maxBodySize``.
    public var maxUploadSize: Int = 64 << 20
    /// The most parts a `multipart/form-data` body may have, unless the operation declares
    /// its own limit; more get 400 (default 1000, as Starlette has).
    public var maxMultipartParts: Int = 1000
    /// The folder uploaded files are streamed to (nil, the default: the system's temporary
    /// folder, `TMPDIR`). Each file is removed once its request has been answered.
    public var uploadDirectory: String?
    /// The deepest nesting of arrays and objects accepted in a JSON body; deeper ones get 422 (default 64).
    public var maxBodyDepth: Int = 64
    /// The largest request head accepted: the request line and every header name and value
    /// together, and any single one of them. A larger head gets `431 Request Header Fields
    /// Too Large` and the connection is closed (default 16 KiB, as Node.js and h11 have).
    public var maxHeaderSize: Int = 16 * 1024
    /// The most header fields a request may have; more get 431 (default 100).
    public var maxHeaderCount: Int = 100
    /// How long a request may take, from its head to the handler's answer; one that takes
    /// longer is cancelled and answered `503 Service Unavailable` (default nil: no limit, as
    /// in uvicorn and Hummingbird; `TRELLIS_REQUEST_TIMEOUT` sets it from the environment).
    /// Cancellation is cooperative: a handler that never suspends finishes before the answer.
    /// Each request then runs in a child task, which the timeout cancels without touching the
    /// connection: that costs 7–13% of the throughput of the smallest requests.
    public var requestTimeout: Duration?
    /// How long a connection may stay silent between requests before it is closed (default
    /// 60 s, as Hummingbird users set it; nginx has 75 s, uvicorn 5 s; nil: forever;
    /// `TRELLIS_IDLE_TIMEOUT` in seconds, 0 for none).
    public var idleTimeout: Duration? = .seconds(60)
    /// How long a request's head may take to arrive whole, from its first byte — from the
    /// accept for a connection's first request. A slower one is answered `408 Request
    /// Timeout` and its connection closed; a connection that sends nothing at all is closed
    /// (default 30 s, as Kestrel has; nginx and Node.js have 60 s; nil: no limit;
    /// `TRELLIS_HEAD_TIMEOUT`). The defence against clients that drip their heads (Slowloris).
    public var requestHeadTimeout: Duration? = .seconds(30)
    /// The slowest a request body may arrive, in bytes a second, once
    /// ``bodyGracePeriod`` has passed; only the time the server spends waiting for the client
    /// counts (not a handler's). A slower body is answered 408 and its connection closed
    /// (default 240, Kestrel's; 0: no limit; `TRELLIS_MIN_BODY_RATE`).
    public var minimumBodyRate: Int = 240
    /// How long a body may arrive at any rate before ``minimumBodyRate`` applies (default 5 s).
    public var bodyGracePeriod: Duration = .seconds(5)
    /// How long a client may leave its answer unread (the connection's buffers full) before
    /// the connection is closed (default 30 s; nginx has 60 s between two writes; nil: no
    /// limit; `TRELLIS_WRITE_TIMEOUT`).
    public var writeTimeout: Duration? = .seconds(30)
    /// The most connections open at once; beyond it the server stops accepting until one
    /// closes (the kernel's backlog holds the rest). Default: the process's limit on open
    /// descriptors less a tenth (at least 64) kept for files, databases and the like, so that
    /// the server runs out of connections before it runs out of descriptors
    /// (`TRELLIS_MAX_CONNECTIONS`).
    public var maxConnections: Int = Self.descriptorBudget()
    /// The most requests in flight: handlers running, and connections with a request read and
    /// not yet answered (a streamed body's writing is not counted); past it a request is
    /// refused at once with
    /// `503 Service Unavailable` and `Retry-After: 1`, before any of it is read — load shed
    /// explicitly rather than queued, so that the latency of the requests accepted stays
    /// bounded. The liveness and readiness endpoints are not counted. Default 1024 (nil: no
    /// bound, as in uvicorn without `--limit-concurrency`; `TRELLIS_MAX_REQUESTS_IN_FLIGHT`, 0
    /// for none).
    public var maxRequestsInFlight: Int? = 1024
    /// Whether `format` (date, email, uuid, ...) is checked in requests (default true, as FastAPI users expect).
    public var assertFormats: Bool = true
    /// Whether responses are validated against their declared schemas; a response that does
    /// not conform becomes a logged 500. Default: on in debug builds, off in release builds.
    public var validateResponses: Bool = _isDebugAssertConfiguration()
    /// Skips the schema validation of request bodies and parameters (they are still parsed,
    /// coerced and decoded). For measuring what validation costs, and nothing else: an
    /// invalid request then reaches the handler, or fails to decode with a 500. Set by the
    /// environment variable `TRELLIS_BENCHMARK_SKIP_VALIDATION=1`, in debug builds and builds
    /// with `-DTRELLIS_BENCHMARK_SWITCHES` only; not public.
    var skipsRequestValidation = false
    /// How long Swift's cooperative thread pool may run nothing while requests are in flight
    /// before a warning names them: a handler is blocking a thread instead of using
    /// `runBlocking(_:)` (default 500 ms in debug builds, nil — off — in release builds).
    public var stallThreshold: Duration? = Self.inDebugBuilds(.milliseconds(500))
    /// Receives the stall detector's reports instead of the log (for tests and alerts).
    public var onStall: (@Sendable (String) -> Void)?
    /// How long graceful shutdown (SIGINT, SIGTERM) waits for requests in flight before
    /// it cancels them (default 10 s).
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// How long the server keeps serving, and accepting, after a shutdown signal with its
    /// readiness endpoint already answering 503 — the time a load balancer needs to notice and
    /// send new requests elsewhere — before it stops accepting and drains (default 0: at once;
    /// `TRELLIS_DRAIN_DELAY` in seconds). Behind a balancer, set it to at least the balancer's
    /// health-check interval times its failure count.
    public var drainDelay: Duration = .zero
    /// How long the readiness endpoint waits for the checks of the application's dependencies
    /// (`ReadinessCheck`) before it counts one as failed (default 2 s).
    public var readinessCheckTimeout: Duration = .seconds(2)
    /// How long the readiness endpoint reuses the result of its checks (default 1 s): a
    /// balancer that asks often, or several balancers, cost the database one check a period.
    public var readinessCacheDuration: Duration = .seconds(1)
    /// The error body format.
    public var errorFormat: ErrorFormat = .fastAPI
    /// The origins (`https://app.example.com`) whose pages may open the service's WebSockets:
    /// an upgrade whose `Origin` is another is refused with 403 (cross-site WebSocket
    /// hijacking). A client that is not a browser sends no `Origin` and is not concerned. nil
    /// (the default): any origin (`TRELLIS_WEBSOCKET_ORIGINS`, comma-separated, sets it).
    public var webSocketOrigins: [String]?
    /// Where the documentation is served.
    public var docs = DocsConfiguration()
    /// Where the request metrics (request count, latency histogram and handlers in flight, per
    /// operation and status) are served in Prometheus' text format; nil (the default): not
    /// measured at all.
    public var metricsPath: String?
    /// Whether each request gets a server span of the process's tracer — the one bootstrapped
    /// with swift-distributed-tracing's `InstrumentationSystem`, by swift-otel for example:
    /// named `GET /pets/{petId}`, with OpenTelemetry's HTTP attributes, continuing the trace of
    /// an incoming W3C `traceparent`, and current while the handler runs (its database calls
    /// and outgoing requests become child spans; a logger's metadata provider can add the
    /// trace id to every log line). Default false (`TRELLIS_TRACING=1` sets it).
    public var tracing: Bool = false
    /// The liveness endpoint: 200 `{"status":"ok"}` while the process serves (nil: none).
    public var livenessPath: String? = "/healthz"
    /// The readiness endpoint: 200 `{"status":"ready"}` while serving, 503 while starting
    /// and while draining for shutdown, so that a load balancer stops sending requests
    /// before the server stops accepting them (nil: none).
    public var readinessPath: String? = "/readyz"
    /// The log level of the server's logger, with one line per request at `info` (`LOG_LEVEL`
    /// in the environment, read when the server starts, overrides it).
    public var logLevel: Logger.Level = .info

    /// The shape of error bodies.
    public enum ErrorFormat: Sendable, Hashable {
        /// FastAPI's: `{"detail": [...]}` for 422, `{"detail": "..."}` otherwise.
        case fastAPI
        /// RFC 9457 `application/problem+json`: `type`, `title`, `status`, `detail`, and `errors` for 422.
        case problemDetails
    }

    /// Where `/openapi.json`, `/docs` and `/redoc` are served, and where the pages load
    /// their scripts from.
    public struct DocsConfiguration: Sendable {
        /// The OpenAPI document's path, or nil for none.
        public var openAPIPath: String? = "/openapi.json"
        /// The AsyncAPI 3.0 document's path (the WebSockets and server-sent-event streams, when
        /// there are any; the docs pages link it), or nil for none.
        public var asyncAPIPath: String? = "/asyncapi.json"
        /// Swagger UI's path, or nil for none.
        public var swaggerUIPath: String? = "/docs"
        /// ReDoc's path, or nil for none.
        public var redocPath: String? = "/redoc"
        /// Swagger UI's assets (`swagger-ui-bundle.js`, `swagger-ui.css`): a URL prefix,
        /// by default a CDN like FastAPI's; a local folder served at `/docs/assets`
        /// makes the docs work offline.
        public var swaggerUIAssets: Assets = .url("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5")
        /// ReDoc's script (`redoc.standalone.js`): a URL prefix or a local folder.
        public var redocAssets: Assets = .url("https://cdn.jsdelivr.net/npm/redoc@2/bundles")
        /// Where clients reach the service when a proxy stands in front of it: an absolute URL
        /// (`https://api.example.com/petstore`) or a path prefix (`/petstore`). The served
        /// document's first server is this URL, and the docs pages load the document and their
        /// assets under its path. When nil (the default), the first server is `/` — the server
        /// that served the document, whatever its host and port, as FastAPI's — or the path of
        /// the request's `X-Forwarded-Prefix` header when a proxy sends one. The declaration's
        /// own servers follow as alternatives.
        public var publicURL: String?

        /// Where assets come from.
        public enum Assets: Sendable, Hashable {
            /// A URL prefix the browser loads from.
            case url(String)
            /// A local folder the application serves: its regular files, read once when the
            /// application is created (at most 16 MiB each, 64 MiB in all; a symbolic link is
            /// not followed).
            case folder(String)
        }

        /// The defaults: every page on, scripts from a CDN.
        public init() {}
    }

    /// The defaults.
    public init() {}

    /// What ``fromEnvironment(_:arguments:)`` could not read (a value that is not a number, or
    /// out of range); ``TrellisApplication`` refuses to start with any, naming them.
    var environmentProblems: [String] = []

    /// Whether the benchmarks' switches (`TRELLIS_BENCHMARK_SKIP_VALIDATION`) are honoured: in
    /// debug builds, and in builds with `-DTRELLIS_BENCHMARK_SWITCHES` (`Benchmarks/http/run
    /// --validation-cost` makes one). A release build for production ignores none silently:
    /// it refuses to start.
    #if TRELLIS_BENCHMARK_SWITCHES
        static let benchmarkSwitches = true
    #else
        static let benchmarkSwitches = _isDebugAssertConfiguration()
    #endif

    /// The process's limit on open descriptors less a tenth, at least 64, for what is not a
    /// connection (at least 16 connections).
    static func descriptorBudget() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < 1 << 40 else { return 10_000 }
        let descriptors = Int(clamping: limit.rlim_cur)
        return max(16, descriptors - max(64, descriptors / 10))
    }

    /// `value` in debug builds, nil in release builds.
    private static func inDebugBuilds<T>(_ value: T) -> T? {
        var result: T? = nil
        if _isDebugAssertConfiguration() { result = value }
        return result
    }

    /// The defaults, overridden by the environment (a value that cannot be read makes
    /// ``TrellisApplication`` refuse to start, naming it: `HOST`, `PORT`, `THREADS`,
    /// `TRELLIS_REQUEST_TIMEOUT`, `TRELLIS_IDLE_TIMEOUT`, `TRELLIS_HEAD_TIMEOUT` and
    /// `TRELLIS_WRITE_TIMEOUT` in seconds, 0 for none, `TRELLIS_DRAIN_DELAY` in seconds,
    /// `TRELLIS_METRICS_PATH` (empty: no metrics), `TRELLIS_TRACING` (1 or 0), `TRELLIS_MIN_BODY_RATE` in bytes a
    /// second, `TRELLIS_MAX_CONNECTIONS`, `TRELLIS_MAX_REQUESTS_IN_FLIGHT`, `TRELLIS_MAX_UPLOAD_SIZE` in bytes,
    /// `TRELLIS_WEBSOCKET_ORIGINS`, `TRELLIS_DOCS_ASSETS` — a folder
    /// with Swagger UI's and ReDoc's files, `TRELLIS_SWAGGER_UI_ASSETS` and
    /// `TRELLIS_REDOC_ASSETS` — a folder for one of them, `TRELLIS_PUBLIC_URL`) and by `--host`, `--port`
    /// and `--threads` in `arguments`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessEnvironment.variables, arguments: [String] = CommandLine.arguments
    ) -> TrellisConfiguration {
        var configuration = TrellisConfiguration()
        var reader = EnvironmentReader(environment: environment)
        if let host = environment["HOST"], !host.isEmpty { configuration.host = host }
        if let port = reader.integer("PORT", in: 0...65535) { configuration.port = port }
        if let threads = reader.integer("THREADS", in: 1...4096) { configuration.threads = threads }
        if let origins = environment["TRELLIS_WEBSOCKET_ORIGINS"], !origins.isEmpty {
            configuration.webSocketOrigins = origins.split(separator: ",").map { String($0.drop { $0 == " " }) }
        }
        if let bytes = reader.integer("TRELLIS_MAX_UPLOAD_SIZE", in: 1...Int.max) { configuration.maxUploadSize = bytes }
        if environment["TRELLIS_BENCHMARK_SKIP_VALIDATION"] == "1" {
            if Self.benchmarkSwitches {
                configuration.skipsRequestValidation = true
            } else {
                reader.problems.append(
                    "TRELLIS_BENCHMARK_SKIP_VALIDATION is a benchmark's switch, honoured only in debug builds and in builds with -DTRELLIS_BENCHMARK_SWITCHES")
            }
        }
        if let timeout = reader.duration("TRELLIS_REQUEST_TIMEOUT") { configuration.requestTimeout = timeout == .zero ? nil : timeout }
        if let timeout = reader.duration("TRELLIS_IDLE_TIMEOUT") { configuration.idleTimeout = timeout == .zero ? nil : timeout }
        if let timeout = reader.duration("TRELLIS_HEAD_TIMEOUT") { configuration.requestHeadTimeout = timeout == .zero ? nil : timeout }
        if let timeout = reader.duration("TRELLIS_WRITE_TIMEOUT") { configuration.writeTimeout = timeout == .zero ? nil : timeout }
        if let delay = reader.duration("TRELLIS_DRAIN_DELAY") { configuration.drainDelay = delay }
        if let tracing = environment["TRELLIS_TRACING"], !tracing.isEmpty {
            switch tracing {
            case "1", "true": configuration.tracing = true
            case "0", "false": configuration.tracing = false
            default: reader.problems.append("TRELLIS_TRACING=\(tracing) is not 1 or 0")
            }
        }
        if let path = environment["TRELLIS_METRICS_PATH"] {
            if path.isEmpty {
                configuration.metricsPath = nil
            } else if path.hasPrefix("/") {
                configuration.metricsPath = path
            } else {
                reader.problems.append("TRELLIS_METRICS_PATH is not a path that starts with /: '\(path)'")
            }
        }
        if let rate = reader.integer("TRELLIS_MIN_BODY_RATE", in: 0...Int.max) { configuration.minimumBodyRate = rate }
        if let count = reader.integer("TRELLIS_MAX_CONNECTIONS", in: 1...Int.max) { configuration.maxConnections = count }
        if let count = reader.integer("TRELLIS_MAX_REQUESTS_IN_FLIGHT", in: 0...Int.max) { configuration.maxRequestsInFlight = count == 0 ? nil : count }
        if let folder = environment["TRELLIS_DOCS_ASSETS"], !folder.isEmpty {
            configuration.docs.swaggerUIAssets = .folder(folder)
            configuration.docs.redocAssets = .folder(folder)
        }
        if let folder = environment["TRELLIS_SWAGGER_UI_ASSETS"], !folder.isEmpty { configuration.docs.swaggerUIAssets = .folder(folder) }
        if let folder = environment["TRELLIS_REDOC_ASSETS"], !folder.isEmpty { configuration.docs.redocAssets = .folder(folder) }
        if let url = environment["TRELLIS_PUBLIC_URL"], !url.isEmpty {
            if PublicURL(url) != nil {
                configuration.docs.publicURL = url
            } else {
                reader.problems.append("TRELLIS_PUBLIC_URL is neither an http(s) URL nor a path that starts with /: '\(url)'")
            }
        }
        configuration.environmentProblems = reader.problems
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch argument {
            case "--host":
                if let value {
                    configuration.host = value
                    index += 1
                }
            case "--port":
                if let value, let port = Int(value) {
                    configuration.port = port
                    index += 1
                }
            case "--threads":
                if let value, let threads = Int(value), threads > 0 {
                    configuration.threads = threads
                    index += 1
                }
            default: break
            }
            index += 1
        }
        return configuration
    }
}

/// Reads numbers and durations from the environment, collecting what it cannot read.
struct EnvironmentReader {
    let environment: [String: String]
    var problems: [String] = []

    /// The whole number in `name`, nil when it is absent or empty (or not a number in `range`:
    /// a problem).
    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            problems.append("\(name)=\(text) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// The duration in `name`, in seconds (fractions allowed, at most a day; `0` is zero), nil
    /// when it is absent or empty (or unreadable: a problem).
    mutating func duration(_ name: String) -> Duration? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let seconds = Double(text), seconds.isFinite, (0...86_400).contains(seconds), !text.contains(where: \.isLetter) else {
            problems.append("\(name)=\(text) is not a number of seconds from 0 to 86400")
            return nil
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// The process environment, read without Foundation.
public enum ProcessEnvironment {
    /// Every variable.
    public static var variables: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
