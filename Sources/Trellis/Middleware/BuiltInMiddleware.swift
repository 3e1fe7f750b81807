public import HTTPTypes
public import Hummingbird
internal import Logging

/// Gives every request an id that follows it: taken from the request's `X-Request-Id` when
/// it is a sensible one (1 to 128 visible ASCII characters), or else the id the server
/// generated; set as the `hb.request.id` of the request's log lines and echoed in the
/// response's `X-Request-Id`, so that a client can quote it when it reports a problem.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The request context of Trellis applications.
    public typealias Context = TrellisRequestContext

    /// The header that carries the id.
    public var headerName: HTTPField.Name

    /// A middleware using `headerName` (default `X-Request-Id`).
    public init(headerName: HTTPField.Name = HTTPField.Name("X-Request-Id")!) {
        self.headerName = headerName
    }

    /// Adopts or generates the id, runs the request, and echoes the id.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let incoming = request.headers[headerName], Self.isAcceptable(incoming) {
            context.logger[metadataKey: "hb.request.id"] = .string(incoming)
        }
        let id = context.id
        var response = try await next(request, context)
        response.headers[headerName] = id
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}

/// Measures how long the application took for each request and says so in the response's
/// `Server-Timing` header (`app;dur=1.234`, in milliseconds), which browsers' developer tools
/// show.
public struct TimingMiddleware: RouterMiddleware {
    /// The request context of Trellis applications.
    public typealias Context = TrellisRequestContext

    /// A middleware.
    public init() {}

    /// Runs the request and adds `Server-Timing`.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let milliseconds = String(microseconds / 1000) + "." + String(1000 + microseconds % 1000).dropFirst()
        response.headers.append(HTTPField(name: HTTPField.Name("Server-Timing")!, value: "app;dur=" + milliseconds))
        return response
    }
}

/// Answers requests whose `Host` is not one of yours with 400, as Starlette's
/// `TrustedHostMiddleware` does: a defence against Host-header attacks (poisoned links in
/// password-reset mails, cache poisoning).
///
/// ```swift
/// app.addMiddleware(TrustedHostMiddleware(allowedHosts: ["example.com", "*.example.com"]))
/// ```
public struct TrustedHostMiddleware: RouterMiddleware {
    /// The request context of Trellis applications.
    public typealias Context = TrellisRequestContext

    /// The host names accepted: exact names, `*.domain` for any subdomain, or `*` for all.
    public var allowedHosts: [String]

    /// A middleware accepting `allowedHosts` (compared without the port, case-insensitively).
    public init(allowedHosts: [String]) {
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
    }

    /// Refuses a foreign host, or runs the request.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority ?? ""
        guard accepts(authority) else { throw HTTPError(.badRequest, detail: "Invalid host header") }
        return try await next(request, context)
    }

    /// Whether a `Host` (authority) value names an allowed host.
    public func accepts(_ authority: String) -> Bool {
        var host = authority.lowercased()
        if host.hasPrefix("[") {
            host = String(host.prefix { $0 != "]" }) + "]"  // an IPv6 literal keeps its colons
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        return allowedHosts.contains { pattern in
            pattern == "*" || pattern == host || (pattern.hasPrefix("*.") && host.hasSuffix(pattern.dropFirst()) && host.count > pattern.count - 1)
        }
    }
}
