import Foundation
public import Hummingbird
internal import Logging
internal import HTTPTypes
internal import NIOCore
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema
internal import Prometheus
import Synchronization

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
    /// Cancels requests that outlive the request timeout, if there is one.
    let watchdog: RequestWatchdog?
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
    /// The application's dependency overrides (tests).
    var dependencyOverrides = DependencyOverrides()

    init(
        service: CompiledService, configuration: TrellisConfiguration, openAPI: String, applicationDependencies: ApplicationDependencies,
        metricsRegistry: PrometheusCollectorRegistry
    ) {
        self.applicationDependencies = applicationDependencies
        self.metrics = configuration.metricsPath == nil ? nil : RequestMetrics(registry: metricsRegistry)
        self.service = service
        self.configuration = configuration
        self.docs = DocsResponder(configuration: configuration.docs, openAPI: openAPI)
        self.watchdog = configuration.requestTimeout.map(RequestWatchdog.init(timeout:))
        self.stallDetector = configuration.stallThreshold.map { threshold in
            let logger = Logger(label: "trellis")
            return StallDetector(threshold: threshold, report: configuration.onStall ?? { logger.warning("\($0)") })
        }
    }

    /// Answers one request: through the middleware, docs pages, or routing, validation and
    /// the operation's handler; every error becomes an answer (this never throws).
    public func respond(to request: Request, context: Context) async throws -> Response {
        if request.method == HeaderLimitHandler.standIn { return headerLimitResponse() }
        guard !middleware.isEmpty else { return try await respondWithinMiddleware(to: request, context: context) }
        do {
            return try await run(middlewareFrom: 0, request, context)
        } catch {
            return await errorResponse(error, request: request, context: context)
        }
    }

    private func run(middlewareFrom index: Int, _ request: Request, _ context: Context) async throws -> Response {
        guard index < middleware.count else { return try await respondWithinMiddleware(to: request, context: context) }
        return try await middleware[index].handle(request, context: context) { request, context in
            try await run(middlewareFrom: index + 1, request, context)
        }
    }

    @inline(__always)  // one async frame and executor check fewer per request
    private func respondWithinMiddleware(to request: Request, context: Context) async throws -> Response {
        // The clock is read only for a log line or metrics that will use it.
        let logsRequests = context.logger.logLevel <= .info
        let start = logsRequests || metrics != nil ? ContinuousClock.now : nil
        let response: Response
        var operationID = "-"
        do {
            if let health = healthResponse(request) {
                response = health
            } else if let metrics, request.uri.path == configuration.metricsPath {
                response = Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
            } else if let page = try docs.respond(to: request) {
                response = page
            } else if let watchdog {
                (response, operationID) = try await watchdog.run { try await route(request, context: context) }
            } else {
                (response, operationID) = try await route(request, context: context)
            }
        } catch {
            response = await errorResponse(error, request: request, context: context)
        }
        guard let start else { return response }
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: [
                "operation": .string(operationID), "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.3f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
            ])
        metrics?.record(operation: operationID, method: request.method.rawValue, status: response.status.code, duration: elapsed)
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

    /// The liveness and readiness answers.
    private func healthResponse(_ request: Request) -> Response? {
        let path = request.uri.path
        if path == configuration.livenessPath {
            return ErrorBody.json(.ok, ["status": "ok"], contentType: "application/json")
        }
        guard path == configuration.readinessPath else { return nil }
        switch lifecycle.phase {
        case .idle, .serving: return ErrorBody.json(.ok, ["status": "ready"], contentType: "application/json")
        case .starting: return ErrorBody.json(.serviceUnavailable, ["status": "starting"], contentType: "application/json")
        case .draining: return ErrorBody.json(.serviceUnavailable, ["status": "draining"], contentType: "application/json")
        }
    }

    // MARK: - Routing

    @inline(__always)  // one async frame and executor check fewer per request
    private func route(_ request: Request, context: Context) async throws -> (Response, String) {
        let path = request.uri.path
        guard let match = service.routes.match(path) else {
            if let webSocket = service.webSockets[path] {
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

    // MARK: - One operation

    @inline(__always)  // one async frame and executor check fewer per request
    private func serve(
        _ operation: CompiledService.Operation, request: Request, pathValues: [String], context: Context
    ) async throws -> Response {
        // Each parameter's issues, by its position (reported in declaration order).
        var parameterIssues: [(position: Int, issues: [ValidationIssue])] = []
        // Coerced and default values, each under its parameter's slot; validated together, in
        // one document.
        var values: [(String, JSON)] = []
        var toValidate: [(position: Int, parameter: CompiledService.Parameter)] = []
        let query = request.uri.query.map { PercentDecoding.queryItems($0[...]) } ?? []
        let cookies = operation.needsCookies ? Self.cookies(request.headers[values: .cookie]) : []
        // Security first: a request without credentials is refused before anything of it is read.
        var scope: DependencyScope?
        if let gate = operation.security {
            let early = makeScope(operation, request: request, query: query, cookies: cookies, parameter: nil)
            do {
                try await gate.check(.init(headers: request.headers, query: query, cookies: { cookies }), in: early)
            } catch {
                _ = await tearDown(early, after: error, context: context)
                throw error
            }
            scope = early
        }
        // The answer's media type, for an operation that answers in several.
        var negotiated: String?
        if !operation.offers.isEmpty {
            negotiated = ContentNegotiation.choose(operation.offers, accept: request.headers[values: .accept])
            if negotiated == nil { return notAcceptable(operation.offers) }
        }
        for (position, parameter) in operation.parameters.enumerated() {
            let description = parameter.description
            var texts: [String]
            switch description.location {
            case .path: texts = parameter.pathIndex.map { $0 < pathValues.count ? [pathValues[$0]] : [] } ?? []
            case .query: texts = ParameterCoercion.queryTexts(query, for: description)
            case .header: texts = parameter.headerName.map { request.headers[values: $0] } ?? []
            case .cookie: texts = cookies.filter { $0.name == description.name }.map(\.value)
            }
            if texts.isEmpty {
                if let value = parameter.defaultValue {
                    values.append((parameter.slot, value))
                } else if description.required {
                    parameterIssues.append((position, [.missing(parameter.loc, input: nil)]))
                }
                continue
            }
            switch ParameterCoercion.coerce(texts, as: description, loc: parameter.loc) {
            case .failure(let issue):
                parameterIssues.append((position, [issue]))
            case .success(let value):
                toValidate.append((position, parameter))
                values.append((parameter.slot, value))
            }
        }
        var parameterValues: [JSONValue?] = []
        if !values.isEmpty {
            let root = try JSONDocument(.object(JSONObject(values))).root
            for (position, parameter) in toValidate where !configuration.skipsRequestValidation {
                guard let value = root[parameter.slot] else { continue }
                let errors = parameter.validator.validate(value)
                if !errors.isEmpty {
                    parameterIssues.append((position, errors.map { ValidationIssue($0, prefix: parameter.loc, templates: operation.issueTemplates) }))
                }
            }
            parameterValues.reserveCapacity(operation.parameters.count)
            for parameter in operation.parameters { parameterValues.append(root[parameter.slot]) }
        }
        var issues = parameterIssues.isEmpty ? [] : parameterIssues.sorted { $0.position < $1.position }.flatMap(\.issues)

        var body: JSONDocument?
        var raw: [UInt8]?
        if let declared = operation.body {
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: configuration.maxBodySize)
            } catch is NIOTooManyBytesError {
                return ErrorBody.response(.contentTooLarge, detail: "Request body larger than \(configuration.maxBodySize) bytes", format: configuration.errorFormat)
            }
            if buffer.readableBytes == 0 {
                if declared.description.required { issues.append(.missing([.string("body")], input: nil)) }
            } else {
                let contentType = Self.contentType(of: request.headers).map(Self.mediaType) ?? ""
                guard let reading = declared.reading(of: contentType) else {
                    return unsupportedMediaType(contentType, accepted: declared.description.contentTypes, method: request.method)
                }
                switch reading {
                case .json:
                    do {
                        let document = try buffer.withUnsafeReadableBytes { bytes in
                            try JSONDocument(parsing: bytes, options: JSONParseOptions(maxDepth: configuration.maxBodyDepth))
                        }
                        body = validated(document, against: declared, operation: operation, issues: &issues)
                    } catch let error as JSONParseError {
                        issues.append(ValidationIssue(
                            type: "json_invalid", loc: [.string("body"), .integer(Int64(error.offset))], msg: "JSON decode error",
                            input: nil,
                            ctx: JSONObject([("error", .string(error.reason)), ("line", .integer(Int64(error.line))), ("column", .integer(Int64(error.column)))])))
                    }
                case .form:
                    let form = FormBody.read(buffer.readableBytesView, fields: declared.description.fields)
                    if form.issues.isEmpty {
                        body = validated(try JSONDocument(form.object), against: declared, operation: operation, issues: &issues)
                    } else {
                        issues += form.issues
                    }
                case .raw:
                    raw = Array(buffer.readableBytesView)
                }
            }
        }
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }

        let parameters = ParameterValues(parameters: operation.parameters, values: parameterValues)
        if let scope {
            scope.provideParameters { key in parameters[key] }
        } else if !operation.description.dependencies.isEmpty {
            scope = makeScope(operation, request: request, query: query, cookies: cookies, parameter: { key in parameters[key] })
        }
        let source = RequestInputSource(parameters: parameters, body: body?.root, raw: raw, scope: scope, responseContentType: negotiated)
        let output: any OperationOutput
        let inFlight = stallDetector?.begin(operation.description.id)
        let gauge = metrics?.inFlight(operation.description.id)
        gauge?.increment()
        defer {
            if let inFlight { stallDetector?.end(inFlight) }
            gauge?.decrement()
        }
        do {
            output = try await operation.handler(source)
        } catch {
            if let scope { _ = await tearDown(scope, after: error, context: context) }
            throw error
        }
        if let scope, let failure = await tearDown(scope, after: nil, context: context) { throw failure }
        var response = try response(for: output, operation: operation, context: context)
        if let cookies = scope?.resolvedValue(of: ResponseCookies.self)?.fieldValues {
            for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        }
        if let work = scope?.resolvedValue(of: BackgroundTasks.self)?.takeAll(), !work.isEmpty {
            // Once the body has been written: then the tasks start, counted for shutdown.
            let body = response.body
            let background = backgroundWork
            let logger = context.logger
            let id = operation.description.id
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                try await body.write(writer)
                background.launch(work, logger: logger, operation: id)
            }
        }
        return response
    }

    /// The dependency scope of one request; `parameter` reads its validated parameters (nil:
    /// they come later, through ``DependencyScope/provideParameters(_:)``).
    private func makeScope(
        _ operation: CompiledService.Operation, request: Request, query: [(name: String, value: String)], cookies: [(name: String, value: String)],
        parameter: (@Sendable (ParameterKey) -> JSONValue?)?
    ) -> DependencyScope {
        let headers = request.headers
        return DependencyScope(
            operationID: operation.description.id, method: request.method.rawValue, path: request.uri.path,
            application: applicationDependencies, overrides: dependencyOverrides,
            request: .init(
                headers: { name in HTTPField.Name(name).map { headers[values: $0] } ?? [] },
                query: { name in query.filter { $0.name == name }.map(\.value) },
                cookie: { name in cookies.first { $0.name == name }?.value },
                parameter: parameter ?? { _ in nil }))
    }

    /// `document` when the body's schema accepts it; else nil, with its issues added to `issues`.
    @inline(__always)
    private func validated(
        _ document: JSONDocument, against declared: CompiledService.Body, operation: CompiledService.Operation, issues: inout [ValidationIssue]
    ) -> JSONDocument? {
        let errors = configuration.skipsRequestValidation ? [] : declared.validator.validate(document.root)
        if errors.isEmpty { return document }
        let prefix: [JSON] = [.string("body")]
        issues.reserveCapacity(issues.count + errors.count)
        errors.withUnsafeBufferPointer { errors in
            // Through the buffer: iterating the array would copy each error.
            for index in errors.indices {
                issues.append(ValidationIssue(errors[index], prefix: prefix, templates: operation.issueTemplates))
            }
        }
        return nil
    }

    /// 415, listing the media types the operation accepts (also as `Accept-Post` or
    /// `Accept-Patch` for those methods).
    private func unsupportedMediaType(_ contentType: String, accepted: [String], method: HTTPRequest.Method) -> Response {
        let list = accepted.count <= 1 ? accepted.joined() : accepted.dropLast().joined(separator: ", ") + " or " + (accepted.last ?? "")
        var response = ErrorBody.response(
            .unsupportedMediaType, detail: "Unsupported Media Type: send \(list)" + (contentType.isEmpty ? "" : ", not \(contentType)"),
            format: configuration.errorFormat)
        if method == .post, let name = HTTPField.Name("Accept-Post") { response.headers[name] = accepted.joined(separator: ", ") }
        if method == .patch, let name = HTTPField.Name("Accept-Patch") { response.headers[name] = accepted.joined(separator: ", ") }
        return response
    }

    /// 406, listing the media types the operation answers in.
    private func notAcceptable(_ offers: [String]) -> Response {
        let list = offers.dropLast().joined(separator: ", ") + " or " + (offers.last ?? "")
        return ErrorBody.response(.notAcceptable, detail: "Not Acceptable: this operation answers in \(list)", format: configuration.errorFormat)
    }

    /// Runs a request's teardowns; logs what they throw and returns the first.
    private func tearDown(_ scope: DependencyScope, after error: (any Error)?, context: Context) async -> (any Error)? {
        let failures = await scope.tearDown(after: error)
        for failure in failures {
            context.logger.error("dependency teardown failed: \(String(reflecting: failure))", metadata: ["operation": .string(scope.operationID)])
        }
        return failures.first
    }

    /// The media type of a `Content-Type` value, lowercased, without parameters or spaces
    /// (`Application/JSON; charset=utf-8` → `application/json`).
    static func mediaType(_ header: String) -> String {
        var bytes = header.utf8[...]
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes = bytes[..<semicolon] }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        guard bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return String(Substring(bytes)) }
        return String(Substring(bytes)).lowercased()
    }

    /// The `Content-Type` header as `headers[.contentType]` reads it (several joined with
    /// commas), without the sequence machinery of that subscript.
    static func contentType(of headers: HTTPFields) -> String? {
        var value: String?
        for field in headers where field.name == .contentType {
            value = value.map { $0 + ", " + field.value } ?? field.value
        }
        return value
    }

    static func cookies(_ headers: [String]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                var value = parts[1].trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                result.append((name, value))
            }
        }
        return result
    }

    // MARK: - Responses

    private func response(for output: any OperationOutput, operation: CompiledService.Operation, context: Context) throws -> Response {
        let answer = try output.response
        guard (100...599).contains(answer.status) else { throw ResponseError("\(operation.description.id) answered the status \(answer.status)") }
        let status = HTTPResponse.Status(code: answer.status)
        var headers = HTTPFields()
        let declaredHeaders = answer.headers
        headers.reserveCapacity(declaredHeaders.count + 2)
        for (name, value) in declaredHeaders {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        if !operation.offers.isEmpty {
            // The answer depends on `Accept`: caches must know.
            headers.append(HTTPField(name: .vary, value: "Accept"))
        }
        if let contentType = answer.contentType {
            // Appending is cheaper than the subscript, which looks for fields to replace.
            if declaredHeaders.isEmpty { headers.append(HTTPField(name: .contentType, value: contentType)) } else { headers[.contentType] = contentType }
        }
        let body: ByteBuffer
        switch answer.body {
        case .stream(let stream):
            return Response(status: status, headers: headers, body: ResponseBody { writer in
                for try await chunk in stream where !chunk.isEmpty { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
        case .empty: body = ByteBuffer()
        case .text(let text): body = ByteBuffer(string: text)
        case .bytes(let data): body = ByteBuffer(bytes: data)
        case .json(let value):
            let expected = operation.responseSizeHint.load(ordering: .relaxed)
            // Up to 64 KiB from the hint: one large answer must not make every later one reserve as much.
            var writer = JSONWriter(capacity: min(max(expected + expected / 8, 512), 1 << 16))
            try JSONBody.write(value, into: &writer)
            if writer.count != expected { operation.responseSizeHint.store(writer.count, ordering: .relaxed) }
            if configuration.validateResponses {
                // The exact status, then its OpenAPI range (`4XX`), then `default`.
                if let validator = operation.responses.forCode(answer.status, contentType: answer.contentType)?.validator {
                    let document = try writer.withBytes { try JSONDocument(parsing: $0, options: JSONParseOptions(maxDepth: 2047)) }
                    let errors = validator.validate(document.root)
                    if !errors.isEmpty {
                        throw ResponseError("\(operation.description.id) answered \(answer.status) with a body its schema forbids: " + errors.prefix(5).map(\.description).joined(separator: "; "))
                    }
                }
            }
            body = writer.withBytes { ByteBuffer(bytes: $0) }
        }
        if !headers.contains(.contentLength) {
            // Hummingbird would set it with the subscript.
            headers.append(HTTPField(name: .contentLength, value: String(body.readableBytes)))
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    // MARK: - Errors

    private func errorResponse(_ error: any Error, request: Request, context: Context) async -> Response {
        for handler in errorHandlers {
            switch await handler.answer(error, request) {
            case .error(let answer)?: return defaultErrorResponse(answer, request: request, context: context)
            case .response(let response)?: return response
            case nil: continue
            }
        }
        return defaultErrorResponse(error, request: request, context: context)
    }

    /// The runtime's own answer to an error.
    private func defaultErrorResponse(_ error: any Error, request: Request, context: Context) -> Response {
        switch error {
        case let error as RequestValidationError:
            return ErrorBody.validationResponse(error.issues, format: configuration.errorFormat)
        case let error as RequestTimeoutError:
            context.logger.warning("request timed out", metadata: ["path": .string(request.uri.path), "timeout": .stringConvertible(error.timeout)])
            return ErrorBody.response(.serviceUnavailable, detail: "Request took longer than \(error.timeout)", format: configuration.errorFormat)
        case is CancellationError:
            // The client went away, or shutdown's grace period ran out: nobody may read this.
            context.logger.notice("request cancelled", metadata: ["path": .string(request.uri.path)])
            return ErrorBody.response(.serviceUnavailable, detail: "Request cancelled", format: configuration.errorFormat)
        case let error as DependencyCycleError:
            context.logger.error("\(error)", metadata: ["path": .string(request.uri.path)])
            return ErrorBody.response(.internalServerError, detail: "Internal Server Error", format: configuration.errorFormat)
        case let error as HTTPError:
            var response = ErrorBody.response(error.status, detail: error.detail, format: configuration.errorFormat)
            for field in error.headers { response.headers.append(field) }
            return response
        case is NotAuthenticatedError:
            return ErrorBody.response(.unauthorized, detail: "Not authenticated", format: configuration.errorFormat)
        case let error as NotImplementedError:
            return ErrorBody.response(.notImplemented, detail: error.description, format: configuration.errorFormat)
        default:
            context.logger.error("unhandled error: \(String(reflecting: error))", metadata: ["path": .string(request.uri.path)])
            return ErrorBody.response(.internalServerError, detail: "Internal Server Error", format: configuration.errorFormat)
        }
    }
}

/// A handler's answer that the runtime cannot send as declared.
struct ResponseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
