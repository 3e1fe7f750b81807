import HTTPTypes
import Hummingbird
import Logging
import Testing
import Trellis
import TrellisJSON
import TrellisTesting

@testable import Petstore

/// Appends its name to `X-Trace` on the way out (so the outermost comes last).
struct TraceMiddleware: RouterMiddleware {
    typealias Context = TrellisRequestContext
    let name: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if name == "gate", request.uri.path == "/pets/13" { throw HTTPError(.forbidden, detail: "unlucky") }
        var response = try await next(request, context)
        response.headers.append(HTTPField(name: HTTPField.Name("X-Trace")!, value: name))
        return response
    }
}

@Suite struct MiddlewareTests {
    func application(_ configure: (inout TrellisApplication) -> Void) throws -> TrellisApplication {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        var app = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
        configure(&app)
        return app
    }

    func withClient(over transport: Transport, _ app: TrellisApplication, _ body: (TrellisTestClient) async throws -> Void) async throws {
        switch transport {
        case .inProcess: try await body(TrellisTestClient(app))
        case .socket: try await TrellisTestClient.withLiveServer(app, body)
        }
    }

    @Test(arguments: Transport.allCases) func middlewareRunsInOrderAndItsErrorsAreAnswered(over transport: Transport) async throws {
        let app = try application { app in
            app.addMiddleware(TraceMiddleware(name: "outer"))
            app.addMiddleware(TraceMiddleware(name: "gate"))
        }
        try await withClient(over: transport, app) { client in
            let response = try await client.get("/pets/7")
            #expect(response.status == .ok)
            #expect(response.headers[values: HTTPField.Name("X-Trace")!] == ["gate", "outer"])
            let refused = try await client.get("/pets/13")
            #expect(refused.status == .forbidden)
            #expect(try refused.json() == ["detail": "unlucky"])
            // Errors inside are answers by the time the middleware sees them.
            let invalid = try await client.get("/pets/abc")
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.headers[values: HTTPField.Name("X-Trace")!] == ["gate", "outer"])
        }
    }

    @Test(arguments: Transport.allCases) func requestIDsAreAdoptedOrGeneratedAndEchoed(over transport: Transport) async throws {
        let app = try application { $0.addMiddleware(RequestIDMiddleware()) }
        let header = HTTPField.Name("X-Request-Id")!
        try await withClient(over: transport, app) { client in
            #expect(try await client.get("/pets/7", headers: [header: "req-42"]).headers[header] == "req-42")
            let generated = try await client.get("/pets/7").headers[header]
            #expect(generated?.isEmpty == false)
            let hostile = try await client.get("/pets/7", headers: [header: String(repeating: "x", count: 500)]).headers[header]
            #expect(hostile != nil && hostile?.count != 500)
        }
    }

    @Test func hummingbirdsObservabilityMiddlewareFitsTheChain() async throws {
        let client = TrellisTestClient(
            try application { app in
                app.addMiddleware(TracingMiddleware<TrellisRequestContext>())  // spans go to the tracer the process bootstraps
                app.addMiddleware(LogRequestsMiddleware<TrellisRequestContext>(Logger.Level.debug))
            })
        #expect(try await client.get("/pets/7").status == .ok)
        #expect(try await client.get("/pets/abc").status == .unprocessableContent)
    }

    @Test func timing() async throws {
        let client = TrellisTestClient(try application { $0.addMiddleware(TimingMiddleware()) })
        let timing = try #require(try await client.get("/pets/7").headers[HTTPField.Name("Server-Timing")!])
        #expect(timing.wholeMatch(of: /app;dur=\d+\.\d{3}/) != nil, "\(timing)")
    }

    @Test func trustedHosts() async throws {
        let middleware = TrustedHostMiddleware(allowedHosts: ["example.com", "*.example.org"])
        #expect(middleware.accepts("example.com"))
        #expect(middleware.accepts("EXAMPLE.com:8080"))
        #expect(middleware.accepts("api.example.org"))
        #expect(!middleware.accepts("example.org"))
        #expect(!middleware.accepts("evil.com"))
        #expect(!middleware.accepts("example.com.evil.com"))
        #expect(TrustedHostMiddleware(allowedHosts: ["::1", "[::1]"]).accepts("[::1]:8080"))
        // The test client sends Host: localhost.
        let refused = try await TrellisTestClient(try application { $0.addMiddleware(middleware) }).get("/pets/7")
        #expect(refused.status == .badRequest)
        #expect(try refused.json() == ["detail": "Invalid host header"])
        let allowed = try await TrellisTestClient(try application { $0.addMiddleware(TrustedHostMiddleware(allowedHosts: ["localhost"])) }).get("/pets/7")
        #expect(allowed.status == .ok)
    }

    @Test(arguments: Transport.allCases) func corsThroughHummingbirdsMiddleware(over transport: Transport) async throws {
        let app = try application { app in
            app.addMiddleware(
                CORSMiddleware<TrellisRequestContext>(
                    allowOrigin: .originBased, allowHeaders: [.contentType, .authorization], allowMethods: [.get, .post], allowCredentials: true,
                    maxAge: .seconds(600)))
        }
        try await withClient(over: transport, app) { client in
            let preflight = try await client.execute(
                .options, "/pets",
                headers: [
                    .origin: "https://app.example", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type",
                ])
            #expect(preflight.status == .noContent || preflight.status == .ok)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowCredentials] == "true")
            #expect(preflight.headers[.accessControlMaxAge] == "600")
            let simple = try await client.get("/pets/7", headers: [.origin: "https://app.example"])
            #expect(simple.status == .ok)
            #expect(simple.headers[.accessControlAllowOrigin] == "https://app.example")
            // Without an Origin, OPTIONS is the runtime's own answer.
            #expect(try await client.execute(.options, "/pets").headers[.allow] == "GET, HEAD, OPTIONS, POST")
        }
    }
}
