internal import HTTPTypes
internal import Hummingbird
internal import Instrumentation
internal import ServiceContextModule
internal import Tracing

/// Reads trace context (W3C `traceparent`, `tracestate`, or whatever the bootstrapped
/// instrument propagates) from a request's header fields.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

/// The server span of one request, when ``TrellisConfiguration/tracing`` is on: named
/// `METHOD /route/{template}` and attributed as OpenTelemetry's HTTP conventions say; it
/// continues the trace of an incoming `traceparent`, and is the current span while the
/// handler runs, so that its work (a database call, an outgoing request) makes child spans.
enum RequestTracing {
    /// Answers `request` with `answer` (the response and the operation's id) inside a server
    /// span of the bootstrapped tracer.
    static func traced(_ request: Request, routes: [String: String], _ answer: () async -> (Response, String)) async -> Response {
        var context = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &context, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        return await withSpan(method, context: context, ofKind: .server) { span in
            span.attributes["http.request.method"] = method
            span.attributes["url.path"] = request.uri.path
            if let agent = request.headers[.userAgent] { span.attributes["user_agent.original"] = agent }
            let (response, operation) = await answer()
            if let route = routes[operation] {
                span.operationName = method + " " + route
                span.attributes["http.route"] = route
                span.attributes["trellis.operation"] = operation
            }
            span.attributes["http.response.status_code"] = response.status.code
            if response.status.code >= 500 {
                span.attributes["error.type"] = String(response.status.code)
                span.setStatus(SpanStatus(code: .error))
            }
            return response
        }
    }
}
